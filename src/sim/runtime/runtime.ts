import { TIMING, type ClusterConfig } from '../config'
import type { KubeObject } from '../model/meta'
import { KIND_TABLES, type ClusterState, type Table } from '../state'
import { Api } from './api'
import { EventLog, type SimEvent } from './events'
import { Indexes } from './indexes'
import { MinHeap } from './minHeap'
import { createRngStreams, type RngStreams, type RngStreamsState } from './rng'
import { routeChange } from './watches'

/** The controllers, in the order the reconcile loop runs them. */
export const CONTROLLER_ORDER = [
  'kubernetes-service-controller',
  'namespace-controller',
  'serviceaccount-controller',
  'root-ca-cert-publisher',
  'garbage-collector',
  'deployment-controller',
  'replicaset-controller',
  'daemonset-controller',
  'node-lifecycle-controller',
  'default-scheduler',
  'kubelet',
  'endpointslice-controller',
  'endpoints-controller',
  'endpointslicemirroring-controller',
  'service-lb-controller',
  'coredns',
  'kube-proxy',
] as const

export type ControllerName = (typeof CONTROLLER_ORDER)[number]

/** What a controller may use besides the state: its work queue, timers, the RNG, the indexes and the event log. */
export interface ControllerContext {
  /** The API server: every write goes through it. */
  readonly api: Api
  readonly config: ClusterConfig
  readonly rng: RngStreams
  readonly index: Indexes
  /** Drains this controller's work queue, in the order keys were added. */
  take(): string[]
  /** Queues `key` for this controller again after `ms` of virtual time (workqueue.AddAfter; keeps the earliest). */
  after(ms: number, key: string): void
  /** Queues `key` for another controller now. */
  enqueue(controller: ControllerName, key: string): void
  /** Keys with a timer still pending for this controller. */
  pendingTimers(): number
  record(event: Omit<SimEvent, 'time'>): void
  /**
   * The controller's own process memory that decides what it does next (round-robin cursors, what it has seen,
   * pending work), created on first use. Snapshots keep it, so it must be plain data: primitives, arrays, plain
   * objects, Maps and Sets of those (see snapshot/valueCodec.ts); a restored memory must have the shape `init` gives.
   */
  memory<T>(init: () => T): T
  /**
   * Derived data kept only to avoid recomputing (it may hold live references into the state or the indexes). Never
   * saved: a restored runtime starts with empty caches, so what is here must be rebuildable from the state alone.
   */
  cache<T>(init: () => T): T
}

/** A controller is a reducer: it returns the next state, or the very same state when it has nothing to do. */
export interface Controller {
  readonly name: ControllerName
  reconcile(state: ClusterState, ctx: ControllerContext): ClusterState
}

interface Timer {
  readonly at: number
  readonly seq: number
  readonly controller: ControllerName
  readonly key: string
}

/**
 * What a snapshot keeps of the runtime, all of which decides the future: the RNG, the timers (superseded ones
 * included: they still fire in their turn) and their sequence counter, queued work, each controller's memory and the
 * newest events. The indexes and caches are not here: they are rebuilt from the state.
 */
export interface RuntimeSave {
  readonly rng: RngStreamsState
  readonly seq: number
  /** The timer heap's entries: [virtual ms, sequence number, controller, key]. */
  readonly timers: readonly (readonly [number, number, ControllerName, string])[]
  /** The earliest pending timer of each (controller, key): [controller, key, virtual ms]. */
  readonly due: readonly (readonly [ControllerName, string, number])[]
  readonly queues: readonly (readonly [ControllerName, readonly string[]])[]
  readonly memories: readonly (readonly [ControllerName, unknown])[]
  /** The newest events, oldest first, and how many were recorded in all. */
  readonly events: readonly SimEvent[]
  readonly eventTotal: number
}

/** The name a controller's writes carry, where upstream's component is called otherwise than the loop here. */
const WRITER_NAMES: Partial<Record<ControllerName, string>> = { 'service-lb-controller': 'service-controller' }

/** Passes of the reconcile loop after which a change is declared a livelock (a bug, reported loudly). */
export const MAX_PASSES = 200

/** What changed in the timers since a checkpoint, so a failed command can be undone without copying them all. */
interface TimerJournal {
  readonly pushed: Timer[]
  readonly popped: Timer[]
  /** Timer id -> its due time at the checkpoint (undefined: none). */
  readonly due: Map<string, number | undefined>
}

