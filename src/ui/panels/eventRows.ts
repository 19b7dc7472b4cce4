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
