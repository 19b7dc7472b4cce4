import { countUpTo } from './bisect'
/** One step of the story a student follows: who did what to which object, when, and why. */
export interface SimEvent {
  /** Virtual milliseconds. */
  readonly time: number
  /** The component: "API server", "replicaset-controller", "kubelet/worker-1", "kube-proxy/worker-1", ... */
  readonly actor: string
  /** A short verb: create, update, delete, allocate, schedule, start, ready, sync, ... */
  readonly action: string
  /** "Kind namespace/name" (or "Kind name" for cluster-scoped objects). */
  readonly object: string
  readonly message: string
  /** The Kubernetes event reason when one exists (Scheduled, Pulled, Started, ScalingReplicaSet, ...). */
  readonly reason?: string
  /**
   * Set on the API server's record of a write (actor "API server"): every create, update and delete of an object,
   * whoever sent it. The controllers' own story events have none, so a view can show one without the other.
   */
  readonly write?: ApiWrite
}

/** A write the API server accepted and etcd stored. */
export interface ApiWrite {
  /** Who sent it: "kubectl" (the user), a controller ("replicaset-controller"), "kubelet/worker-1", "kubeadm". */
  readonly by: string
  readonly verb: 'create' | 'update' | 'delete'
  /** "status" when only the status changed, "scale" for the scale subresource; absent for the object itself. */
  readonly subresource?: 'status' | 'scale'
  /** etcd's key: /registry/pods/default/web-7c5ddbdf54-x7k2p. */
  readonly key: string
  /** The cluster's resourceVersion after the write (etcd's revision). */
  readonly resourceVersion: string
  /** The watch event the write sends to every watcher of its kind (a graceful delete is a MODIFIED: the object stays). */
  readonly watch?: 'ADDED' | 'MODIFIED' | 'DELETED'
  /** Who watches this kind and receives the event: the controllers' informers, CoreDNS, the kube-proxies, kubelets. */
  readonly watchers?: readonly string[]
}

/** Which events a reader wants: by default the story, without the API server's record of each write. */
export interface EventFilter {
  /** true: the API server's writes too, in order among the story's events. */
  readonly writes?: boolean
}

/** Events in push order, with their sequence numbers beside them (no wrapper object per event). */
interface Log {
  events: SimEvent[]
  seqs: number[]
}

/**
 * Keeps the newest `capacity` story events and, apart, the newest `capacity` writes, like the API server's event TTL
 * keeps the recent past: status writes are many, and must not push the story out.
 */
export class EventLog {
  private logs: { stories: Log; writes: Log } = { stories: { events: [], seqs: [] }, writes: { events: [], seqs: [] } }
  private seq = 0
  constructor(private capacity: number) {}

  /** From now on nothing ages out: the simulation keeps its history (see history/history.ts). */
  keepAll(): void {
    this.capacity = Number.POSITIVE_INFINITY
  }

  push(event: SimEvent): void {
    const log = event.write ? this.logs.writes : this.logs.stories
    log.events.push(event)
    log.seqs.push(this.seq++)
    // Trim in chunks so that pushing stays O(1) amortised.
    if (log.events.length > this.capacity * 1.25) {
      const excess = log.events.length - this.capacity
      log.events.splice(0, excess)
      log.seqs.splice(0, excess)
    }
  }

  private tails(n: number, filter: EventFilter): Log[] {
    const keep = (log: Log): Log => {
      const from = Math.max(0, log.events.length - Math.min(n, this.capacity))
      return { events: log.events.slice(from), seqs: log.seqs.slice(from) }
    }
    return filter.writes === true ? [keep(this.logs.stories), keep(this.logs.writes)] : [keep(this.logs.stories)]
  }

  /** All kept events (up to the capacity of each kind), oldest first. */
  list(filter: EventFilter = {}): SimEvent[] {
    return merge(this.tails(this.capacity, filter))
  }

  /** The newest `n`, without copying the rest. */
  recent(n: number, filter: EventFilter = {}): SimEvent[] {
    const all = merge(this.tails(n, filter))
    return all.length > n ? all.slice(all.length - n) : all
  }

  /** The events at or after virtual time `t`, found from the newest back: as cheap as there are such events. */
  since(t: number, filter: EventFilter = {}): SimEvent[] {
    const from = (log: Log): Log => {
      let i = log.events.length
      while (i > 0 && log.events[i - 1]!.time >= t) i--
      return { events: log.events.slice(i), seqs: log.seqs.slice(i) }
    }
    return merge(filter.writes === true ? [from(this.logs.stories), from(this.logs.writes)] : [from(this.logs.stories)])
  }

  /** The kept events up to and including virtual time `t`, oldest first, and how many were recorded by then in all. */
  until(t: number, filter: EventFilter = {}): { events: SimEvent[]; total: number } {
    const upTo = (log: Log): Log => {
      const n = countUpTo(log.events, t, (e) => e.time)
      return { events: log.events.slice(0, n), seqs: log.seqs.slice(0, n) }
    }
    const stories = upTo(this.logs.stories)
    const writes = upTo(this.logs.writes)
    const last = Math.max(stories.seqs.at(-1) ?? -1, writes.seqs.at(-1) ?? -1)
    return { events: merge(filter.writes === true ? [stories, writes] : [stories]), total: last + 1 }
  }

  /** The newest `stories` story events and the newest `writes` writes, as one list in the order they were recorded: what a snapshot keeps. */
  tail(stories: number, writes: number): SimEvent[] {
    const keep = (log: Log, n: number): Log => {
      const from = Math.max(0, log.events.length - Math.min(n, this.capacity))
      return { events: log.events.slice(from), seqs: log.seqs.slice(from) }
    }
    return merge([keep(this.logs.stories, stories), keep(this.logs.writes, writes)])
  }

  /**
   * Starts the log over from a saved tail (`tail`'s output, oldest first), `total` counting every event recorded before
   * and among them: they keep their order, and the count goes on from `total`.
   */
  restore(events: readonly SimEvent[], total: number): void {
    this.logs.stories = { events: [], seqs: [] }
    this.logs.writes = { events: [], seqs: [] }
    this.seq = total - events.length
    for (const e of events) this.push(e)
  }

  /** How many events have been recorded in all, including those that aged out. */
  get total(): number {
    return this.seq
  }

  /** Forgets everything recorded after `total` events (an undone command's story). */
  truncate(total: number): void {
    for (const log of [this.logs.stories, this.logs.writes]) {
      let i = log.events.length
      while (i > 0 && log.seqs[i - 1]! >= total) i--
      log.events.length = i
      log.seqs.length = i
    }
    this.seq = Math.min(this.seq, total)
  }
}

/** Two logs, each in push order, as one list in push order. */
function merge(logs: Log[]): SimEvent[] {
  if (logs.length === 1) return logs[0]!.events
  const [a, b] = logs as [Log, Log]
  const out: SimEvent[] = []
  let i = 0
  let j = 0
  while (i < a.events.length || j < b.events.length) {
    if (j >= b.events.length || (i < a.events.length && a.seqs[i]! < b.seqs[j]!)) out.push(a.events[i++]!)
    else out.push(b.events[j++]!)
  }
  return out
}
