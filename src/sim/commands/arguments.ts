import { goValue } from '../model/fieldErrors'

/**
 * Checks of the engine API's own arguments (what kubectl's command line would refuse before sending anything). Each
 * returns the message, or undefined when the argument is fine.
 */
const show = (v: unknown) => {
  if (typeof v === 'string') return goValue(v.length > 80 ? `${v.slice(0, 80)}...` : v)
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v)
  if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') return typeof v
  try {
    const text = JSON.stringify(v)
    return text === undefined ? String(v) : text.length > 80 ? `${text.slice(0, 80)}...` : text
  } catch {
    return typeof v
  }
}

export const argumentError = (name: string, value: unknown, detail: string) => `error: ${name}: Invalid value: ${show(value)}: ${detail}`

/** A non-empty string (a name, a kind). */
export function needName(name: string, value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? undefined : argumentError(name, value, 'must be a non-empty string')
}

/** A namespace: a string, or undefined for the default (or for cluster-scoped kinds). */
export function needNamespace(value: unknown): string | undefined {
  return value === undefined || (typeof value === 'string' && value !== '') ? undefined : argumentError('namespace', value, 'must be a non-empty string or undefined')
}

/** An options object: undefined, or a plain object whose listed fields have the types given. */
export function needOptions(name: string, value: unknown, fields: Record<string, 'string' | 'boolean' | 'number'>): string | undefined {
  if (value === undefined) return undefined
  const plain = typeof value === 'object' && value !== null && [Object.prototype, null].includes(Object.getPrototypeOf(value))
  if (!plain) return argumentError(name, value, 'must be an object')
  for (const [field, type] of Object.entries(fields)) {
    const v = (value as Record<string, unknown>)[field]
    if (v !== undefined && typeof v !== type) return argumentError(`${name}.${field}`, v, `must be a ${type}`)
  }
  return undefined
}
