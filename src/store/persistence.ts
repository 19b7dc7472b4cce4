import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate'
import { actionProblem, DEFAULT_PROXY_MODE, isProxyMode, MAX_VIRTUAL_MS, PROXY_MODES, type SimulationSnapshot } from '../sim'
import type { RecordedAction, Scenario, ScenarioStart, SimulationStore } from './simulationStore'

/**
 * Saves, version 3: a start (the cluster as created from seed, workers and a manifest, or a checkpoint: a snapshot of
 * the whole simulation) plus the actions since it, and how far time ran. Version 1 (seed, manifest and every action
 * since the cluster was created) and version 2 (whose pod deletions were `deletePod` actions, before actions became
 * the engine's own list) are still read, by the migrations below. `proxyMode` (kube-proxy's mode the cluster is
 * created in) came later, as an optional field: a save without one (older, or any version 1 or 2) is in iptables mode,
 * as every cluster was then. Bump on any change of shape.
 */
export const SCHEMA_VERSION = 3
export const STORAGE_KEY = 'service-discovery-simulator/scenario'

/**
 * The bounds that keep a save small however long the cluster runs and however many requests it serves, and its
 * reload quick: past 1,000 actions since the start, or 200,000 characters of them, or actions that made the API
 * server write 5,000 times (a scale to 10,000 replicas writes some 60,000 times: replaying it is the slow part of a
 * reload), the cluster as it is becomes the new checkpoint and the list starts empty. A request is about 120
 * characters, so at 8x with batches running (about 80 requests a real second) that is every 12 seconds, and a reload
 * replays at most 1,000 actions after restoring the checkpoint.
 */
export const SAVE_BOUNDS = { actions: 1000, actionChars: 200_000, writes: 5000 } as const

/** The largest workers count a save may ask for (the app offers up to 50). */
const MAX_WORKERS = 50

/** A save as written (version 3). In the browser's storage the checkpoint is packed; in a scenario file it is plain. */
export interface SavedScenario extends Scenario {
  readonly version: typeof SCHEMA_VERSION
}

export type LoadResult = { readonly kind: 'none' } | { readonly kind: 'ok'; readonly scenario: SavedScenario } | { readonly kind: 'invalid'; readonly reason: string; readonly raw: string }

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isManifest = (v: unknown) => typeof v === 'string' || isRecord(v) || Array.isArray(v)
const fmt = (n: unknown) => (typeof n === 'number' ? String(n) : JSON.stringify(n) ?? String(n))

/**
 * Reads and checks a save or a scenario file, field by field; a version-1 save is migrated. Anything malformed is
 * reported with the field and the reason in plain words, never half-used. (Whether the engine accepts the manifest,
 * the checkpoint and each action is checked when the scenario is opened.)
 */
export function parseSaved(raw: string | null): LoadResult {
  if (raw === null) return { kind: 'none' }
  const invalid = (reason: string): LoadResult => ({ kind: 'invalid', reason, raw })
  let data: unknown
  try {
    data = JSON.parse(raw)
  } catch {
    return invalid('the saved data is not valid JSON (it may have been cut short or edited by hand)')
  }
  if (!isRecord(data)) return invalid('the saved data is not an object with the fields of a saved cluster')
  const version = data['version']
  if (version === undefined) return invalid('it is not a save of this simulator: it has no "version" field (a save from Export has one)')
  if (typeof version === 'number' && version > SCHEMA_VERSION) return invalid(`it was saved by a newer version of the simulator (schema ${version}; this one reads 1 to ${SCHEMA_VERSION})`)
  if (version !== 1 && version !== 2 && version !== SCHEMA_VERSION) return invalid(`it is not a save this simulator knows (version: ${fmt(version)}; this one reads 1 to ${SCHEMA_VERSION})`)
  const d = version === SCHEMA_VERSION ? data : migrateV2(version === 1 ? migrateV1(data) : data)
  const seed = d['seed']
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) return invalid(`seed: must be a whole number from 0 up; it is ${fmt(seed)}`)
  const workers = d['workers']
  if (!Number.isInteger(workers) || (workers as number) < 0 || (workers as number) > MAX_WORKERS) return invalid(`workers: must be a whole number from 0 to ${MAX_WORKERS}; it is ${fmt(workers)}`)
  const proxyMode = d['proxyMode'] === undefined ? DEFAULT_PROXY_MODE : d['proxyMode']
  if (!isProxyMode(proxyMode)) return invalid(`proxyMode: must be one of ${PROXY_MODES.join(', ')} (kube-proxy's mode); it is ${fmt(proxyMode)}`)
  const start = startOf(d['start'])
  if (typeof start === 'string') return invalid(start)
  const startedAt = start.kind === 'checkpoint' ? start.snapshot.now : 0
  const actions = d['actions']
  if (!Array.isArray(actions)) return invalid('actions: must be a list')
  let last = startedAt
  for (const [i, a] of actions.entries()) {
    const why = actionError(a, last)
    if (why) return invalid(`actions[${i}]: ${why}`)
    last = (a as RecordedAction).at
  }
  const now = d['now']
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0 || now > MAX_VIRTUAL_MS) {
    return invalid(`now: must be a virtual time from 0 to ${MAX_VIRTUAL_MS.toLocaleString('en-US')} ms (100 years); it is ${fmt(now)}`)
  }
  if (now < last) return invalid(`now: ${now} ms is before the last thing that happened (${last} ms)`)
  return { kind: 'ok', scenario: { version: SCHEMA_VERSION, seed: seed as number, workers: workers as number, proxyMode, start, actions: actions as RecordedAction[], now } }
}

