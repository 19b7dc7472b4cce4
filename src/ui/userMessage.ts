import type { CommandResult } from '../sim'

/** Errors the JavaScript engine raises (a bug met on the way), as opposed to the simulator's own, which say what is wrong. */
const RAW: readonly (new (...args: never[]) => Error)[] = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError]

/** What went wrong, in a sentence fit to show: the simulator's own message, never a raw JavaScript error. */
export function userMessage(e: unknown): string {
  if (e instanceof Error && !RAW.some((k) => e instanceof k) && e.message.trim()) return e.message
  return 'the simulator met an internal error (a bug in the simulator, not in what you did)'
}

/** What a failed result says: kubectl's whole message, else each error's, else that it failed. Never nothing. */
export function failureText(r: Pick<CommandResult, 'errors' | 'message'>): string {
  if (r.message?.trim()) return r.message
  const each = r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).filter((m) => m.trim())
  return each.length ? each.join('\n') : 'The change was refused, without a reason given.'
}

/**
 * Runs a command against the simulation; one that throws (a bug) becomes a failed result saying so, with the error
 * logged for whoever fixes it, and marked `internal` (it may have changed something). `afterThrow` lets the caller publish whatever state the simulation is in now.
 */
export function safely(run: () => CommandResult, afterThrow?: () => void): CommandResult & { readonly internal?: true } {
  try {
    return run()
  } catch (e) {
    console.error(e)
    afterThrow?.()
    const message = `error: ${userMessage(e)}. The change may not have been made; the cluster keeps running.`
    return { ok: false, errors: [{ path: '', message }], applied: [], message, internal: true }
  }
}
