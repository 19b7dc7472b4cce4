import type { SimEvent } from '../../sim'

/** A line of the event list: one event, or an API server write with its etcd store, or a run of the same event. */
export interface EventRow {
  /** Stable while the event stays listed (its place in the whole story). */
  readonly key: string
  /** The event the row shows (for a write with its store, the API server's, with etcd's message joined). */
  readonly event: SimEvent
  /** Who acted, in order: ["API server", "etcd"] for a write and its store. */
  readonly actors: readonly string[]
  readonly apiWrite: boolean
  /** How many times in a row it happened (the newest shown). */
  readonly repeats: number
}

/** A write through the API server or its store in etcd: every change makes one, a controller's as a user's. */
export const isApiWrite = (e: SimEvent) => e.actor === 'API server' || e.actor === 'etcd'

/**
 * The rows for events listed oldest first, newest first: an API server write and etcd storing it (same object, same
 * moment) make one row; the same actor saying the same of the same object again right after is counted, not
 * repeated; with `apiWrites` false, writes and stores are left out. `first` is the index of events[0] in the story.
 */
export function eventRows(events: readonly SimEvent[], options: { apiWrites: boolean; first?: number }): EventRow[] {
  const out: EventRow[] = []
  const first = options.first ?? 0
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!
    const apiWrite = isApiWrite(e)
    if (apiWrite && !options.apiWrites) continue
    const next = events[i + 1]
    if (e.actor === 'API server' && next?.actor === 'etcd' && next.object === e.object && next.time === e.time) {
      out.push({ key: String(first + i), event: { ...e, message: `${e.message}; ${next.message}` }, actors: ['API server', 'etcd'], apiWrite, repeats: 1 })
      i++
      continue
    }
    const last = out.at(-1)
    if (last && last.actors.length === 1 && last.event.actor === e.actor && last.event.object === e.object && last.event.message === e.message) {
      out[out.length - 1] = { ...last, key: String(first + i), event: e, repeats: last.repeats + 1 }
      continue
    }
    out.push({ key: String(first + i), event: e, actors: [e.actor], apiWrite, repeats: 1 })
  }
  return out.reverse()
}
