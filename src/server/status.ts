import type { CommandError, CommandResult } from '../sim'
import type { ServedResource } from './resources'

/** An answer that is a metav1.Status: the HTTP code and the body kubectl turns into "Error from server (...)". */
export interface StatusAnswer {
  readonly code: number
  readonly body: Status
}

/** metav1.Status, as the API server writes it. */
export interface Status {
  readonly kind: 'Status'
  readonly apiVersion: 'v1'
  readonly metadata: Record<string, never>
  readonly status: 'Success' | 'Failure'
  readonly message?: string
  readonly reason?: string
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string; readonly uid?: string; readonly causes?: readonly StatusCause[] }
  readonly code: number
}

/** One field's error in an Invalid status: kubectl prints `<field>: <message>` for each. */
export interface StatusCause {
  readonly reason: string
  readonly message: string
  readonly field: string
}

// metav1.StatusReason -> its HTTP code (apimachinery's errors.go).
const CODES: Readonly<Record<string, number>> = {
  BadRequest: 400, Unauthorized: 401, Forbidden: 403, NotFound: 404, MethodNotAllowed: 405, NotAcceptable: 406,
  AlreadyExists: 409, Conflict: 409, Gone: 410, RequestEntityTooLarge: 413, UnsupportedMediaType: 415, Invalid: 422,
  TooManyRequests: 429, InternalError: 500, ServiceUnavailable: 503, Timeout: 504,
}

/** A failure Status with the reason's code. */
export function failure(reason: string, message: string, details?: Status['details']): StatusAnswer {
  const code = CODES[reason] ?? 500
  return { code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code } }
}

/** The Status a successful delete answers when the object is gone at once. */
export function success(details: Status['details']): StatusAnswer {
  return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}), code: 200 } }
}

/** `pods "x" not found`, or `deployments.apps "x" not found`: details name the resource, as kubectl prints them. */
export function notFound(r: Pick<ServedResource, 'plural' | 'group'>, name: string): StatusAnswer {
  const resource = r.group ? `${r.plural}.${r.group}` : r.plural
  return failure('NotFound', `${resource} "${name}" not found`, { name, ...(r.group ? { group: r.group } : {}), kind: r.plural })
}

/** A request the API server cannot read (malformed JSON, a body of the wrong kind). */
export const badRequest = (message: string): StatusAnswer => failure('BadRequest', message)

/** A verb the resource does not serve. */
export const methodNotAllowed = (): StatusAnswer => failure('MethodNotAllowed', 'the server does not allow this method on the requested resource')

/** field.ErrorType -> the cause reason, read from the message the engine wrote ("Invalid value: ...", "Required value"). */
function causeReason(message: string): string {
  const types: [string, string][] = [
    ['Required value', 'FieldValueRequired'], ['Unsupported value', 'FieldValueNotSupported'], ['Duplicate value', 'FieldValueDuplicate'],
    ['Forbidden', 'FieldValueForbidden'], ['Too long', 'FieldValueTooLong'], ['Too many', 'FieldValueTooMany'], ['Not found', 'FieldValueNotFound'],
  ]
  return types.find(([prefix]) => message.startsWith(prefix))?.[1] ?? 'FieldValueInvalid'
}

/** The engine's "The Service "bad" is invalid: ..." errors as one Invalid status with a cause per field. */
function invalid(errors: readonly CommandError[], group: string): StatusAnswer | undefined {
  const head = errors[0] && /^The (\S+) "([^"]*)" is invalid: /.exec(errors[0].message)
  if (!head) return undefined
  const [, kind, name] = head as unknown as [string, string, string]
  const causes: StatusCause[] = []
  for (const e of errors) {
    const text = e.field ?? e.message.slice(head[0].length)
    const field = e.path || text.slice(0, Math.max(0, text.indexOf(': ')))
    const message = text.startsWith(`${field}: `) ? text.slice(field.length + 2) : text
    causes.push({ reason: causeReason(message), message, field })
  }
  const list = causes.map((c) => `${c.field}: ${c.message}`)
  const message = `${kind} "${name}" is invalid: ${list.length === 1 ? list[0] : `[${list.join(', ')}]`}`
  return failure('Invalid', message, { name, ...(group ? { group } : {}), kind, causes })
}

/**
 * A failed command's result as the API server's answer. The engine words its errors as kubectl prints them
 * ("Error from server (NotFound): ...", "The Service "x" is invalid: ..."): the reason and message come back out of
 * that wording, so that kubectl, printing this Status, prints what the engine said.
 */
export function fromCommandResult(result: CommandResult, group: string): StatusAnswer {
  const errors = result.errors.length ? result.errors : [{ path: '', message: result.message ?? 'Internal error occurred' }]
  const first = errors[0]!
  const found = invalid(errors.filter((e) => e.object === first.object && /^The \S+ "[^"]*" is invalid: /.test(e.message)), group)
  if (found) return found
  const m = /^Error from server \((\w+)\): ([\s\S]*)$/.exec(first.message)
  // kubectl, not the server, says which input an error is about ("error when creating "STDIN": ...").
  if (m) return failure(m[1]!, m[2]!.replace(/^error when \w+ "[^"]*": /, ''))
  return badRequest(first.message.replace(/^error: /, ''))
}
