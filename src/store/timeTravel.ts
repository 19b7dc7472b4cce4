import type { ClusterReads, ProxyMode, Simulation } from '../sim'
import type { RecordedAction, ScenarioStart, SimulationStore } from './simulationStore'

/** What the store shows the cluster through, and how it moves through the cluster's past (the "Cluster time" slider). */
export interface TimeTravel {
  /** The virtual time shown: undefined while the live cluster is shown, else a past moment of its history. */
  readonly viewAt: number | undefined
  /**
   * What the page reads the cluster through: the live simulation, or the cluster as it was at `viewAt` (read only:
   * what would change it is refused). The same object while `viewAt` and the simulation stay.
   */
  readonly reader: ClusterReads
  /** After "Continue from here": the moment it continued from and how far the discarded future had run (Undo restores it, once). */
  readonly discarded: { readonly from: number; readonly to: number } | undefined
  /** Shows the cluster as it was at `t` (clamped to the history kept); `t` at or past now is the live cluster. Pauses the live clock. */
  setViewAt(t: number): void
  /** Shows the live cluster again, its clock as it was before the past was shown. */
  live(): void
  /**
   * Makes the moment shown the live cluster: the simulation is replaced by one continued from it, and the recorded
   * scenario becomes its start and the actions up to then (so saves and links replay to it). The future is kept aside,
   * once, for Undo. Says why when it cannot.
   */
  continueFromHere(): { readonly ok: true } | { readonly ok: false; readonly error: string }
  /** Puts back the simulation and scenario the last "Continue from here" discarded, showing the moment it left from. */
  undoContinue(): void
}

/** The parts of the store a continue replaces: the simulation and its recorded scenario. */
interface Timeline {
  readonly sim: Simulation
  readonly start: ScenarioStart
  readonly startAt: number
  readonly startVersion: number
  readonly proxyMode: ProxyMode
  readonly actions: readonly RecordedAction[]
}

type Set = (partial: Partial<SimulationStore>) => void
type Get = () => SimulationStore

/** The time-travel slice of the simulation store (see TimeTravel); `forward` moves the past shown on, for the clock. */
export function timeTravelSlice(set: Set, get: Get, sim: Simulation): TimeTravel & { forward(ms: number): void } {
  // The live clock's state when the past began to be shown: "Live" restores it.
  let playingBeforePast = false
  // What the last continue discarded: restored once by Undo.
  let kept: (Timeline & { readonly from: number }) | undefined
  const timeline = (): Timeline => {
    const { sim, start, startAt, startVersion, proxyMode, actions } = get()
    return { sim, start, startAt, startVersion, proxyMode, actions }
  }
  const travel = {
    viewAt: undefined,
    reader: sim,
    discarded: undefined,
    setViewAt: (t: number) => {
      const { sim, viewAt, playing } = get()
      if (typeof t !== 'number' || Number.isNaN(t)) return
      const at = Math.max(sim.historyStart ?? sim.now, Math.min(t, sim.now))
      if (at >= sim.now) return travel.live()
      if (at === viewAt) return
      const view = sim.at(at)
      if (!view) return
      if (viewAt === undefined) playingBeforePast = playing
      set({ viewAt: at, reader: view, state: view.state, ...(viewAt === undefined ? { playing: false } : {}) })
    },
    live: () => {
      const { sim, viewAt } = get()
      if (viewAt === undefined) return
      set({ viewAt: undefined, reader: sim, state: sim.state, playing: playingBeforePast })
    },
    forward: (ms: number) => {
      const { sim, viewAt } = get()
      if (viewAt === undefined) return
      if (viewAt + ms < sim.now) return travel.setViewAt(viewAt + ms)
      // Played up to now: the live cluster, running on.
      travel.live()
      set({ playing: true })
    },
    continueFromHere: () => {
      const { viewAt } = get()
      if (viewAt === undefined) return { ok: true } as const
      const before = timeline()
      const fork = before.sim.continueFrom(viewAt)
      if (!fork.ok) return { ok: false, error: fork.error } as const
      const next = fork.sim
      // The scenario's start is kept when it comes before the moment (a checkpoint taken later cannot replay to it).
      const fromStart = before.startAt <= viewAt
      kept = { ...before, from: viewAt }
      set({
        sim: next,
        reader: next,
        state: next.state,
        viewAt: undefined,
        playing: false,
        start: fromStart ? before.start : { kind: 'checkpoint', snapshot: next.snapshot() },
        startAt: fromStart ? before.startAt : next.now,
        startVersion: fromStart ? before.startVersion : next.state.resourceVersion,
        // A snapshot of the moment starts in the mode the cluster ran in then.
        proxyMode: fromStart ? before.proxyMode : next.proxyMode,
        actions: fromStart ? before.actions.filter((a) => a.at <= viewAt) : [],
        discarded: { from: viewAt, to: before.sim.now },
      })
      return { ok: true } as const
    },
    undoContinue: () => {
      if (!kept) return
      const { from, ...back } = kept
      kept = undefined
      const view = back.sim.at(from) ?? back.sim
      set({ ...back, reader: view, state: view.state, viewAt: view === back.sim ? undefined : from, playing: false, discarded: undefined })
    },
  } satisfies TimeTravel & { forward(ms: number): void }
  return travel
}
