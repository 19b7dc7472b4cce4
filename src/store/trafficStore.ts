import { createStore, type StoreApi } from 'zustand/vanilla'
import type { ConnectResult, Hop } from '../sim'
import { backendsOf, type Backends } from './backends'
import type { SimulationStore } from './simulationStore'

/** What the user asks for: who sends, to what, how many requests, on one kept-alive connection or a new one each. */
export interface RequestSpec {
  readonly from: string
  readonly target: string
  readonly count: number
  readonly keepAlive: boolean
}

/** One request of a batch, as it went. */
export interface SentRequest {
  readonly index: number
  /** Virtual ms it was sent at. */
  readonly at: number
  /** True when it travelled on a connection opened by an earlier request (keep-alive): conntrack alone routed it. */
  readonly reused: boolean
  readonly result: ConnectResult
}

export interface Batch {
  readonly id: number
  readonly spec: RequestSpec
  readonly sent: readonly SentRequest[]
  /** The Service the target reaches and its ready pods when the batch started. */
  readonly backends?: Backends
}

export type HopCategory = 'dns' | 'nat' | 'routing'
export type Filters = Readonly<Record<HopCategory, boolean>>

export interface TrafficStore {
  readonly batch?: Batch
  /** The request being inspected (index into batch.sent), and the hop it is at. */
  readonly selected: number
  readonly hop: number
  /** Whether the inspected packet moves on by itself, and how many hops per second. */
  readonly playing: boolean
  readonly hopRate: number
  readonly filters: Filters
  /** Stop the cluster's clock while a packet is being inspected (the default), or let it run. */
  readonly freeze: boolean
  /** The cluster's clock was stopped by watching a packet (not by the user): it runs again when the packet arrives. */
  readonly frozeCluster: boolean
  /** The watched packet is shown (on the graph and in its details under it): until the user closes it. */
  readonly watching: boolean
  /** The player ran past the last hop: the packet's journey is over and its marker leaves the graph. */
  readonly arrived: boolean
  send(spec: RequestSpec): void
  /** Sends the batch's requests that are due; called as virtual time passes. */
  pump(): void
  select(request: number): void
  jump(hop: number): void
  forward(): void
  back(): void
  setPlaying(playing: boolean): void
  setHopRate(rate: number): void
  setFilter(category: HopCategory, on: boolean): void
  setFreeze(freeze: boolean): void
  /** Hides the watched packet (its marker and its details) or shows it again. */
  setWatching(watching: boolean): void
}

/** Requests of a batch leave this far apart in virtual time, so a scale or a failure can land in the middle of one. */
export const REQUEST_SPACING_MS = 100
export const COUNTS = [1, 10, 100, 1000] as const
export const HOP_RATES = [0.5, 1, 2, 4] as const

/** How a hop is filtered: the DNS lookup as a whole, the rule tables and conntrack rewriting it, moving it along. */
export function categoryOf(h: Hop): HopCategory {
  if (h.phase === 'dns') return 'dns'
  return h.step === 'route' || h.step === 'deliver' || h.step === 'loadbalancer' ? 'routing' : 'nat'
}

/** The hops shown with these filters (indices into `hops`). */
export function visibleHops(hops: readonly Hop[], filters: Filters): number[] {
  const out: number[] = []
  hops.forEach((h, i) => {
    if (filters[categoryOf(h)]) out.push(i)
  })
  return out
}

/** How many requests each pod served, and how many failed (by reason). */
export function histogram(sent: readonly SentRequest[]): { served: Map<string, number>; failed: Map<string, number>; reused: number } {
  const served = new Map<string, number>()
  const failed = new Map<string, number>()
  let reused = 0
  for (const r of sent) {
    if (r.reused) reused++
    if (r.result.ok && r.result.pod) served.set(r.result.pod, (served.get(r.result.pod) ?? 0) + 1)
    else if (!r.result.ok) {
      const why = (r.result.reason ?? 'failed').split(':')[0]!
      failed.set(why, (failed.get(why) ?? 0) + 1)
    }
  }
  return { served, failed, reused }
}

/** The destination the client's first request packet went to ("ip:port"): where a kept-alive connection stays. */
const connectedTo = (r: ConnectResult) => r.hops.find((h) => h.phase === 'request')?.before.dst

/**
 * Traffic over one simulation: batches of requests sent as virtual time passes (a kept-alive connection is reused
 * until it fails, then a new one is opened, as an HTTP client does), and a player stepping through one request's hops.
 */
