import { DEFAULT_CONFIG, type ClusterConfig } from '../config'
import type { Engine } from '../engine'
import type { IndexKeyOrder } from '../runtime/indexes'
import type { RngStreamsState } from '../runtime/rng'
import type { ControllerName } from '../runtime/runtime'
import { GraphEncoder, type EncodedRow, type EncodedValue } from './valueCodec'

/** What a snapshot says it is: a file or save holding anything else is refused before it is read. */
export const SNAPSHOT_FORMAT = 'service-discovery-simulator/snapshot'
/**
 * Bump when the shape of the state, a controller's memory or the runtime changes: an older snapshot is then refused
 * with a clear reason rather than misread (`snapshotShape.test.ts` fails until this and its golden are updated).
 */
export const SNAPSHOT_VERSION = 5
/**
 * The newest events a snapshot keeps: a few minutes of a busy cluster's story, all a reader scrolls back through, and
 * the last of the API server's writes (many, and each one a status update of little interest once old).
 */
export const SNAPSHOT_EVENTS = { stories: 1000, writes: 200 } as const

/** The cluster config as JSON: CIDRs by their text, everything else as it is. */
export type SnapshotConfig = { readonly [K in keyof ClusterConfig]: ClusterConfig[K] extends { text: string } ? string : ClusterConfig[K] }

/**
 * A whole simulation as plain JSON: the state and everything around it that decides the future (the RNG, timers,
 * queued work, controllers' memory, the newest events, the order the indexes were built in). `restoreSimulation`
 * turns it back into a simulation that goes on exactly as this one would.
 */
export interface SimulationSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT
  readonly version: typeof SNAPSHOT_VERSION
  /** Virtual milliseconds at the snapshot (the state's clock, readable without decoding it). */
  readonly now: number
  readonly config: SnapshotConfig
  readonly rng: RngStreamsState
  /** The next timer sequence number, and the timer heap as [virtual ms, sequence number, controller, key]. */
  readonly timerSeq: number
  readonly timers: readonly (readonly [number, number, ControllerName, string])[]
  /** The earliest pending timer of each controller and key. */
  readonly due: readonly (readonly [ControllerName, string, number])[]
  readonly queues: readonly (readonly [ControllerName, readonly string[]])[]
  /** How many events had been recorded in all (the log keeps counting from there). */
  readonly eventTotal: number
  /** "Kind|key" of every stored object, in the order the indexes last took each in. */
  readonly indexOrder: readonly string[]
  /** The order of each index's keys, which the order above does not decide. */
  readonly indexKeys: IndexKeyOrder
  /** The value table the three roots below point into (see valueCodec.ts). */
  readonly rows: readonly EncodedRow[]
  readonly state: EncodedValue
  readonly events: EncodedValue
  readonly memories: readonly (readonly [ControllerName, EncodedValue])[]
}

/** Everything the engine holds that decides what it does next, as plain JSON. */
export function takeSnapshot(engine: Engine): SimulationSnapshot {
  const rt = engine.rt.save(SNAPSHOT_EVENTS)
  const encoder = new GraphEncoder()
  const state = encoder.encode(engine.state, true)
  const events = encoder.encode(rt.events, true)
  const memories = rt.memories.map(([controller, memory]) => [controller, encoder.encode(memory, false)] as const)
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    now: engine.state.now,
    config: configToJson(engine.config),
    rng: rt.rng,
    timerSeq: rt.seq,
    timers: rt.timers,
    due: rt.due,
    queues: rt.queues,
    eventTotal: rt.eventTotal,
    indexOrder: [...engine.rt.index.order],
    indexKeys: engine.rt.index.keyOrder(),
    rows: encoder.rows,
    state,
    events,
    memories,
  }
}

function configToJson(config: ClusterConfig): SnapshotConfig {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof ClusterConfig)[]) {
    const v = config[key]
    out[key] = typeof v === 'object' && v !== null && 'text' in v ? v.text : v
  }
  return out as SnapshotConfig
}
