import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createSimulation, type ClusterState, type CommandResult, type Manifest, type Simulation } from '../sim'

/** Playback speeds offered: virtual seconds per real second. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const

/**
 * One simulation behind the UI. `state` is the engine's immutable value, replaced after every change, so components
 * subscribe with narrow selectors and re-render only for what they show.
 */
export interface SimulationStore {
  readonly sim: Simulation
  readonly seed: number
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
}

/** Frames longer than this (a background tab, a breakpoint) do not make the cluster leap ahead. */
const MAX_FRAME_MS = 100

export function createSimulationStore(options: { seed: number; workers?: number; manifest?: Manifest }): StoreApi<SimulationStore> {
  const sim = createSimulation({ seed: options.seed, workers: options.workers ?? 2 })
  if (options.manifest) {
    sim.apply(options.manifest)
    sim.settle()
  }
  return createStore<SimulationStore>((set, get) => {
    /** Runs a change against the engine and publishes the new state (the same object when nothing changed). */
    const commit = <T>(f: () => T): T => {
      const result = f()
      if (sim.state !== get().state) set({ state: sim.state })
      return result
    }
    return {
      sim,
      seed: options.seed,
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
      apply: (manifest) => commit(() => sim.apply(manifest)),
      scale: (namespace, deployment, replicas) => commit(() => sim.scale(namespace, deployment, replicas)),
      deletePod: (namespace, name) => commit(() => sim.delete('pod', namespace, name)),
    }
  })
}

/** Reads the store from React with a selector (define selectors at module scope so they are stable). */
export function useSimulation<T>(store: StoreApi<SimulationStore>, selector: (s: SimulationStore) => T): T {
  return useStore(store, selector)
}
