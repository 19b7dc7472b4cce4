import { Map as IMap } from 'immutable'

/**
 * A value graph as plain JSON. Composite values (arrays, plain objects, JS Maps and Sets, Immutable Maps) become rows
 * of one table, children before parents, and are referred to as `[row]`; strings, booleans, null and finite numbers
 * stay inline. `undefined`, NaN, ±Infinity and -0, which JSON cannot hold, are rows too.
 *
 * Sharing is kept: a value reached twice is written once and read back as one value, so the watch views that point at
 * the very tables of the state still do after a restore. Immutable values with equal content are also written once
 * (hash-consing): the state is never mutated, so merging them changes nothing but the size (10,000 pods of one
 * template share their spec). Mutable values (a controller's memory) are only ever shared where they were.
 *
 * An Immutable Map iterates in insertion order while it has at most 8 entries and it never outgrew them, and in hash
 * order otherwise, and that order decides which node or pod a controller visits first. Each map is written with which
 * of the two it is, and rebuilt as the same kind, so that it iterates, and goes on iterating after more changes, as
 * the original would have.
 */
export type EncodedValue = string | number | boolean | null | readonly [number]

/** One composite value: its tag, then its items (object keys and values, map keys and values, or elements). */
export type EncodedRow = readonly [string, ...EncodedValue[]]

type Tag = 'u' | 'n' | 'a' | 'o' | 'M' | 'S' | 'I' | 'H'

/** Builds one row table from any number of roots; each root's encoding is an `EncodedValue` into `rows`. */
export class GraphEncoder {
  readonly rows: EncodedRow[] = []
  private readonly byObject = new Map<unknown, EncodedValue>()
  private readonly byContent = new Map<string, EncodedValue>()

  /**
   * Encodes `value`. With `immutable`, composite values of equal content are merged; leave it off for data that is
   * mutated in place (memories), whose sharing must stay exactly as it is. Throws on values that are not plain data
   * (functions, class instances, cycles): an engine bug, not bad input.
   */
  encode(value: unknown, immutable: boolean): EncodedValue {
    const inline = this.inline(value)
    if (inline !== undefined) return inline
    type Frame = { readonly value: object; readonly tag: Tag; readonly items: readonly unknown[]; readonly out: EncodedValue[] }
    const open = new Set<unknown>()
    const frame = (v: object): Frame => {
      open.add(v)
      return { value: v, ...children(v), out: [] }
    }
    // Iterative, so that deep values cannot overflow the call stack.
    const stack: Frame[] = [frame(value as object)]
    for (;;) {
      const top = stack[stack.length - 1]!
      if (top.out.length < top.items.length) {
        const child = top.items[top.out.length]
        const known = this.inline(child)
        if (known !== undefined) top.out.push(known)
        else if (open.has(child)) throw new TypeError('snapshot: the value refers to itself (a cycle), which plain data cannot hold')
        else stack.push(frame(child as object))
        continue
      }
      stack.pop()
      open.delete(top.value)
      const ref = this.emit([top.tag, ...top.out], immutable && top.tag !== 'M' && top.tag !== 'S')
      this.byObject.set(top.value, ref)
      if (stack.length === 0) return ref
      stack[stack.length - 1]!.out.push(ref)
    }
  }

  /** A primitive's inline form, a value already written, or undefined when `value` must be written now. */
  private inline(value: unknown): EncodedValue | undefined {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return value
      case 'number':
        if (Number.isFinite(value) && !Object.is(value, -0)) return value
        return this.emit(['n', Object.is(value, -0) ? '-0' : String(value)], true)
      case 'undefined':
        return this.emit(['u'], true)
      case 'object':
        if (value === null) return null
        return this.byObject.get(value)
      default:
        throw new TypeError(`snapshot: a ${typeof value} is not plain data`)
    }
  }

  private emit(row: EncodedRow, merge: boolean): EncodedValue {
    if (!merge) {
      this.rows.push(row)
      return [this.rows.length - 1]
    }
    const text = JSON.stringify(row)
    let ref = this.byContent.get(text)
    if (!ref) {
      this.rows.push(row)
      this.byContent.set(text, (ref = [this.rows.length - 1]))
    }
    return ref
  }
}

function children(v: object): { tag: Tag; items: readonly unknown[] } {
  if (Array.isArray(v)) return { tag: 'a', items: v }
  if (IMap.isMap(v)) return { tag: isHashed(v as IMap<unknown, unknown>) ? 'H' : 'I', items: entriesOf(v as Iterable<[unknown, unknown]>) }
  if (v instanceof Map) return { tag: 'M', items: entriesOf(v) }
  if (v instanceof Set) return { tag: 'S', items: [...v] }
  const proto = Object.getPrototypeOf(v)
  if (proto !== Object.prototype) throw new TypeError(`snapshot: a ${proto?.constructor?.name ?? 'prototype-less object'} is not plain data`)
  const items: unknown[] = []
  for (const k of Object.keys(v)) items.push(k, (v as Record<string, unknown>)[k])
  return { tag: 'o', items }
}