/** The runtime as it was before a command: restored, with the state, if the command throws. */
export interface RuntimeCheckpoint {
  readonly queues: Map<ControllerName, Set<string>>
  readonly rng: RngStreamsState
  readonly events: number
  readonly now: number
  readonly seq: number
  readonly journal: TimerJournal
}

/**
 * The process memory around the state: work queues, timers, indexes, RNG and events. Everything here is driven only by
 * the seed and the calls made, so a run replays exactly.
 */
export class Runtime {
  readonly rng: RngStreams
  readonly index = new Indexes()
  readonly api: Api = new Api(this)
  readonly events = new EventLog(20000)
  private readonly queues = new Map<ControllerName, Set<string>>()
  private readonly timers = new MinHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq))
  private readonly timerDue = new Map<string, number>()
  private readonly timerCounts = new Map<ControllerName, number>()
  private readonly memories = new Map<ControllerName, unknown>()
  private readonly caches = new Map<ControllerName, unknown>()
  private seq = 0
  private journal: TimerJournal | undefined
  /**
   * Set while the cluster is built and while the informers relist after a crash: watch events then reach their
   * controllers at once (the cluster's history begins settled; a relist is queued work, not news).
   */
  immediate = false
  now = 0

  /** `seed` starts a new RNG stream; an RNG state continues a saved one. */
  constructor(seed: number | RngStreamsState, readonly config: ClusterConfig) {
    this.rng = createRngStreams(seed)
    for (const name of CONTROLLER_ORDER) {
      this.queues.set(name, new Set())
      this.timerCounts.set(name, 0)
    }
  }

  enqueue(controller: ControllerName, key: string): void {
    this.queues.get(controller)!.add(key)
  }

  /**
   * A watch event reaching a controller's informer: a moment after the write (see TIMING.informerLatency). CoreDNS and
   * kube-proxy are queued at once: each times its own watch and sync (TIMING.watchLatency, the sync period).
   */
  deliver(controller: ControllerName, key: string): void {
    if (this.immediate || controller === 'coredns' || controller === 'kube-proxy') this.enqueue(controller, key)
    else this.schedule(controller, this.now + TIMING.informerLatency, key)
  }

  hasQueuedWork(): boolean {
    for (const q of this.queues.values()) if (q.size > 0) return true
    return false
  }

  schedule(controller: ControllerName, at: number, key: string): void {
    const id = `${controller}|${key}`
    const due = this.timerDue.get(id)
    if (due !== undefined && due <= at) return
    if (due === undefined) this.timerCounts.set(controller, this.timerCounts.get(controller)! + 1)
    if (this.journal && !this.journal.due.has(id)) this.journal.due.set(id, due)
    this.timerDue.set(id, at)
    const timer = { at, seq: this.seq++, controller, key }
    this.journal?.pushed.push(timer)
    this.timers.push(timer)
  }

  /** The virtual time of the next pending timer, if any. */
  nextTimerAt(): number | undefined {
    return this.timers.peek()?.at
  }

  /** Moves every timer due at or before `time` into its controller's queue. */
  fireTimersUpTo(time: number): void {
    for (let t = this.timers.peek(); t && t.at <= time; t = this.timers.peek()) {
      this.timers.pop()
      this.journal?.popped.push(t)
      const id = `${t.controller}|${t.key}`
      // A timer superseded by an earlier one for the same key has already fired.
      if (this.timerDue.get(id) !== t.at) continue
      if (this.journal && !this.journal.due.has(id)) this.journal.due.set(id, t.at)
      this.timerDue.delete(id)
      this.timerCounts.set(t.controller, this.timerCounts.get(t.controller)! - 1)
      this.enqueue(t.controller, t.key)
    }
  }

  record(event: SimEvent): void {
    this.events.push(event)
  }

  /** Remembers where the runtime stands, before a command that may fail. */
  checkpoint(): RuntimeCheckpoint {
    this.journal = { pushed: [], popped: [], due: new Map() }
    const queues = new Map<ControllerName, Set<string>>()
    for (const [name, q] of this.queues) queues.set(name, new Set(q))
    return { queues, rng: this.rng.save(), events: this.events.total, now: this.now, seq: this.seq, journal: this.journal }
  }

  /** The command went through: stop keeping the journal. */
  commit(): void {
    this.journal = undefined
  }

  /**
   * Back to the checkpoint: queues, timers, the RNG's position, the events, and the indexes (rebuilt from `state`, the
   * state of the checkpoint). The controllers' process memory cannot be wound back, so they restart as after a crash:
   * their memory is dropped and they relist every object (queued, not run: the state stays as it was).
   */
  rollback(cp: RuntimeCheckpoint, state: ClusterState): void {
    for (const [name, q] of cp.queues) this.queues.set(name, new Set(q))
    this.rng.restore(cp.rng)
    this.events.truncate(cp.events)
    this.now = cp.now
    this.seq = cp.seq
    const pushed = new Set(cp.journal.pushed)
    this.timers.reset([...this.timers.toArray().filter((t) => !pushed.has(t)), ...cp.journal.popped.filter((t) => !pushed.has(t))])
    for (const [id, due] of cp.journal.due) {
      if (due === undefined) this.timerDue.delete(id)
      else this.timerDue.set(id, due)
    }
    for (const name of CONTROLLER_ORDER) this.timerCounts.set(name, 0)
    for (const id of this.timerDue.keys()) {
      const name = id.slice(0, id.indexOf('|')) as ControllerName
      this.timerCounts.set(name, this.timerCounts.get(name)! + 1)
    }
    this.index.clear()
    for (const [kind, table] of Object.entries(KIND_TABLES)) {
      for (const [key, obj] of (state[table] as Table<KubeObject>).entries()) this.index.update(kind, key, undefined, obj)
    }
    for (const obj of state.others.values()) this.index.update(obj.kind, `${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`, undefined, obj)
    this.journal = undefined
    this.memories.clear()
    // Caches are derived from memory and state (kube-proxy's counts from its change log): they go with it.
    this.caches.clear()
    const immediate = this.immediate
    this.immediate = true
    for (const [kind, table] of Object.entries(KIND_TABLES)) {
      for (const [key, obj] of (state[table] as Table<KubeObject>).entries()) routeChange(this, kind, key, undefined, obj)
    }
    this.immediate = immediate
  }

  contextFor(controller: ControllerName): ControllerContext {
    return {
      // Every write is the API server's, recorded under the name of the component that sent it.
      api: this.api.as(WRITER_NAMES[controller] ?? controller),
      config: this.config,
      rng: this.rng,
      index: this.index,
      take: () => {
        const q = this.queues.get(controller)!
        if (q.size === 0) return []
        const keys = [...q]
        q.clear()
        return keys
      },
      after: (ms, key) => this.schedule(controller, this.now + ms, key),
      enqueue: (c, key) => this.enqueue(c, key),
      pendingTimers: () => this.timerCounts.get(controller)!,
      record: (e) => this.record({ time: this.now, ...e }),
      memory: <T>(init: () => T): T => {
        if (!this.memories.has(controller)) this.memories.set(controller, init())
        return this.memories.get(controller) as T
      },
      cache: <T>(init: () => T): T => {
        if (!this.caches.has(controller)) this.caches.set(controller, init())
        return this.caches.get(controller) as T
      },
    }
  }

  /** Everything of the runtime that decides the future, with the newest `events` events (see RuntimeSave). */
  save(events: { readonly stories: number; readonly writes: number }): RuntimeSave {
    const tail = this.events.tail(events.stories, events.writes)
    return {
      rng: this.rng.save(),
      seq: this.seq,
      timers: this.timers.toArray().map((t) => [t.at, t.seq, t.controller, t.key] as const),
      due: [...this.timerDue].map(([id, at]) => {
        const bar = id.indexOf('|')
        return [id.slice(0, bar) as ControllerName, id.slice(bar + 1), at] as const
      }),
      queues: [...this.queues].filter(([, q]) => q.size > 0).map(([c, q]) => [c, [...q]] as const),
      memories: [...this.memories],
      events: tail,
      eventTotal: this.events.total,
    }
  }

  /** Takes up a saved runtime (already validated, and on a runtime created from its RNG state, before any use). */
  load(save: Omit<RuntimeSave, 'rng'>): void {
    this.seq = save.seq
    for (const [at, seq, controller, key] of save.timers) this.timers.push({ at, seq, controller, key })
    for (const [controller, key, at] of save.due) {
      this.timerDue.set(`${controller}|${key}`, at)
      this.timerCounts.set(controller, this.timerCounts.get(controller)! + 1)
    }
    for (const [controller, keys] of save.queues) for (const key of keys) this.enqueue(controller, key)
    for (const [controller, memory] of save.memories) this.memories.set(controller, memory)
    this.events.restore(save.events, save.eventTotal)
  }

  /** The memory a controller has made so far, if any (to compare a restored one's shape with). */
  memoryOf(controller: ControllerName): unknown {
    return this.memories.get(controller)
  }

  queueSize(controller: ControllerName): number {
    return this.queues.get(controller)!.size
  }
}
