import { CLUSTER_EPOCH_MS } from '../../runtime/time'
import type { CommandContext, RunResult } from '../../shell/types'
import type { FlagSpec, ParsedFlags } from '../flags'

/** One kubectl command: its name (and aliases), its flags, and what it does with them. */
export interface KubectlCommand {
  readonly name: string
  readonly aliases?: readonly string[]
  readonly flags: readonly FlagSpec[]
  run(ctx: CommandContext, parsed: ParsedFlags): RunResult
}

/** `-n`, or the context's namespace (default). */
export const namespaceOf = (_ctx: CommandContext, p: ParsedFlags): string => (typeof p.flags['namespace'] === 'string' && p.flags['namespace'] !== '' ? p.flags['namespace'] : 'default')

/** A `TYPE NAME...` or `TYPE/NAME...` argument list, as kubectl's resource builder reads it. */
export function resourceArgs(_ctx: CommandContext, args: readonly string[]): { ok: true; items: { resource: string; name: string }[] } | { ok: false; error: string } {
  if (args.length === 0) return { ok: true, items: [] }
  if (args[0]!.includes('/')) {
    const items: { resource: string; name: string }[] = []
    for (const a of args) {
      const slash = a.indexOf('/')
      if (slash < 0) return { ok: false, error: "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n" }
      items.push({ resource: a.slice(0, slash), name: a.slice(slash + 1) })
    }
    return { ok: true, items }
  }
  return { ok: true, items: args.slice(1).map((name) => ({ resource: args[0]!, name })) }
}

/** The "Error from server ..." or "error: ..." a refused command prints (its message, or its first error). */
export function refusal(result: { readonly message?: string; readonly errors: readonly { readonly message: string }[] }): RunResult {
  return { exitCode: 1, stdout: '', stderr: `${result.message ?? result.errors.map((e) => e.message).join('\n')}\n` }
}

/** kubectl's usage error for a command given the wrong arguments: the message, then where to read more. */
export const usage = (path: string, message: string): RunResult => ({ exitCode: 1, stdout: '', stderr: `error: ${message}\nSee 'kubectl ${path} -h' for help and examples\n` })

/** The klog line kubectl 1.32 prints for a required flag left out (component-base's run.go). */
export function requiredFlag(ctx: CommandContext, flag: string): RunResult {
  const d = new Date(CLUSTER_EPOCH_MS + ctx.host.now)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const stamp = `E${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000`
  return { exitCode: 1, stdout: '', stderr: `${stamp}   31337 run.go:72] "command failed" err="required flag(s) \\"${flag}\\" not set"\n` }
}

/** The warning a 1.33 API server sends with every read of v1 Endpoints, which kubectl prints on stderr. */
export const ENDPOINTS_DEPRECATED = 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n'

/** kubectl's error for a command given no resource at all (delete, expose, scale). */
export const NO_RESOURCE = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'
`
