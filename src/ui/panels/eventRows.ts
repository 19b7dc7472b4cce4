import type { SimEvent } from '../../sim'

/** A line of the event list: one event, or a run of the same event. */
export interface EventRow {
  /** Stable while the event stays listed. */
  readonly key: string
  /** The event the row shows (for a run, the newest). */
  readonly event: SimEvent
  /** Who acted, in order: ["API server", "etcd"] for a write the API server stored, else the component. */
  readonly actors: readonly string[]
  /** A write the API server stored: whose it was. */
  readonly write?: 'user' | 'component'
  /** How many times in a row it happened (the newest shown). */
  readonly repeats: number
}

/**
 * A write a component made (a controller, a kubelet, kubeadm): every change in the cluster passes through the API
 * server, so these outnumber the rest of the story; the user's own writes (kubectl) are not counted among them.
 */
export const isComponentWrite = (e: SimEvent) => e.write !== undefined && e.write.by !== 'kubectl'

const keys = new WeakMap<SimEvent, string>()
let nextKey = 0

/** A key for the event, the same for as long as it is listed (the engine keeps each event as one object). */
function keyOf(e: SimEvent): string {
  let k = keys.get(e)
  if (k === undefined) keys.set(e, (k = String(nextKey++)))
  return k
}

/**
 * The rows for events listed oldest first, newest first: a write the API server stored reads "API server → etcd"; the
 * same actor saying the same of the same object again right after is counted, not repeated; with `componentWrites`
 * false, the writes of the cluster's components are left out (the user's stay: they start the story).
 */
export function eventRows(events: readonly SimEvent[], options: { componentWrites: boolean }): EventRow[] {
  const out: EventRow[] = []
  for (const e of events) {
    if (!options.componentWrites && isComponentWrite(e)) continue
    const write = e.write ? (e.write.by === 'kubectl' ? 'user' : 'component') : undefined
    const actors = write ? ['API server', 'etcd'] : [e.actor]
    const last = out.at(-1)
    if (last && !write && !last.write && last.event.actor === e.actor && last.event.object === e.object && last.event.message === e.message) {
      out[out.length - 1] = { ...last, key: keyOf(e), event: e, repeats: last.repeats + 1 }
      continue
    }
    out.push({ key: keyOf(e), event: e, actors, ...(write ? { write } : {}), repeats: 1 })
  }
  return out.reverse()
}

/**
 * Who an event is from, as the list's component filter names them: "user" for what the user sent (kubectl), else the
 * component without its node ("kubelet", "kube-proxy", "node-lifecycle-controller", "CoreDNS", "API server", ...);
 * a write the API server stored is its sender's.
 */
export function eventComponent(e: SimEvent): string {
  const who = e.write ? e.write.by : e.actor
  return who === 'kubectl' ? 'user' : who.split('/')[0]!
}

/** What the event list is narrowed to: object text (any part of "Kind namespace/name"), a component, the components' writes. */
export interface EventFilterChoice {
  readonly object: string
  readonly component: string | undefined
  readonly componentWrites: boolean
}

/**
 * The newest `limit` events that pass the filter, oldest first, from the whole story (oldest first); `more` when
 * older ones pass too, `hidden` how many components' writes were left out of the stretch looked through.
 */
export function pickEvents(all: readonly SimEvent[], filter: EventFilterChoice, limit: number): { events: SimEvent[]; more: boolean; hidden: number } {
  const text = filter.object.trim().toLowerCase()
  const out: SimEvent[] = []
  let hidden = 0
  let i = all.length - 1
  for (; i >= 0 && out.length < limit; i--) {
    const e = all[i]!
    if (text && !e.object.toLowerCase().includes(text)) continue
    if (filter.component !== undefined && eventComponent(e) !== filter.component) continue
    if (!filter.componentWrites && isComponentWrite(e)) {
      hidden++
      continue
    }
    out.push(e)
  }
  // One more that passes, further back, means older events are a press away.
  let more = false
  for (; i >= 0 && !more; i--) {
    const e = all[i]!
    more = (!text || e.object.toLowerCase().includes(text)) && (filter.component === undefined || eventComponent(e) === filter.component) && (filter.componentWrites || !isComponentWrite(e))
  }
  return { events: out.reverse(), more, hidden }
}

/** The components that appear in the story, sorted, the user first: the choices of the component filter. */
export function componentsOf(all: readonly SimEvent[]): string[] {
  const seen = new Set<string>()
  for (const e of all) seen.add(eventComponent(e))
  return [...seen].sort((a, b) => Number(b === 'user') - Number(a === 'user') || a.localeCompare(b))
}
