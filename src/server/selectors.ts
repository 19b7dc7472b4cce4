import { parseLabelSelector } from '../sim/kubectl/labelSelector'
import type { KubeObject } from '../sim/model/meta'
import { apiVersionOf, type ServedResource } from './resources'

/** Which objects a list or watch asks for: `?labelSelector=` and `?fieldSelector=` together. */
export type ObjectFilter = (o: KubeObject) => boolean

const everything: ObjectFilter = () => true

/** A field's value as a field selector reads it: a dotted path into the object ("involvedObject.name", "spec.nodeName"). */
function fieldValue(o: KubeObject, path: string): string {
  let v: unknown = o
  for (const p of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined
  return v === undefined || v === null ? '' : String(v)
}

/**
 * fields.ParseSelector: `a=b`, `a==b`, `a!=b`, joined by commas. Any field path is accepted (the API server accepts
 * a few per kind: metadata.name and metadata.namespace everywhere, involvedObject.* for events, spec.nodeName and
 * status.phase for pods, which kubectl describe node uses).
 */
function parseFieldSelector(text: string): { ok: true; filter: ObjectFilter } | { ok: false; error: string } {
  const terms: { path: string; not: boolean; value: string }[] = []
  for (const raw of text.split(',')) {
    const t = raw.trim()
    if (t === '') continue
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(t)
    if (!m) return { ok: false, error: `invalid selector: '${text}'; can't understand '${t}'` }
    terms.push({ path: m[1]!, not: m[2] === '!=', value: m[3]! })
  }
  if (terms.length === 0) return { ok: true, filter: everything }
  return { ok: true, filter: (o) => terms.every((t) => (fieldValue(o, t.path) === t.value) !== t.not) }
}

/** The filter of a request's query, or the API server's 400 message for a selector it cannot parse. */
export function objectFilter(query: URLSearchParams, r: ServedResource): { ok: true; filter: ObjectFilter } | { ok: false; error: string } {
  const labels = query.get('labelSelector') ?? ''
  const fields = query.get('fieldSelector') ?? ''
  let byLabels: ObjectFilter = everything
  if (labels.trim() !== '') {
    const parsed = parseLabelSelector(labels)
    if (!parsed.ok) {
      // The parser's text names pods; the API server names the resource asked for.
      const error = parsed.error.replace(/^Error from server \(BadRequest\): /, '').replace(/"\/v1, Resource=pods"/, `"${r.group ? apiVersionOf(r) : `/${r.version}`}, Resource=${r.plural}"`)
      return { ok: false, error }
    }
    byLabels = (o) => parsed.matches(o.metadata.labels)
  }
  const byFields = parseFieldSelector(fields)
  if (!byFields.ok) return byFields
  if (byLabels === everything) return byFields
  const f = byFields.filter
  return { ok: true, filter: (o) => byLabels(o) && f(o) }
}
