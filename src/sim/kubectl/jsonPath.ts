/**
 * kubectl's `-o jsonpath=` template (k8s.io/client-go/util/jsonpath): text with `{...}` actions: field paths
 * (`.metadata.name`, `.items[*].spec.clusterIP`, `['key.with.dots']`, `[0]`, `[-1]`, `[*]`, `..name`), string
 * literals (`{"\n"}`) and `{range ...}...{end}`. Several results of one path print separated by spaces.
 */
export function jsonPath(template: string, data: unknown): { ok: true; text: string } | { ok: false; error: string } {
  const tokens: ({ text: string } | { expr: string })[] = []
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    if (open < 0) {
      tokens.push({ text: template.slice(i) })
      break
    }
    if (open > i) tokens.push({ text: template.slice(i, open) })
    const close = findClose(template, open)
    if (close < 0) return { ok: false, error: `error: error parsing jsonpath ${template}, unclosed action` }
    tokens.push({ expr: template.slice(open + 1, close).trim() })
    i = close + 1
  }
  try {
    return { ok: true, text: render(tokens, 0, tokens.length, data, data) }
  } catch (e) {
    return { ok: false, error: `error: error executing jsonpath "${template}": ${(e as Error).message}` }
  }
}

function findClose(t: string, open: number): number {
  let inString = false
  for (let j = open + 1; j < t.length; j++) {
    if (t[j] === '"' && t[j - 1] !== '\\') inString = !inString
    if (!inString && t[j] === '}') return j
  }
  return -1
}

function render(tokens: ({ text: string } | { expr: string })[], from: number, to: number, cur: unknown, root: unknown): string {
  let out = ''
  for (let k = from; k < to; k++) {
    const t = tokens[k]!
    if ('text' in t) {
      out += t.text
      continue
    }
    if (t.expr.startsWith('range ')) {
      let depth = 1
      let end = k + 1
      for (; end < to; end++) {
        const e = tokens[end]!
        if ('expr' in e && e.expr.startsWith('range ')) depth++
        if ('expr' in e && e.expr === 'end' && --depth === 0) break
      }
      for (const item of evaluate(t.expr.slice(6).trim(), cur, root)) out += render(tokens, k + 1, end, item, root)
      k = end
      continue
    }
    if (t.expr.startsWith('"')) {
      out += JSON.parse(t.expr) as string
      continue
    }
    out += evaluate(t.expr, cur, root).map(show).join(' ')
  }
  return out
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))

/** The values a path selects, in order. */
function evaluate(path: string, cur: unknown, root: unknown): unknown[] {
  let values: unknown[] = [path.startsWith('$') ? root : cur]
  let p = path.startsWith('$') ? path.slice(1) : path
  while (p.length > 0) {
    let m: RegExpExecArray | null
    if ((m = /^\.\.([\w-]+)/.exec(p))) {
      const key = m[1]!
      values = values.flatMap((v) => descendants(v).flatMap((d) => (d && typeof d === 'object' && !Array.isArray(d) && key in d ? [(d as Record<string, unknown>)[key]] : [])))
    } else if ((m = /^\.([\w-]+)/.exec(p))) {
      const key = m[1]!
      values = values.flatMap((v) => (v && typeof v === 'object' && !Array.isArray(v) && key in v ? [(v as Record<string, unknown>)[key]] : []))
    } else if ((m = /^\[\*\]|^\.\*/.exec(p))) {
      values = values.flatMap((v) => (Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : []))
    } else if ((m = /^\[(-?\d+)\]/.exec(p))) {
      const n = Number(m[1])
      values = values.flatMap((v) => {
        if (!Array.isArray(v)) return []
        const idx = n < 0 ? v.length + n : n
        if (idx < 0 || idx >= v.length) throw new Error(`array index out of bounds: index ${n}, length ${v.length}`)
        return [v[idx]]
      })
    } else if ((m = /^\[['"]([^'"]+)['"]\]/.exec(p))) {
      const key = m[1]!
      values = values.flatMap((v) => (v && typeof v === 'object' && key in v ? [(v as Record<string, unknown>)[key]] : []))
    } else if (p.startsWith('.') && p.length === 1) break
    else throw new Error(`unrecognized identifier ${p}`)
    p = p.slice(m ? m[0].length : 1)
  }
  return values
}

function descendants(v: unknown): unknown[] {
  if (!v || typeof v !== 'object') return []
  const children = Array.isArray(v) ? v : Object.values(v)
  return [v, ...children.flatMap(descendants)]
}
