import { useStore } from 'zustand'
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createSimulation, DEFAULT_PROXY_MODE, describeAction as describeSimAction, isRecorded, restoreSimulation, type ActionResult, type ClusterState, type CommandResult, type ConnectOptions, type ConnectResult, type Manifest, type ProxyMode, type SimAction, type RunOptions, type RunResult, type Simulation, type SimulationSnapshot } from '../sim'
import { timeTravelSlice, type TimeTravel } from './timeTravel'
import { WORKSTATION_FILES } from './workstationFiles'

/** Playback speeds offered: virtual seconds per real second. */
export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const

/**
 * One simulation behind the UI. `state` is the engine's immutable value, replaced after every change, so components
 * subscribe with narrow selectors and re-render only for what they show.
 */
/** A user action (src/sim/actions), with the virtual time it happened at: the scenario is its start plus these, replayed in order. */
export type RecordedAction = { readonly at: number } & SimAction

/** Where a recorded scenario starts: a new cluster with a manifest applied, or a snapshot of one (a checkpoint). */
export type ScenarioStart = { readonly kind: 'created'; readonly manifest: Manifest } | { readonly kind: 'checkpoint'; readonly snapshot: SimulationSnapshot }

/** A scenario as recorded: how the cluster was created, where it starts, what was done since, and how far time ran. */
export interface Scenario {
  readonly seed: number
  /** Worker nodes the cluster was created with. */
  readonly workers: number
  /**
   * kube-proxy's mode the cluster was created in (a `created` start is made in it; a checkpoint carries its own). A
   * switch on the running cluster is a `setProxyMode` action among the others.
   */
  readonly proxyMode: ProxyMode
  readonly start: ScenarioStart
  readonly actions: readonly RecordedAction[]
  /** Virtual ms the cluster had reached. */
  readonly now: number
}

export interface SimulationStore extends TimeTravel {
  /** The live simulation; replaced by "Continue from here" (read it from the store, not once). */
  readonly sim: Simulation
  readonly seed: number
  readonly workers: number
  /** kube-proxy's mode at `start` (what a fresh cluster of this scenario is created in); the live one is `sim.proxyMode`. */
  readonly proxyMode: ProxyMode
  /** Where the recorded scenario starts: the cluster as created, or the latest checkpoint. */
  readonly start: ScenarioStart
  /** The virtual time `start` stands at. */
  readonly startAt: number
  /** Every change since `start` that the cluster accepted, in order (requests whatever their outcome). */
  readonly actions: readonly RecordedAction[]
  /** The cluster's resourceVersion at `start`: how many API writes a replay of the actions would redo. */
  readonly startVersion: number
  /**
   * The cluster as shown: the live simulation's state, or while the past is shown (`viewAt`), the state it had then.
   * What the page draws reads this (and `reader`), so the whole page shows the same moment.
   */
  readonly state: ClusterState
  readonly playing: boolean
  readonly speed: number
  play(): void
  pause(): void
  setSpeed(speed: number): void
  /** Advance virtual time by `ms` now (the step button), whether playing or not; in the past, the moment shown moves on. */
  step(ms: number): void
  /** Called per animation frame with the real time elapsed; advances virtual time only while playing (in the past, the moment shown). */
  tick(realMs: number): void
  /**
   * Runs any action at the cluster's current time; the scenario records it as its action list says (src/sim/actions).
   * While the past is shown, nothing runs and nothing is recorded: the refusal says to continue from there first.
   */
  dispatch(action: SimAction): ActionResult
  apply(manifest: Manifest): CommandResult
  scale(namespace: string, deployment: string, replicas: number): CommandResult
  deletePod(namespace: string, name: string): CommandResult
  /** Sends one request through the dataplane (recorded, whatever its outcome: a refused request changed state too). */
  connect(from: string, target: string, options?: ConnectOptions): ConnectResult
  /** A command line typed in the console; what it changes is dispatched (and so recorded) like a click. */
  run(line: string, options?: Omit<RunOptions, 'dispatch' | 'files'>): RunResult
  /** Lines typed in the console in this session, oldest first (not saved: what they changed is, as actions). */
  readonly typed: readonly TypedLine[]
  /** Makes the cluster as it is now the scenario's start (a snapshot) with no actions after it: what keeps saves bounded. */
  checkpoint(): void
  /** The scenario as recorded, to save or export. */
  scenario(): Scenario
}

