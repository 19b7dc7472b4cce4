import type { KubeObject } from '../model/meta'

/** The annotation `kubectl apply` keeps its input in (client-side apply), to know next time what it set. */
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** Go's encoding/json: map keys sorted, and <, > and & escaped for HTML. */
function goJSON(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted)
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]))
    return v
  }
  return JSON.stringify(sorted(value)).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)
}

/**
 * The annotation's value: the document as the user wrote it, without the annotation itself (an empty `annotations`
 * map stays, as kubectl leaves it), with the namespace kubectl sent it to, as JSON with a final newline (kubectl's
 * GetModifiedConfiguration encodes it with a json.Encoder, which ends every value with one).
 */
export function lastAppliedConfiguration(raw: unknown, namespace: string | undefined): string {
  const doc = raw as { metadata?: { annotations?: Record<string, unknown> } }
  const annotations = { ...(doc.metadata?.annotations ?? {}) }
  delete annotations[LAST_APPLIED]
  return `${goJSON({ ...doc, metadata: { ...doc.metadata, annotations, ...(namespace ? { namespace } : {}) } })}\n`
}

type Strings = Readonly<Record<string, string>> | undefined

/**
 * kubectl apply's three-way merge of a string map (labels, annotations): what the user sets now wins; what the user
 * set last time and dropped is removed; what others wrote (a controller's revision annotation) is kept.
 */
function merge(live: Strings, previous: Strings, mine: Strings): Record<string, string> | undefined {
  const out: Record<string, string> = { ...(live ?? {}) }
  for (const k of Object.keys(previous ?? {})) if (!(k in (mine ?? {}))) delete out[k]
  Object.assign(out, mine ?? {})
  return Object.keys(out).length ? out : undefined
}

/**
 * The labels and annotations an apply leaves on a live object. `mine` is the object as applied, its annotations
 * already holding this apply's record, which the next apply will read as `previous`.
 */
export function appliedMetadata(live: KubeObject, mine: KubeObject): Pick<KubeObject['metadata'], 'labels' | 'annotations'> {
  let previous: KubeObject | undefined
  try {
    const text = live.metadata.annotations?.[LAST_APPLIED]
    previous = text ? (JSON.parse(text) as KubeObject) : undefined
  } catch {
    previous = undefined
  }
  const labels = merge(live.metadata.labels, previous?.metadata?.labels, mine.metadata.labels)
  const annotations = merge(live.metadata.annotations, previous?.metadata?.annotations, mine.metadata.annotations)
  return { ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) }
}
