import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createSimulation, type ClusterState, type CommandResult, type ConnectOptions, type ConnectResult, type Manifest, type Simulation } from '../sim'

/** Playback speeds offered: virtual seconds per real second. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const

/**
 * One simulation behind the UI. `state` is the engine's immutable value, replaced after every change, so components
 * subscribe with narrow selectors and re-render only for what they show.
 */
/** A user action, with the virtual time it happened at: the scenario is the seed plus these, replayed in order. */
export type RecordedAction = { readonly at: number } & (
  | { readonly type: 'apply'; readonly manifest: Manifest }
  | { readonly type: 'scale'; readonly namespace: string; readonly name: string; readonly replicas: number }
  | { readonly type: 'deletePod'; readonly namespace: string; readonly name: string }
  // A request changes conntrack and draws from the seeded RNG, so it is part of the scenario like any other action.
  | { readonly type: 'connect'; readonly from: string; readonly target: string; readonly options?: ConnectOptions }
)

export interface SimulationStore {
  readonly sim: Simulation
  readonly seed: number
  /** Every change the user made that the cluster accepted, in order. */
  readonly actions: readonly RecordedAction[]
  readonly state: ClusterState
  readonly playing: boolean
  readonly speed: number
  play(): void
  pause(): void
  setSpeed(speed: number): void
  /** Advance virtual time by `ms` now (the step button), whether playing or not. */
  step(ms: number): void
  /** Called per animation frame with the real time elapsed; advances virtual time only while playing. */
  tick(realMs: number): void
  apply(manifest: Manifest): CommandResult
  scale(namespace: string, deployment: string, replicas: number): CommandResult
  deletePod(namespace: string, name: string): CommandResult
  /** Sends one request through the dataplane (recorded, whatever its outcome: a refused request changed state too). */
  connect(from: string, target: string, options?: ConnectOptions): ConnectResult
}

/** Frames longer than this (a background tab, a breakpoint) do not make the cluster leap ahead. */
const MAX_FRAME_MS = 100

/** Performs one recorded action on a simulation (for replay), at its time. */
export function perform(sim: Simulation, action: RecordedAction): CommandResult | ConnectResult {
  if (action.at > sim.now) sim.advance(action.at - sim.now)
  switch (action.type) {
    case 'connect':
      return sim.connect(action.from, action.target, action.options)
    case 'apply':
      return sim.apply(action.manifest)
    case 'scale':
      return sim.scale(action.namespace, action.name, action.replicas)
    case 'deletePod':
      return sim.delete('pod', action.namespace, action.name)
  }
}

export function createSimulationStore(options: { seed: number; workers?: number; manifest?: Manifest; actions?: readonly RecordedAction[]; now?: number }): StoreApi<SimulationStore> {
  const sim = createSimulation({ seed: options.seed, workers: options.workers ?? 2 })
  if (options.manifest) {
    sim.apply(options.manifest)
    sim.settle()
  }
  for (const action of options.actions ?? []) {
    const r = perform(sim, action)
    if (!r.ok && 'errors' in r) throw new Error(`a saved action no longer applies: ${r.errors[0]?.message ?? action.type}`)
  }
  if (options.now !== undefined && options.now > sim.now) sim.advance(options.now - sim.now)
  return createStore<SimulationStore>((set, get) => {
    /** Runs a change against the engine and publishes the new state (the same object when nothing changed). */
    const commit = <T>(f: () => T): T => {
      const result = f()
      if (sim.state !== get().state) set({ state: sim.state })
      return result
    }
    /** Runs a user action; an accepted one joins the recorded scenario. */
    const act = (action: Exclude<RecordedAction, { type: 'connect' }>): CommandResult => {
      const result = commit(() => perform(sim, action)) as CommandResult
      if (result.ok) set({ actions: [...get().actions, action] })
      return result
    }
    return {
      sim,
      seed: options.seed,
      actions: options.actions ?? [],
      state: sim.state,
      playing: true,
      speed: 1,
      play: () => set({ playing: true }),
      pause: () => set({ playing: false }),
      setSpeed: (speed) => set({ speed: Math.min(8, Math.max(0.25, speed)) }),
      step: (ms) => commit(() => sim.advance(ms)),
      tick: (realMs) => {
        const { playing, speed } = get()
        if (!playing || realMs <= 0) return
        commit(() => sim.advance(Math.min(realMs, MAX_FRAME_MS) * speed))
      },
      apply: (manifest) => act({ type: 'apply', manifest, at: sim.now }),
      scale: (namespace, deployment, replicas) => act({ type: 'scale', namespace, name: deployment, replicas, at: sim.now }),
      deletePod: (namespace, name) => act({ type: 'deletePod', namespace, name, at: sim.now }),
      connect: (from, target, options) => {
        const action: RecordedAction = { type: 'connect', from, target, at: sim.now, ...(options ? { options } : {}) }
        const result = commit(() => sim.connect(from, target, options))
        set({ actions: [...get().actions, action] })
        return result
      },
    }
  })
}

/** Reads the store from React with a selector (define selectors at module scope so they are stable). */
export function useSimulation<T>(store: StoreApi<SimulationStore>, selector: (s: SimulationStore) => T): T {
  return useStore(store, selector)
}