/** Frames longer than this (a background tab, a breakpoint) do not make the cluster leap ahead. */
const MAX_FRAME_MS = 100

/** The action itself, without the time it was recorded at. */
export function withoutTime({ at: _at, ...action }: RecordedAction): SimAction {
  return action as SimAction
}

/** Performs one recorded action on a simulation (for replay), at its time. */
export function perform(sim: Simulation, action: RecordedAction): ActionResult {
  if (action.at > sim.now) sim.advance(action.at - sim.now)
  return sim.dispatch(withoutTime(action))
}

/**
 * A store over a new cluster: `seed` and `workers`, kube-proxy in `proxyMode` (iptables when absent), `manifest`
 * applied and settled, then `actions` replayed and time run to `now`. Throws if the manifest or an action is refused
 * (the callers' own data; saves go through openScenario).
 */
export function createSimulationStore(options: { seed: number; workers?: number; proxyMode?: ProxyMode; manifest?: Manifest; actions?: readonly RecordedAction[]; now?: number }): StoreApi<SimulationStore> {
  const opened = openScenario({
    seed: options.seed,
    workers: options.workers ?? 2,
    proxyMode: options.proxyMode ?? DEFAULT_PROXY_MODE,
    start: { kind: 'created', manifest: options.manifest ?? [] },
    actions: options.actions ?? [],
    now: options.now ?? 0,
  })
  if (!opened.ok) throw new Error(opened.reason)
  return opened.store
}

/** A store over a recorded scenario, or why it cannot be replayed, in plain words. */
export type OpenResult = { readonly ok: true; readonly store: StoreApi<SimulationStore> } | { readonly ok: false; readonly reason: string }

/**
 * Rebuilds a recorded scenario: the cluster created (or restored from its checkpoint), each action performed again at
 * its time, time run on to `now`. Nothing is half-used: the first step the simulator refuses is the reason given.
 */
export function openScenario(scenario: Scenario): OpenResult {
  let step = 'its start'
  try {
    const started = startOf(scenario)
    if (typeof started === 'string') return { ok: false, reason: started }
    // The history starts before the actions are replayed: the whole scenario can be looked back on.
    const sim = started.keepHistory()
    const startVersion = sim.state.resourceVersion
    const startAt = sim.now
    // A checkpoint carries its own mode (the cluster's, whatever the scenario says beside it).
    const proxyMode = sim.proxyMode
    for (const [i, action] of scenario.actions.entries()) {
      step = `actions[${i}] (${describeAction(action)})`
      const r = perform(sim, action)
      if ('errors' in r && !r.ok) return { ok: false, reason: `${step} no longer applies: ${r.errors[0]?.message ?? 'it was refused'}` }
    }
    step = 'running time on'
    if (scenario.now > sim.now) sim.advance(scenario.now - sim.now)
    return { ok: true, store: storeOver(sim, { ...scenario, proxyMode }, startVersion, startAt) }
  } catch {
    return { ok: false, reason: `the simulator failed while replaying ${step}` }
  }
}

function startOf(s: Scenario): Simulation | string {
  if (s.start.kind === 'checkpoint') {
    const r = restoreSimulation(s.start.snapshot)
    return r.ok ? r.sim : `its checkpoint cannot be used: ${r.error}`
  }
  const sim = createSimulation({ seed: s.seed, workers: s.workers, proxyMode: s.proxyMode })
  const manifest = s.start.manifest
  if (typeof manifest === 'string' ? manifest.trim() !== '' : !Array.isArray(manifest) || manifest.length > 0) {
    const r = sim.apply(manifest)
    if (!r.ok) return `its starting manifest is refused: ${r.errors[0]?.message ?? r.message ?? 'the simulator refused it'}`
    sim.settle()
  }
  return sim
}

