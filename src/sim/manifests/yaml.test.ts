import { describe, expect, it } from 'vitest'
import { parseManifest, toYaml } from './yaml'

const objects = (text: string) => {
  const r = parseManifest(text)
  if (!r.ok) throw new Error(r.message)
  return r.documents.map((d) => d.object)
}
const failure = (text: string) => {
  const r = parseManifest(text)
  return r.ok ? undefined : r.message
}

/** Billion laughs: each level is a list of `fanout` aliases of the level below. */
function laughs(levels: number, fanout: number): string {
  let text = 'a0: &a0 "lol"\n'
  for (let level = 1; level <= levels; level++) text += `a${level}: &a${level} [${Array.from({ length: fanout }, () => `*a${level - 1}`).join(', ')}]\n`
  return text
}

describe('YAML as kubectl reads it', () => {
  it('expands a legitimate anchor used 21 or 100 times', () => {
    const uses = (n: number) => `base: &b {app: web, tier: front}\n${Array.from({ length: n }, (_, i) => `k${i}: *b`).join('\n')}\n`
    expect(Object.keys(objects(uses(21))[0] as object)).toHaveLength(22)
    const hundred = objects(uses(100))[0] as Record<string, unknown>
    expect(hundred['k99']).toEqual({ app: 'web', tier: 'front' })
  })

  it('refuses alias bombs with go-yaml\'s message, quickly', () => {
    expect(failure(laughs(9, 9))).toBe('error converting YAML to JSON: yaml: document contains excessive aliasing')
    expect(failure(laughs(4, 10))).toBe('error converting YAML to JSON: yaml: document contains excessive aliasing')
    // go-yaml accepts three levels of ten: a thousand scalars from 33 nodes.
    expect(objects(laughs(3, 10))).toHaveLength(1)
  })

  it('refuses an anchor that contains itself and an alias of no anchor', () => {
    expect(failure('a: &x {b: *x}\n')).toBe("error converting YAML to JSON: yaml: anchor 'x' value contains itself")
    expect(failure('a: *nope\n')).toBe("error converting YAML to JSON: yaml: unknown anchor 'nope' referenced")
  })

  it('stops at 100 levels of nesting however they are written', () => {
    expect(failure(`a: ${'['.repeat(3000)}${']'.repeat(3000)}\n`)).toBe('error converting YAML to JSON: yaml: exceeded max depth of 100')
    expect(failure(`a: ${'['.repeat(150)}${']'.repeat(150)}\n`)).toBe('error converting YAML to JSON: yaml: exceeded max depth of 100')
    expect(failure(Array.from({ length: 120 }, (_, i) => `${'  '.repeat(i)}k:`).join('\n') + ' 1\n')).toBe('error converting YAML to JSON: yaml: exceeded max depth of 100')
    // Depth built from aliases counts as the expanded document would nest.
    let chain = 'l0: &l0 [1]\n'
    for (let i = 1; i <= 110; i++) chain += `l${i}: &l${i} [*l${i - 1}]\n`
    expect(failure(chain)).toBe('error converting YAML to JSON: yaml: exceeded max depth of 100')
    expect(objects(`a: ${'['.repeat(99)}${']'.repeat(99)}\n`)).toHaveLength(1)
  })

  it('merges `<<` keys as go-yaml does, explicit keys winning', () => {
    expect(objects('base: &b {a: 1, b: 2}\nthing:\n  <<: *b\n  b: 3\n')[0]).toEqual({ base: { a: 1, b: 2 }, thing: { a: 1, b: 3 } })
  })

  it('reads single-pair flow entries and scalar keys as JSON strings', () => {
    expect(objects('a: [b: 1]\n1: x\n')[0]).toEqual({ a: [{ b: 1 }], 1: 'x' })
    expect(failure('? [a, b]\n: 1\n')).toBe('error converting YAML to JSON: yaml: invalid map key: []interface {}{"a", "b"}')
  })
})

describe('YAML as kubectl get -o yaml prints it', () => {
  it('prints an object the engine shares between two fields in full at both, never as an anchor and an alias', () => {
    const labels = { app: 'web' }
    const text = toYaml({ spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } })
    expect(text).not.toMatch(/[&*]a\d/)
    expect(text).toBe('spec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n')
  })
})
