import type { ClusterConfig } from '../config'
import type { ClusterState } from '../state'
import { Api } from './api'
import { EventLog, type SimEvent } from './events'
import { Indexes } from './indexes'
import { MinHeap } from './minHeap'
import { createRng, type Rng } from './rng'

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
  readonly rng: Rng
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
   * The controller's own process memory (caches, round-robin cursors), created on first use. Never needed for
   * correctness of the state, only to avoid recomputing; it lives and dies with the runtime, like a real process's.
   */
  memory<T>(init: () => T): T
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

/** Passes of the reconcile loop after which a change is declared a livelock (a bug, reported loudly). */
export const MAX_PASSES = 200

/**
 * The process memory around the state: work queues, timers, indexes, RNG and events. Everything here is driven only by
 * the seed and the calls made, so a run replays exactly.
 */
export class Runtime {
  readonly rng: Rng
  readonly index = new Indexes()
  readonly api: Api = new Api(this)
  readonly events = new EventLog(20000)
  private readonly queues = new Map<ControllerName, Set<string>>()
  private readonly timers = new MinHeap<Timer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq))
  private readonly timerDue = new Map<string, number>()
  private readonly timerCounts = new Map<ControllerName, number>()
  private readonly memories = new Map<ControllerName, unknown>()
  private seq = 0
  now = 0

  constructor(seed: number, readonly config: ClusterConfig) {
    this.rng = createRng(seed)
    for (const name of CONTROLLER_ORDER) {
      this.queues.set(name, new Set())
      this.timerCounts.set(name, 0)
    }
  }

  enqueue(controller: ControllerName, key: string): void {
    this.queues.get(controller)!.add(key)
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
    this.timerDue.set(id, at)
    this.timers.push({ at, seq: this.seq++, controller, key })
  }

  /** The virtual time of the next pending timer, if any. */
  nextTimerAt(): number | undefined {
    return this.timers.peek()?.at
  }

  /** Moves every timer due at or before `time` into its controller's queue. */
  fireTimersUpTo(time: number): void {
    for (let t = this.timers.peek(); t && t.at <= time; t = this.timers.peek()) {
      this.timers.pop()
      const id = `${t.controller}|${t.key}`
      // A timer superseded by an earlier one for the same key has already fired.
      if (this.timerDue.get(id) !== t.at) continue
      this.timerDue.delete(id)
      this.timerCounts.set(t.controller, this.timerCounts.get(t.controller)! - 1)
      this.enqueue(t.controller, t.key)
    }
  }

  record(event: SimEvent): void {
    this.events.push(event)
  }

  contextFor(controller: ControllerName): ControllerContext {
    return {
      api: this.api,
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
    }
  }

  queueSize(controller: ControllerName): number {
    return this.queues.get(controller)!.size
  }
}