/** An action in a few words, for messages: "scale default/web to 5 at t=42.0 s". */
export function describeAction(a: RecordedAction): string {
  return `${describeSimAction(a)} at t=${(a.at / 1000).toFixed(1)} s`
}

function storeOver(first: Simulation, scenario: Scenario, startVersion: number, startAt: number): StoreApi<SimulationStore> {
  return createStore<SimulationStore>((set, get) => {
    /** Runs a change against the live engine and publishes its new state (the same object when nothing changed). */
    const commit = <T>(f: () => T): T => {
      const result = f()
      const { sim, state } = get()
      if (sim.state !== state) set({ state: sim.state })
      return result
    }
    /** Runs a user action; it joins the recorded scenario when its kind is recorded (a refused apply is not). */
    const dispatch = (plain: SimAction): ActionResult => {
      const { sim, viewAt, reader } = get()
      if (viewAt !== undefined) return reader.dispatch(plain)
      const action = { ...plain, at: sim.now } as RecordedAction
      const result = commit(() => sim.dispatch(plain))
      if (isRecorded(plain, result)) set({ actions: [...get().actions, action] })
      return result
    }
    const { forward, ...travel } = timeTravelSlice(set, get, first)
    return {
      ...travel,
      sim: first,
      seed: scenario.seed,
      workers: scenario.workers,
      proxyMode: scenario.proxyMode,
      start: scenario.start,
      startAt,
      actions: scenario.actions,
      startVersion,
      state: first.state,
      playing: true,
      speed: 1,
      play: () => set({ playing: true }),
      pause: () => set({ playing: false }),
      setSpeed: (speed) => set({ speed: Math.min(8, Math.max(0.25, speed)) }),
      step: (ms) => (get().viewAt !== undefined ? forward(ms) : commit(() => get().sim.advance(ms))),
      tick: (realMs) => {
        const { playing, speed, viewAt } = get()
        if (!playing || realMs <= 0) return
        const ms = Math.min(realMs, MAX_FRAME_MS) * speed
        if (viewAt !== undefined) forward(ms)
        else commit(() => get().sim.advance(ms))
      },
      dispatch,
      apply: (manifest) => dispatch({ type: 'apply', manifest }) as CommandResult,
      scale: (namespace, deployment, replicas) => dispatch({ type: 'scale', namespace, name: deployment, replicas }) as CommandResult,
      deletePod: (namespace, name) => dispatch({ type: 'delete', kind: 'pod', namespace, name }) as CommandResult,
      connect: (from, target, options) => dispatch({ type: 'connect', from, target, ...(options ? { options } : {}) }) as ConnectResult,
      typed: [],
      run: (line, options) => {
        set({ typed: [...get().typed, { line, ...(options?.pod ? { pod: options.pod } : {}), ...(options?.node ? { node: options.node } : {}) }] })
        // In the past, the reader is a view: it prints what was, and refuses what would change it.
        return get().reader.run(line, { ...options, dispatch, files: WORKSTATION_FILES })
      },
      checkpoint: () => {
        const { sim } = get()
        set({ start: { kind: 'checkpoint', snapshot: sim.snapshot() }, startAt: sim.now, proxyMode: sim.proxyMode, actions: [], startVersion: sim.state.resourceVersion })
      },
      scenario: () => {
        const { seed, workers, proxyMode, start, actions, sim } = get()
        return { seed, workers, proxyMode, start, actions, now: sim.now }
      },
    }
  })
}

/** A line typed in the console, with the shell it ran in. */
export interface TypedLine {
  readonly line: string
  readonly pod?: string
  readonly node?: string
}

/** Reads the store from React with a selector (define selectors at module scope so they are stable). */
export function useSimulation<T>(store: StoreApi<SimulationStore>, selector: (s: SimulationStore) => T): T {
  return useStore(store, selector)
}
