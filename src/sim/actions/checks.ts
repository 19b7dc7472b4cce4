/** Field checks shared by the actions' `check`: each returns the reason in plain words, or undefined. */

export const fmt = (n: unknown): string => (typeof n === 'number' ? String(n) : (JSON.stringify(n) ?? String(n)))

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function needText(a: Readonly<Record<string, unknown>>, field: string): string | undefined {
  return typeof a[field] === 'string' && a[field] !== '' ? undefined : `${field}: must be a name; it is ${fmt(a[field])}`
}

export function optionalText(a: Readonly<Record<string, unknown>>, field: string): string | undefined {
  return a[field] === undefined ? undefined : needText(a, field)
}

export function needManifest(a: Readonly<Record<string, unknown>>): string | undefined {
  const m = a['manifest']
  return typeof m === 'string' || isRecord(m) || Array.isArray(m) ? undefined : 'manifest: must be YAML text or a list of objects'
}