function entriesOf(map: Iterable<[unknown, unknown]>): unknown[] {
  const items: unknown[] = []
  for (const [k, x] of map) items.push(k, x)
  return items
}

/**
 * Whether an Immutable Map iterates in hash order. Read from its root node (Immutable.js 5 keeps small maps as an
 * ArrayMapNode: `entries` and no `keyHash`); `valueCodec.test.ts` fails if a new version of the library changes this.
 */
function isHashed(map: IMap<unknown, unknown>): boolean {
  const root = (map as unknown as { _root?: { entries?: unknown; keyHash?: unknown } })._root
  return root !== undefined && !(Array.isArray(root.entries) && root.keyHash === undefined)
}

/** Keys that only force a map into hash order while it is built; their hashes are their own, like any object's. */
const SCAFFOLD = Array.from({ length: 9 }, (_, i) => Symbol(`scaffold-${i}`))

function buildMap(entries: readonly unknown[], hashed: boolean): IMap<unknown, unknown> {
  return IMap<unknown, unknown>().withMutations((m) => {
    if (hashed) for (const s of SCAFFOLD) m.set(s, 0)
    for (let i = 0; i < entries.length; i += 2) m.set(entries[i], entries[i + 1])
    if (hashed) for (const s of SCAFFOLD) m.delete(s)
  })
}

/** The outcome of reading a row table: the values of the roots asked for, or what is wrong with it. */
export type DecodeResult = { readonly ok: true; readonly values: readonly unknown[] } | { readonly ok: false; readonly error: string }

const SPECIAL: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 }

/**
 * Reads a row table back, checking every row (a row may refer only to rows before it, so there are no cycles and one
 * pass suffices), and returns the values of `roots`. Never throws: a damaged table gives a reason.
 */
export function decodeGraph(rows: unknown, roots: readonly unknown[]): DecodeResult {
  if (!Array.isArray(rows)) return { ok: false, error: 'its value table is not a list' }
  const values: unknown[] = new Array(rows.length)
  const item = (v: unknown, before: number): { ok: true; value: unknown } | { ok: false } => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return { ok: true, value: v }
    if (typeof v === 'number') return Number.isFinite(v) ? { ok: true, value: v } : { ok: false }
    if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0]) && v[0] >= 0 && v[0] < before) return { ok: true, value: values[v[0]] }
    return { ok: false }
  }
  for (let i = 0; i < rows.length; i++) {
    const row: unknown = rows[i]
    const bad = (why: string): DecodeResult => ({ ok: false, error: `row ${i} of its value table ${why}` })
    if (!Array.isArray(row) || typeof row[0] !== 'string') return bad('is not a tagged list')
    const tag = row[0]
    const items: unknown[] = []
    for (let j = 1; j < row.length; j++) {
      const r = item(row[j], i)
      if (!r.ok) return bad(`holds ${JSON.stringify(row[j])?.slice(0, 40)}, which is neither plain data nor a reference to an earlier row`)
      items.push(r.value)
    }
    switch (tag) {
      case 'u':
        if (items.length !== 0) return bad('is a malformed undefined')
        values[i] = undefined
        break
      case 'n':
        if (items.length !== 1 || typeof items[0] !== 'string' || !(items[0] in SPECIAL)) return bad('is a malformed special number')
        values[i] = SPECIAL[items[0]]
        break
      case 'a':
        values[i] = items
        break
      case 'S':
        values[i] = new Set(items)
        break
      case 'o':
      case 'M':
      case 'I':
      case 'H': {
        if (items.length % 2 !== 0) return bad('has a key without a value')
        if (tag === 'o') {
          const entries: [string, unknown][] = []
          for (let j = 0; j < items.length; j += 2) {
            if (typeof items[j] !== 'string') return bad('has an object key that is not a string')
            entries.push([items[j] as string, items[j + 1]])
          }
          // fromEntries defines own properties, so a key named "__proto__" stays a key.
          values[i] = Object.fromEntries(entries)
        } else if (tag === 'M') {
          const m = new Map<unknown, unknown>()
          for (let j = 0; j < items.length; j += 2) m.set(items[j], items[j + 1])
          values[i] = m
        } else {
          values[i] = buildMap(items, tag === 'H')
        }
        break
      }
      default:
        return bad(`has an unknown tag ${JSON.stringify(tag).slice(0, 20)}`)
    }
  }
  const out: unknown[] = []
  for (const root of roots) {
    const r = item(root, rows.length)
    if (!r.ok) return { ok: false, error: 'it refers to a value its table does not hold' }
    out.push(r.value)
  }
  return { ok: true, values: out }
}