export function createTrafficStore(sims: StoreApi<SimulationStore>): StoreApi<TrafficStore> {
  let nextId = 1
  // The batch's progress: requests left, when the next is due, the kept-alive connection in use.
  let pending = 0
  let dueAt = 0
  let open: { sourcePort: number; target: string } | undefined
  const store = createStore<TrafficStore>((set, get) => {
    /** Stops the cluster's clock for a packet being watched, remembering that it was stopped for it. */
    const freezeCluster = () => {
      if (!sims.getState().playing) return
      sims.getState().pause()
      set({ frozeCluster: true })
    }
    const sendOne = () => {
      const batch = get().batch
      if (!batch || pending <= 0) return
      const { from, target, keepAlive } = batch.spec
      const sim = sims.getState()
      const reused = keepAlive && open !== undefined
      const result = reused ? sim.connect(from, open!.target, { keepAlive: true, sourcePort: open!.sourcePort }) : sim.connect(from, target, keepAlive ? { keepAlive: true } : undefined)
      if (keepAlive) {
        const port = Number(result.source?.split(':')[1])
        const to = connectedTo(result)
        open = result.ok && to && Number.isInteger(port) ? { sourcePort: port, target: to } : undefined
      }
      pending--
      dueAt = sim.sim.now + REQUEST_SPACING_MS
      set({ batch: { ...batch, sent: [...batch.sent, { index: batch.sent.length, at: sim.sim.now, reused, result }] } })
    }
    return {
      selected: 0,
      hop: 0,
      playing: true,
      hopRate: 1,
      filters: { dns: true, nat: true, routing: true },
      freeze: true,
      frozeCluster: false,
      watching: false,
      arrived: false,
      send: (spec) => {
        const sim = sims.getState().sim
        const count = Math.max(1, Math.min(1000, Math.floor(spec.count)))
        const backends = backendsOf(sim, spec.from, spec.target)
        pending = count
        open = undefined
        set({ batch: { id: nextId++, spec: { ...spec, count }, sent: [], ...(backends ? { backends } : {}) }, selected: 0, hop: 0, playing: true, watching: true, arrived: false })
        sendOne()
        // One request is watched with the cluster frozen (when asked); a batch is spread over cluster time, so it runs.
        // A request refused before it left (its client not running, a malformed target) has no packet to watch: it
        // has arrived at once, and the cluster is not stopped for it, since nothing would ever start it again.
        const first = get().batch!.sent[0]!.result
        if (first.hops.length === 0) set({ playing: false, arrived: true })
        else if (count === 1 && get().freeze) freezeCluster()
        if (count > 1) sims.getState().play()
      },
      pump: () => {
        // The past shown changes nothing: the batch waits for the live cluster.
        if (sims.getState().viewAt !== undefined) return
        const now = sims.getState().sim.now
        while (pending > 0 && now >= dueAt) sendOne()
      },
      select: (request) => {
        const sent = get().batch?.sent ?? []
        if (request >= 0 && request < sent.length) set({ selected: request, hop: 0, playing: true, watching: true, arrived: false })
      },
      jump: (hop) => {
        const hops = get().batch?.sent[get().selected]?.result.hops ?? []
        if (hop < 0 || hop >= hops.length) return
        set({ hop, playing: false, watching: true, arrived: false })
        if (get().freeze) freezeCluster()
      },
      forward: () => {
        const { batch, selected, hop, filters } = get()
        const next = visibleHops(batch?.sent[selected]?.result.hops ?? [], filters).find((i) => i > hop)
        if (next !== undefined) set({ hop: next, arrived: false })
        else {
          set({ playing: false, arrived: true })
          // The packet has arrived: a cluster frozen for it runs on.
          if (get().frozeCluster) sims.getState().play()
        }
      },
      back: () => {
        const { batch, selected, hop, filters } = get()
        const prev = visibleHops(batch?.sent[selected]?.result.hops ?? [], filters).filter((i) => i < hop).at(-1)
        set({ playing: false, arrived: false, ...(prev !== undefined ? { hop: prev } : {}) })
      },
      setPlaying: (playing) => set({ playing, ...(playing ? { arrived: false } : {}) }),
      setHopRate: (rate) => set({ hopRate: Math.min(4, Math.max(0.25, rate)) }),
      setFilter: (category, on) => {
        const filters = { ...get().filters, [category]: on }
        const hops = get().batch?.sent[get().selected]?.result.hops ?? []
        const visible = visibleHops(hops, filters)
        // Stay on the current hop if it is still shown, else move to the next shown one.
        const hop = visible.includes(get().hop) ? get().hop : (visible.find((i) => i > get().hop) ?? visible.at(-1) ?? get().hop)
        set({ filters, hop })
      },
      setFreeze: (freeze) => set({ freeze }),
      setWatching: (watching) => set({ watching, ...(watching ? { arrived: false } : {}) }),
    }
  })
  // The batch moves with the cluster's clock: paused, it waits; at 8x, it hurries. The clock running again, for any
  // reason, ends a freeze.
  sims.subscribe((s, prev) => {
    // A continue from an earlier moment (or its undo) replaces the cluster: the batch's connections were in the other one.
    if (s.sim !== prev.sim) {
      pending = 0
      open = undefined
    }
    if (s.state.now !== prev.state.now) store.getState().pump()
    if (s.playing && !prev.playing && store.getState().frozeCluster) store.setState({ frozeCluster: false })
  })
  return store
}
