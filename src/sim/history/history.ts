import type { SimAction } from '../actions/types'
import { countUpTo } from '../runtime/bisect'
import type { EventFilter, EventLog, SimEvent } from '../runtime/events'
import type { SimulationSnapshot } from '../snapshot/takeSnapshot'
import { emptyState, type ClusterState } from '../state'

/** The cluster as it was from `at` until the next moment: the state is immutable, so keeping it costs what changed. */
export interface Moment {
  readonly at: number
  readonly state: ClusterState
}

/** An action as the history recorded it: when it ran (virtual ms) and what it was. */
export interface TimedAction {
  readonly at: number
  readonly action: SimAction
}

/** A full snapshot taken after `actions` recorded actions: where a replay to a later moment starts. */
export interface Checkpoint {
  readonly at: number
  readonly actions: number
  readonly snapshot: SimulationSnapshot
}

/** How many recorded actions between two checkpoints: a fork replays at most this many. */
export const CHECKPOINT_EVERY = 200
export const CHECKPOINT_EVERY_MS = 600_000

/**
 * What the kept moments may weigh, counted as moments times objects in the cluster: about 1,300 moments of a
 * classroom's busy hour weigh 40,000 and keep every moment; at 3,000 pods (12,000 moments an hour) the oldest are let
 * go past this, and a moment before `exactSince` is rebuilt by replay from its checkpoint instead.
 */
export const MOMENT_BUDGET = 15_000_000

/** Where the history stood before a command, to forget what an undone command added. */
export interface HistoryMark {
  readonly moments: number
  readonly last: Moment | undefined
  readonly actions: number
}

/** The state's fields besides the clock, listed once: `note` compares them on every instant. */
const FIELDS_BUT_NOW = (Object.keys(emptyState()) as (keyof ClusterState)[]).filter((k) => k !== 'now')

/**
 * The whole past of one simulation: every distinct state it went through (each a pointer into the persistent maps,
 * so an hour of history costs what changed in it), the actions that made them, checkpoints to replay from, and the
 * story (the event log keeps every event once a history is kept). Reads of a past moment are reads of its state;
 * continuing from a moment replays the actions up to it from the checkpoint before it.
 */
export class History {
  private readonly moments: Moment[] = []
  readonly actions: TimedAction[] = []
  readonly checkpoints: Checkpoint[] = []
  /** Moments from here on are all kept; before it, only some are (the rest are rebuilt by replay). */
  exactSince: number
  /** See MOMENT_BUDGET (a test sets a small one). */
  budget = MOMENT_BUDGET

  constructor(
    start: ClusterState,
    startSnapshot: SimulationSnapshot,
    private readonly events: EventLog,
  ) {
    this.moments.push({ at: start.now, state: start })
    this.checkpoints.push({ at: start.now, actions: 0, snapshot: startSnapshot })
    this.exactSince = start.now
    events.keepAll()
  }

  /** The first moment kept. */
  get startAt(): number {
    return this.moments[0]!.at
  }

  /** How many distinct moments are kept (for the benchmark). */
  get size(): number {
    return this.moments.length
  }

  /** Takes in the state after an instant: kept when anything besides the clock changed; the last one of an instant wins. */
  note(state: ClusterState): void {
    const last = this.moments[this.moments.length - 1]!
    if (last.state === state || (last.at <= state.now && FIELDS_BUT_NOW.every((k) => last.state[k] === state[k]))) return
    if (last.at === state.now && this.moments.length > 1) this.moments[this.moments.length - 1] = { at: state.now, state }
    else this.moments.push({ at: state.now, state })
    if (this.moments.length % 256 === 0 && this.moments.length * (state.pods.size + state.nodes.size + state.services.size) > this.budget) this.thin()
  }

  /** Lets the oldest quarter of the moments go (the first one stays, as the start): they are rebuilt by replay when asked for. */
  private thin(): void {
    const drop = Math.floor(this.moments.length / 4)
    // The start's instant is kept whole: what was done at that very moment is part of it.
    let first = 1
    while (first < this.moments.length && this.moments[first]!.at === this.startAt) first++
    this.moments.splice(first, drop)
    this.exactSince = this.moments[first]?.at ?? this.exactSince
  }

  /** Whether the moment at `t` is kept (else it is rebuilt by replaying from a checkpoint). */
  isKept(t: number): boolean {
    return t >= this.exactSince || t === this.startAt
  }

  /** Records an action that changed (or may have changed) the cluster; every CHECKPOINT_EVERY, `snapshot` is taken. */
  record(at: number, action: SimAction, snapshot: () => SimulationSnapshot): void {
    this.actions.push({ at, action })
    const last = this.checkpoints[this.checkpoints.length - 1]!
    // Also every 10 minutes of cluster time: what a replay to a moment has to run through is bounded both ways.
    if (this.actions.length - last.actions >= CHECKPOINT_EVERY || at - last.at >= CHECKPOINT_EVERY_MS) {
      this.checkpoints.push({ at, actions: this.actions.length, snapshot: snapshot() })
    }
  }

  mark(): HistoryMark {
    return { moments: this.moments.length, last: this.moments[this.moments.length - 1], actions: this.actions.length }
  }

  /** Forgets what was noted since `mark` (a command that failed and was undone). */
  rewind(mark: HistoryMark): void {
    this.moments.length = mark.moments
    if (mark.last) this.moments[mark.moments - 1] = mark.last
    this.actions.length = mark.actions
    while (this.checkpoints.length > 1 && this.checkpoints[this.checkpoints.length - 1]!.actions > mark.actions) this.checkpoints.pop()
  }

  /** The state at virtual time `t` (clamped to the kept past): the last moment at or before it, with its clock at `t`. */
  stateAt(t: number): ClusterState {
    const m = this.moments[Math.max(0, countUpTo(this.moments, t, (x) => x.at) - 1)]!
    const at = Math.max(t, m.at)
    return m.state.now === at ? m.state : { ...m.state, now: at }
  }

  /** The moments at which the cluster changed, between two times (for a timeline's ticks). */
  changesBetween(from: number, to: number): number[] {
    return this.moments.filter((m) => m.at >= from && m.at <= to).map((m) => m.at)
  }

  /** The story up to and including `t`. */
  eventsUntil(t: number, filter: EventFilter): { events: SimEvent[]; total: number } {
    return this.events.until(t, filter)
  }

  /** The checkpoint a replay to `t` starts from: the last one taken at or before it. */
  checkpointFor(t: number): Checkpoint {
    let best = this.checkpoints[0]!
    for (const c of this.checkpoints) if (c.at <= t) best = c
    return best
  }

  /** The history of a simulation continued from `t`: its past up to `t`, shared (all of it is immutable). */
  prefix(t: number, events: EventLog): History {
    const h = Object.create(History.prototype) as History
    const moments = this.moments.filter((m, i) => i === 0 || m.at <= t)
    Object.assign(h, {
      moments,
      actions: this.actions.filter((a) => a.at <= t),
      checkpoints: this.checkpoints.filter((c, i) => i === 0 || c.at <= t),
      events,
      exactSince: Math.min(this.exactSince, t),
      budget: this.budget,
    })
    // A checkpoint past the actions kept (taken at t's instant after a later action) cannot be replayed from.
    while (h.checkpoints.length > 1 && h.checkpoints[h.checkpoints.length - 1]!.actions > h.actions.length) h.checkpoints.pop()
    events.keepAll()
    return h
  }
}
