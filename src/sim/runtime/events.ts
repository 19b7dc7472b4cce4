/** One step of the story a student follows: who did what to which object, when, and why. */
export interface SimEvent {
  /** Virtual milliseconds. */
  readonly time: number
  /** The component: "API server", "etcd", "replicaset-controller", "kubelet/worker-1", "kube-proxy/worker-1", ... */
  readonly actor: string
  /** A short verb: create, update, delete, allocate, store, schedule, start, ready, sync, ... */
  readonly action: string
  /** "Kind namespace/name" (or "Kind name" for cluster-scoped objects). */
  readonly object: string
  readonly message: string
  /** The Kubernetes event reason when one exists (Scheduled, Pulled, Started, ScalingReplicaSet, ...). */
  readonly reason?: string
}

/** Keeps the newest `capacity` events, like the API server's event TTL keeps the recent past. */
export class EventLog {
  private items: SimEvent[] = []
  private dropped = 0
  constructor(private readonly capacity: number) {}

  push(event: SimEvent): void {
    this.items.push(event)
    // Trim in chunks so that pushing stays O(1) amortised.
    if (this.items.length > this.capacity * 1.25) {
      const excess = this.items.length - this.capacity
      this.items = this.items.slice(excess)
      this.dropped += excess
    }
  }

  list(): readonly SimEvent[] {
    return this.items.length > this.capacity ? this.items.slice(this.items.length - this.capacity) : this.items
  }

  /** The newest `n` (at most the capacity), without copying the rest. */
  recent(n: number): readonly SimEvent[] {
    return this.items.slice(Math.max(0, this.items.length - Math.min(n, this.capacity)))
  }

  /** The events at or after virtual time `t`, found from the newest back: as cheap as there are such events. */
  since(t: number): readonly SimEvent[] {
    let i = this.items.length
    while (i > 0 && this.items[i - 1]!.time >= t) i--
    return this.items.slice(i)
  }

  /** Starts the log over from a saved tail: `events` oldest first, `total` counting those recorded before them. */
  restore(events: readonly SimEvent[], total: number): void {
    this.items = events.slice(Math.max(0, events.length - this.capacity))
    this.dropped = total - this.items.length
  }

  /** How many events have been recorded in all, including those that aged out. */
  get total(): number {
    return this.dropped + this.items.length
  }
}
