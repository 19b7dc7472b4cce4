/** An error an apply, delete or scale reports: kubectl's wording, the field it is about, and where in the YAML. */
export interface CommandError {
  /** "Service default/web", when the error is about one object. */
  readonly object?: string
  /** The field path ("spec.ports[0].port"), or "" for the whole input. */
  readonly path: string
  readonly message: string
  /** The field error alone ("spec.ports[0].port: Invalid value: ..."), when `message` is an object's validation error. */
  readonly field?: string
  /** 1-based line in the YAML that was applied, when known. */
  readonly line?: number
}

/** One object a command changed, with kubectl's one-line summary ("service/web created"). */
export interface CommandOutcome {
  readonly kind: string
  readonly namespace?: string
  readonly name: string
  readonly result: 'created' | 'configured' | 'unchanged' | 'deleted' | 'scaled' | 'image updated' | 'rolled back' | 'fault injected' | 'fault healed' | 'restarted'
  /** False for kinds stored but not simulated (ServiceAccount, ConfigMap, ...). */
  readonly simulated: boolean
  readonly message: string
}

/** What apply, delete and scale return: all or nothing, so `ok: false` means the cluster did not change. */
export interface CommandResult {
  readonly ok: boolean
  readonly errors: CommandError[]
  readonly applied: CommandOutcome[]
  /** When it failed: everything kubectl would print, each invalid object once with its field errors as bullets. */
  readonly message?: string
  /** kubectl's "Warning: ..." lines, when it went through with a warning (a non-standard IP address). */
  readonly warnings?: string[]
}

export const failed = (errors: CommandError[]): CommandResult => ({ ok: false, errors, applied: [], message: kubectlMessage(errors) })

/**
 * The errors as kubectl prints them: one error of an object on one line after its header, several as a bulleted
 * list under it (apimachinery's aggregate as kubectl's MultilineError renders it).
 */
function kubectlMessage(errors: readonly CommandError[]): string {
  const out: string[] = []
  for (let i = 0; i < errors.length; ) {
    const e = errors[i]!
    if (!e.field || !e.message.endsWith(e.field)) {
      out.push(e.message)
      i++
      continue
    }
    const head = e.message.slice(0, e.message.length - e.field.length)
    const fields: string[] = []
    for (; i < errors.length && errors[i]!.field && errors[i]!.object === e.object && errors[i]!.message === head + errors[i]!.field; i++) fields.push(errors[i]!.field!)
    out.push(fields.length === 1 ? head + fields[0] : `${head.trimEnd()}\n${fields.map((f) => `* ${f}`).join('\n')}`)
  }
  return out.join('\n')
}

/** etcd's key for an object, as the API server stores it. */
export { etcdKey } from '../model/kinds'

/** A command's own "Internal error occurred" (the engine met a bug): the cluster is as it was before the call. */
export const internalError = (what: string, error: unknown): CommandResult =>
  failed([{ path: '', message: `Error from server (InternalError): Internal error occurred: ${what}: ${error instanceof Error ? error.message : String(error)}` }])
