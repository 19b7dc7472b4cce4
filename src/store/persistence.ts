import type { Manifest } from '../sim'
import type { RecordedAction } from './simulationStore'

/** Bump when the saved shape changes; older saves are then refused with a clear message, never misread. */
export const SCHEMA_VERSION = 1
export const STORAGE_KEY = 'service-discovery-simulator/scenario'

/** The scenario as saved: the seed, the starting manifest, the actions in order, and how far time had run. */
export interface SavedScenario {
  readonly version: typeof SCHEMA_VERSION
  readonly seed: number
  /** Worker nodes (2 when absent). */
  readonly workers?: number
  readonly manifest: Manifest
  readonly actions: readonly RecordedAction[]
  readonly now: number
}

export type LoadResult = { readonly kind: 'none' } | { readonly kind: 'ok'; readonly scenario: SavedScenario } | { readonly kind: 'invalid'; readonly reason: string; readonly raw: string }

/** Reads and checks a saved scenario; anything malformed is reported with the reason, never half-used. */
export function parseSaved(raw: string | null): LoadResult {
  if (raw === null) return { kind: 'none' }
  let data: unknown
  try {
    data = JSON.parse(raw)
  } catch (e) {
    return { kind: 'invalid', reason: `the saved data is not valid JSON (${(e as Error).message})`, raw }
  }
  const d = data as Partial<SavedScenario> | null
  if (typeof d !== 'object' || d === null) return { kind: 'invalid', reason: 'the saved data is not an object', raw }
  if (d.version !== SCHEMA_VERSION) return { kind: 'invalid', reason: `it was saved by another version of the simulator (schema ${String(d.version)}, this one reads ${SCHEMA_VERSION})`, raw }
  if (!Number.isSafeInteger(d.seed) || (d.seed as number) < 0) return { kind: 'invalid', reason: 'seed: must be a non-negative integer', raw }
  if (!Array.isArray(d.actions)) return { kind: 'invalid', reason: 'actions: must be a list', raw }
  for (const [i, a] of d.actions.entries()) {
    if (typeof a !== 'object' || a === null || !['apply', 'scale', 'deletePod', 'connect'].includes((a as RecordedAction).type) || typeof (a as RecordedAction).at !== 'number') {
      return { kind: 'invalid', reason: `actions[${i}]: not an action this simulator knows`, raw }
    }
  }
  if (typeof d.now !== 'number' || d.now < 0 || !Number.isFinite(d.now)) return { kind: 'invalid', reason: 'now: must be a non-negative number of milliseconds', raw }
  if (d.workers !== undefined && (!Number.isInteger(d.workers) || d.workers < 0 || d.workers > 50)) return { kind: 'invalid', reason: 'workers: must be an integer from 0 to 50', raw }
  if (d.manifest === undefined) return { kind: 'invalid', reason: 'manifest: missing', raw }
  return { kind: 'ok', scenario: d as SavedScenario }
}

export function serialize(s: Omit<SavedScenario, 'version'>): string {
  return JSON.stringify({ version: SCHEMA_VERSION, ...s })
}