/** Version 1 kept seed, workers (2 when absent), the starting manifest and every action since the cluster was created. */
function migrateV1(v1: Record<string, unknown>): Record<string, unknown> {
  return { seed: v1['seed'], workers: v1['workers'] ?? 2, start: { kind: 'created', manifest: v1['manifest'] }, actions: v1['actions'], now: v1['now'] }
}

/** Version 2 named a pod's deletion `deletePod`; it is now the engine's `delete` action of kind pod. */
function migrateV2(v2: Record<string, unknown>): Record<string, unknown> {
  const actions = v2['actions']
  if (!Array.isArray(actions)) return v2
  return { ...v2, actions: actions.map((a: unknown) => (isRecord(a) && a['type'] === 'deletePod' ? { ...a, type: 'delete', kind: 'pod' } : a)) }
}

function startOf(start: unknown): ScenarioStart | string {
  if (!isRecord(start)) return 'start: must say how the cluster starts'
  if (start['kind'] === 'created') {
    return isManifest(start['manifest']) ? { kind: 'created', manifest: start['manifest'] as string } : 'manifest: must be YAML text or a list of objects'
  }
  if (start['kind'] !== 'checkpoint') return `start: must be a created cluster or a checkpoint; it is ${fmt(start['kind'])}`
  let snapshot = start['snapshot']
  if (snapshot === undefined && typeof start['packed'] === 'string') {
    const unpacked = unpack(start['packed'])
    if (unpacked === undefined) return 'the checkpoint is damaged: its packed data cannot be unpacked'
    snapshot = unpacked
  }
  if (!isRecord(snapshot) || typeof snapshot['now'] !== 'number' || !Number.isFinite(snapshot['now'])) return 'the checkpoint is missing or is not a snapshot of a cluster'
  return { kind: 'checkpoint', snapshot: snapshot as unknown as SimulationSnapshot }
}

function actionError(a: unknown, after: number): string | undefined {
  if (!isRecord(a)) return 'not an action this simulator knows'
  const at = a['at']
  if (typeof at !== 'number' || !Number.isFinite(at) || at < 0 || at > MAX_VIRTUAL_MS) return `at: must be a virtual time from 0 to ${MAX_VIRTUAL_MS.toLocaleString('en-US')} ms; it is ${fmt(at)}`
  if (at < after) return `at: ${at} ms is before the action or checkpoint preceding it (${after} ms)`
  return actionProblem(a)
}

/** The save as a document (what `serialize` writes). `packed` stores the checkpoint compressed (for the browser's storage). */
export function scenarioDocument(s: Scenario, options: { packed?: boolean } = {}): object {
  const start = s.start.kind === 'checkpoint' && options.packed ? { kind: 'checkpoint', packed: packSnapshot(s.start.snapshot) } : s.start
  return { version: SCHEMA_VERSION, seed: s.seed, workers: s.workers, proxyMode: s.proxyMode, start, actions: s.actions, now: s.now }
}

/** The save as JSON. `packed` stores the checkpoint compressed (for the browser's storage); files keep it readable. */
export function serialize(s: Scenario, options: { packed?: boolean } = {}): string {
  return JSON.stringify(scenarioDocument(s, options))
}

// A checkpoint is packed once and reused by every save until the next one.
const packedCache = new WeakMap<SimulationSnapshot, string>()

/** The snapshot as deflate-compressed JSON in base64: a cluster's snapshot shrinks about sevenfold. */
export function packSnapshot(snapshot: SimulationSnapshot): string {
  let packed = packedCache.get(snapshot)
  if (packed === undefined) packedCache.set(snapshot, (packed = toBase64(deflateSync(strToU8(JSON.stringify(snapshot)), { level: 6 }))))
  return packed
}

function unpack(packed: string): unknown {
  try {
    return JSON.parse(strFromU8(inflateSync(fromBase64(packed))))
  } catch {
    return undefined
  }
}

/** Bytes as base64 (in slices: String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Whether what happened since the start has outgrown SAVE_BOUNDS (and the store should take a checkpoint). */
export function overBounds(s: SimulationStore): boolean {
  return s.actions.length > SAVE_BOUNDS.actions || s.sim.state.resourceVersion - s.startVersion > SAVE_BOUNDS.writes || JSON.stringify(s.actions).length > SAVE_BOUNDS.actionChars
}

/** What became of a save: written (with its size in characters), or not, and why. */
export type SaveOutcome = { readonly ok: true; readonly chars: number } | { readonly ok: false; readonly problem: 'full' | 'unavailable' }

/**
 * Saves the store's scenario to `storage`, taking a checkpoint first when the actions outgrew the bounds (or when the
 * storage is full: a checkpoint is usually smaller than many actions). Never throws: a failure is returned.
 */
export function saveScenario(store: { getState(): SimulationStore }, storage: Pick<Storage, 'setItem'>): SaveOutcome {
  if (overBounds(store.getState())) store.getState().checkpoint()
  const write = (): SaveOutcome => {
    const text = serialize(store.getState().scenario(), { packed: true })
    storage.setItem(STORAGE_KEY, text)
    return { ok: true, chars: text.length }
  }
  try {
    return write()
  } catch (e) {
    if (!isQuotaError(e)) return { ok: false, problem: 'unavailable' }
    if (store.getState().actions.length === 0) return { ok: false, problem: 'full' }
  }
  try {
    store.getState().checkpoint()
    return write()
  } catch (e) {
    return { ok: false, problem: isQuotaError(e) ? 'full' : 'unavailable' }
  }
}

/** Browsers name a full storage differently (Firefox: NS_ERROR_DOM_QUOTA_REACHED, old WebKit: code 22). */
function isQuotaError(e: unknown): boolean {
  const err = e as { name?: string; code?: number } | null
  return !!err && (err.name === 'QuotaExceededError' || err.name === 'NS_ERROR_DOM_QUOTA_REACHED' || err.code === 22 || err.code === 1014)
}
