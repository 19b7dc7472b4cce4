import type { Labels } from '../model/meta'

type Requirement = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!'; values: string[] }

/**
 * A `-l` selector as kubectl sends it (labels.Parse): `app=web`, `app==web`, `app!=web`, `tier in (a,b)`,
 * `tier notin (a)`, `app`, `!app`, joined by commas. Returns a matcher, or the API server's error text.
 */
export function parseLabelSelector(text: string): { ok: true; matches: (labels: Labels | undefined) => boolean } | { ok: false; error: string } {
  const reqs: Requirement[] = []
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const c of text) {
    if (c === '(') depth++
    if (c === ')') depth--
    if (c === ',' && depth === 0) {
      parts.push(cur)
      cur = ''
    } else cur += c
  }
  parts.push(cur)
  for (const raw of parts) {
    const p = raw.trim()
    let m: RegExpExecArray | null
    if ((m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(p))) reqs.push({ key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] })
    else if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) reqs.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) })
    else if ((m = /^!\s*([\w./-]+)$/.exec(p))) reqs.push({ key: m[1]!, op: '!', values: [] })
    else if ((m = /^([\w./-]+)$/.exec(p))) reqs.push({ key: m[1]!, op: 'exists', values: [] })
    else return { ok: false, error: `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "${text}", field selector "": unable to parse requirement: found '${p.replace(/^[\w./-]+\s*/, '')[0] ?? ''}', expected: in, notin, =, ==, !=, gt, lt` }
  }
  return {
    ok: true,
    matches: (labels) =>
      reqs.every((r) => {
        const has = labels !== undefined && Object.hasOwn(labels, r.key)
        const v = has ? labels![r.key] : undefined
        switch (r.op) {
          case '=':
            return v === r.values[0]
          case '!=':
            return v !== r.values[0]
          case 'in':
            return has && r.values.includes(v!)
          case 'notin':
            return !has || !r.values.includes(v!)
          case 'exists':
            return has
          case '!':
            return !has
        }
      }),
  }
}
