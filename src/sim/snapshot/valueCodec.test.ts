import fc from 'fast-check'
import { Map as IMap } from 'immutable'
import { describe, expect, it } from 'vitest'
import { decodeGraph, GraphEncoder } from './valueCodec'

/** Encodes values, sends the table through JSON as a save would, and reads them back. */
function roundTrip(values: readonly unknown[], immutable = true): unknown[] {
  const enc = new GraphEncoder()
  const roots = values.map((v) => enc.encode(v, immutable))
  const wire = JSON.parse(JSON.stringify({ rows: enc.rows, roots }))
  const r = decodeGraph(wire.rows, wire.roots)
  if (!r.ok) throw new Error(r.error)
  return [...r.values]
}

type Op = { readonly set: boolean; readonly key: string | number }
// Few keys, so maps grow past 8 entries and shrink back (the case where hash order outlives the growth).
const key = fc.oneof(fc.constantFrom('web', 'api', 'db', 'default/web-1', 'kube-system/coredns', 'worker-1', 'worker-2', 'a', 'b', 'c'), fc.integer({ min: 30000, max: 30008 }))
const ops = fc.array(fc.record({ set: fc.boolean(), key }), { maxLength: 60, size: 'max' })
/** A map grown first (often past 8 entries), then changed at random (often shrinking back under 9). */
const history = fc.tuple(fc.array(key, { maxLength: 16, size: 'max' }), ops).map(([grow, rest]) => [...grow.map((k) => ({ set: true, key: k })), ...rest])
const run = (m: IMap<unknown, unknown>, list: readonly Op[], tag: string) => list.reduce((acc, op, i) => (op.set ? acc.set(op.key, `${tag}${i}`) : acc.delete(op.key)), m)

describe('the value codec', () => {
  it('reads back what JSON alone cannot hold: undefined, NaN, infinities, -0, Maps, Sets and Immutable Maps', () => {
    const value = { a: undefined, b: [NaN, Infinity, -Infinity, -0, 0, 1.5], c: new Map<unknown, unknown>([[1, 'x'], ['k', { d: true }]]), s: new Set(['p', 'q']), m: IMap({ x: 1 }), n: null }
    const [back] = roundTrip([value], false) as [typeof value]
    expect(Object.keys(back)).toEqual(['a', 'b', 'c', 's', 'm', 'n'])
    expect(back.a).toBeUndefined()
    expect(Object.is(back.b[3], -0)).toBe(true)
    expect(back.b.slice(0, 3)).toEqual([NaN, Infinity, -Infinity])
    expect([...back.c]).toEqual([[1, 'x'], ['k', { d: true }]])
    expect([...back.s]).toEqual(['p', 'q'])
    expect(IMap.isMap(back.m) && back.m.get('x')).toBe(1)
  })

  it('keeps sharing: what was one value is one value again, across roots too', () => {
    const shared = { spec: { image: 'nginx' } }
    const table = IMap({ a: shared, b: shared })
    const [t, view] = roundTrip([table, { services: table }]) as [typeof table, { services: typeof table }]
    expect(t.get('a')).toBe(t.get('b'))
    expect(view.services).toBe(t)
  })

  it('writes immutable values of equal content once, but never merges mutable ones (a memory is changed in place)', () => {
    const twins = [{ labels: { app: 'web' } }, { labels: { app: 'web' } }]
    const enc = new GraphEncoder()
    enc.encode(twins, true)
    expect(enc.rows.length).toBe(3) // the labels, one pod, the list
    const [pending, idle] = roundTrip([new Set<string>(), new Set<string>()], false) as [Set<string>, Set<string>]
    pending.add('worker-1')
    expect(idle.size).toBe(0)
  })

  it('an Immutable Map rebuilt from its save iterates as the original, and keeps doing so through any later changes', () => {
    fc.assert(
      fc.property(history, ops, (past, future) => {
        const original = run(IMap(), past, 'h')
        const [copy] = roundTrip([original]) as [IMap<unknown, unknown>]
        expect([...copy.keys()]).toEqual([...original.keys()])
        let a = original
        let b = copy
        for (const [i, op] of future.entries()) {
          a = run(a, [op], `f${i}-`)
          b = run(b, [op], `f${i}-`)
          expect([...b.entries()]).toEqual([...a.entries()])
        }
      }),
      { numRuns: 300 },
    )
  })

  it('encodes a value nested 100,000 deep without running out of stack', () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const [back] = roundTrip([deep])
    let depth = 0
    for (let v = back; Array.isArray(v); v = v[0]) depth++
    expect(depth).toBe(100_000)
  })

  it('refuses what is not plain data: a function, a class instance, a cycle', () => {
    const enc = new GraphEncoder()
    expect(() => enc.encode({ f: () => 1 }, true)).toThrow('function is not plain data')
    expect(() => enc.encode({ d: new Date(0) }, true)).toThrow('Date is not plain data')
    const loop: Record<string, unknown> = {}
    loop['self'] = loop
    expect(() => enc.encode(loop, false)).toThrow('refers to itself')
  })

  it('reads a damaged table as an error with the reason, never as a half-built value', () => {
    const cases: [unknown, unknown[], string][] = [
      ['rows', [[0]], 'not a list'],
      [[['a', [1]], ['a']], [[1]], 'row 0 of its value table holds [1], which is neither plain data nor a reference to an earlier row'],
      [[['z']], [[0]], 'row 0 of its value table has an unknown tag "z"'],
      [[['o', 'a']], [[0]], 'row 0 of its value table has a key without a value'],
      [[['o', 1, 2]], [[0]], 'an object key that is not a string'],
      [[['n', 'eleven']], [[0]], 'malformed special number'],
      [[[7]], [[0]], 'is not a tagged list'],
      [[['a']], [[5]], 'refers to a value its table does not hold'],
      [[['a', Number.POSITIVE_INFINITY]], [[0]], 'neither plain data'],
    ]
    for (const [rows, roots, error] of cases) {
      const r = decodeGraph(rows, roots)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error).toContain(error)
    }
  })

  it('keeps a key named __proto__ as a key, not as the prototype', () => {
    const [back] = roundTrip([JSON.parse('{"__proto__": {"polluted": true}}')]) as [Record<string, unknown>]
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype)
    expect(Object.keys(back)).toEqual(['__proto__'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})
