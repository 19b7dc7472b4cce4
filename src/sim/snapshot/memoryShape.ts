import { isRecord } from './validateObjects'

type Kind = 'Set' | 'Map' | 'list' | 'object' | 'number' | 'string' | 'boolean' | 'undefined' | 'null' | 'other'

function kindOf(v: unknown): Kind {
  if (v === null) return 'null'
  if (v instanceof Set) return 'Set'
  if (v instanceof Map) return 'Map'
  if (Array.isArray(v)) return 'list'
  if (isRecord(v)) return 'object'
  const t = typeof v
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'undefined' ? t : 'other'
}

const PRIMITIVE: ReadonlySet<Kind> = new Set(['number', 'string', 'boolean'])

/** The kinds of the elements of a list or Set, or of a Map's keys or values. */
const kindsOf = (values: Iterable<unknown>) => new Set([...values].map(kindOf))

function elementsError(what: string, restored: Iterable<unknown>, fresh: Iterable<unknown>): string | undefined {
  const allowed = kindsOf(fresh)
  // An empty collection in a new cluster says nothing of its elements but that they are plain values.
  const ok = allowed.size > 0 ? allowed : PRIMITIVE
  for (const k of kindsOf(restored)) if (!ok.has(k) || !PRIMITIVE.has(k)) return `holds ${what} of the wrong kind (${k})`
  return undefined
}

/**
 * Whether a restored controller memory has the shape the same controller's memory has in a new cluster: the same
 * fields, each the same kind of value (a Set stays a Set, a number a number), collections holding plain values of the
 * kinds found there. A memory of another shape would break the controller later, so it is refused now. Returns what
 * differs, or undefined.
 */
export function memoryShapeError(restored: unknown, fresh: unknown, path = ''): string | undefined {
  if (fresh === undefined && path === '') return 'is unknown: that controller keeps no memory'
  const at = path ? ` at ${path}` : ''
  const kr = kindOf(restored)
  const kf = kindOf(fresh)
  if (kr !== kf) return `has a ${kr} where a ${kf} belongs${at}`
  if (kf === 'Set' || kf === 'list') return elementsError('elements', restored as Iterable<unknown>, fresh as Iterable<unknown>)?.concat(at)
  if (kf === 'Map') {
    const r = restored as Map<unknown, unknown>
    const f = fresh as Map<unknown, unknown>
    return (elementsError('keys', r.keys(), f.keys()) ?? elementsError('values', r.values(), f.values()))?.concat(at)
  }
  if (kf === 'number' && !Number.isFinite(restored)) return `has a number that is not finite${at}`
  if (kf !== 'object') return undefined
  const r = restored as Record<string, unknown>
  const f = fresh as Record<string, unknown>
  for (const key of Object.keys(r)) if (!(key in f)) return `has a field it does not know: ${path ? `${path}.` : ''}${key}`
  for (const key of Object.keys(f)) {
    const error = memoryShapeError(r[key], f[key], path ? `${path}.${key}` : key)
    if (error) return error
  }
  return undefined
}
