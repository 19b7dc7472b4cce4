import { Map as IMap } from 'immutable'
import { bootstrap } from '../bootstrap'
import { DEFAULT_CONFIG, type ClusterConfig } from '../config'
import { Engine } from '../engine'
import { objectKey, type KubeObject } from '../model/meta'
import type { SimEvent } from '../runtime/events'
import { parseCidr } from '../runtime/ip'
import type { IndexKeyOrder } from '../runtime/indexes'
import { createRng, isRngState, isRngStreamsState, RNG_STREAMS, type RngStreamsState } from '../runtime/rng'
import { CONTROLLER_ORDER, type ControllerName } from '../runtime/runtime'
import { isSimulatedKind, KIND_TABLES, type ClusterState, type Table } from '../state'
import { memoryShapeError } from './memoryShape'
import { migrateDnsViews } from './migrateDnsViews'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './takeSnapshot'
import { decodeGraph } from './valueCodec'
import { isRecord } from './validateObjects'
import { stateError } from './validateState'

/** An engine rebuilt from a snapshot, or, in plain words, why the snapshot cannot be used. */
export type RestoreResult = { readonly ok: true; readonly engine: Engine } | { readonly ok: false; readonly error: string }

const CONTROLLERS: ReadonlySet<string> = new Set(CONTROLLER_ORDER)
const isController = (v: unknown): v is ControllerName => typeof v === 'string' && CONTROLLERS.has(v)
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0

/**
 * Rebuilds an engine from `takeSnapshot`'s output, checking every part first: nothing is built from a snapshot that
 * is damaged, foreign or from another version, and an unexpected failure is reported, never thrown.
 */
export function restoreEngine(snapshot: unknown): RestoreResult {
  try {
    return restore(snapshot)
  } catch {
    return { ok: false, error: 'the snapshot is damaged in a way the simulator cannot read' }
  }
}

function restore(raw: unknown): RestoreResult {
  const fail = (error: string): RestoreResult => ({ ok: false, error })
  if (!isRecord(raw) || raw['format'] !== SNAPSHOT_FORMAT) return fail('it is not a snapshot of this simulator')
  // Versions 1 and 2 kept one CoreDNS view for all its pods: migrateDnsViews gives each pod its own.
  const sharedDnsView = raw['version'] === 1 || raw['version'] === 2
  // Versions up to 3 had no faults: a cluster of then had none.
  const noFaults = raw['version'] === 1 || raw['version'] === 2 || raw['version'] === 3
  // Versions up to 4 had no proxy modes: kube-proxy ran in iptables mode.
  const noProxyMode = noFaults || raw['version'] === 4
  let s = raw['version'] === 1 ? migrateV1(raw) : raw['version'] === 2 || raw['version'] === 3 || raw['version'] === 4 ? { ...raw, version: SNAPSHOT_VERSION } : raw
  if (s['version'] !== SNAPSHOT_VERSION) {
    const v = s['version']
    return fail(typeof v === 'number' && v > SNAPSHOT_VERSION ? `it was made by a newer version of the simulator (snapshot format ${v}; this one reads 1 to ${SNAPSHOT_VERSION})` : `it was made by another version of the simulator (snapshot format ${JSON.stringify(v)}; this one reads 1 to ${SNAPSHOT_VERSION})`)
  }
  const config = configFromJson(s['config'])
  if (typeof config === 'string') return fail(`its config is damaged: ${config}`)
  if (!isRngStreamsState(s['rng'])) return fail('its random generator state is damaged (rng: must hold the streams names, scheduler, ipam, kubelet and packets, each four 32-bit integers)')

  const decoded = decodeGraph(s['rows'], [s['state'], s['events'], ...(Array.isArray(s['memories']) ? s['memories'].map((m) => (Array.isArray(m) ? m[1] : undefined)) : [])])
  if (!decoded.ok) return fail(`it is damaged: ${decoded.error}`)
  const [decodedState, events, ...memoryValues] = decoded.values
  let state = decodedState
  let memories = (s['memories'] as unknown[]).map((m, i) => [(m as unknown[])[0], memoryValues[i]] as const)
  if (sharedDnsView) ({ snapshot: s, state, memories } = migrateDnsViews({ snapshot: s, state, memories }))
  if (noFaults && isRecord(state) && !('faults' in state)) state = { ...state, faults: IMap() }
  if (noProxyMode && isRecord(state) && !('proxyMode' in state)) state = { ...state, proxyMode: 'iptables' }
  const bad = stateError(state)
  if (bad) return fail(`its cluster state is damaged: ${bad}`)
  const st = state as ClusterState
  if (s['now'] !== st.now) return fail('it is damaged: its clock (now) disagrees with its state')

  const runtime = runtimeError(s)
  if (runtime) return fail(`its runtime is damaged: ${runtime}`)
  const eventsError = eventListError(events, s['eventTotal'])
  if (eventsError) return fail(`its events are damaged: ${eventsError}`)
  const order = indexOrderError(s['indexOrder'], st)
  if (order) return fail(`its index order is damaged: ${order}`)

  // Each controller's memory must have the shape the same controller makes in a new cluster.
  const fresh = new Engine(1, config)
  bootstrap(fresh, 0)
  fresh.settle()
  const seenControllers = new Set<string>()
  for (const [controller, memory] of memories) {
    if (!isController(controller) || seenControllers.has(controller)) return fail(`its runtime is damaged: memories: ${JSON.stringify(controller)} is not a controller, or is listed twice`)
    seenControllers.add(controller)
    const shape = memoryShapeError(memory, fresh.rt.memoryOf(controller))
    if (shape) return fail(`its runtime is damaged: the memory of ${controller} ${shape}`)
  }

  const engine = new Engine(s['rng'] as RngStreamsState, config)
  engine.state = st
  engine.rt.now = st.now
  engine.rt.load({
    seq: s['timerSeq'] as number,
    timers: s['timers'] as [number, number, ControllerName, string][],
    due: s['due'] as [ControllerName, string, number][],
    queues: s['queues'] as [ControllerName, string[]][],
    memories: memories as [ControllerName, unknown][],
    events: events as SimEvent[],
    eventTotal: s['eventTotal'] as number,
  })
  for (const id of s['indexOrder'] as string[]) {
    const bar = id.indexOf('|')
    const kind = id.slice(0, bar)
    const key = id.slice(bar + 1)
    for (const obj of objectsFor(st, kind, key)) engine.rt.index.update(kind, key, undefined, obj)
  }
  const keys = isRecord(s['indexKeys']) ? engine.rt.index.arrangeKeys(s['indexKeys'] as unknown as IndexKeyOrder) : 'indexKeys: missing'
  if (keys) return fail(`its index order is damaged: ${keys}`)
  return { ok: true, engine }
}

/** The stored objects an index entry stands for (unsimulated kinds are indexed by kind and namespace/name). */
function objectsFor(state: ClusterState, kind: string, key: string): KubeObject[] {
  if (isSimulatedKind(kind)) {
    const obj = (state[KIND_TABLES[kind]] as Table<KubeObject>).get(key)
    return obj ? [obj] : []
  }
  return [...state.others.values()].filter((o) => o.kind === kind && objectKey(o) === key)
}

function configFromJson(raw: unknown): ClusterConfig | string {
  if (!isRecord(raw)) return 'config: must be an object'
  const out: Record<string, unknown> = {}
  for (const [key, def] of Object.entries(DEFAULT_CONFIG)) {
    const v = raw[key]
    if (typeof def === 'object' && 'text' in def) {
      const cidr = typeof v === 'string' && /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(v) ? parseCidr(v) : undefined
      if (!cidr || Number.isNaN(cidr.base) || cidr.bits > 32) return `${key}: must be a CIDR such as ${def.text}`
      out[key] = cidr
    } else if (Array.isArray(def)) {
      if (!Array.isArray(v) || v.length !== def.length || v.some((x, i) => typeof x !== typeof def[i])) return `${key}: must be a pair like ${JSON.stringify(def)}`
      out[key] = v
    } else if (typeof def === 'number') {
      if (!Number.isSafeInteger(v) || (v as number) < 0) return `${key}: must be a non-negative integer`
      out[key] = v
    } else {
      if (typeof v !== typeof def) return `${key}: must be a ${typeof def}`
      out[key] = v
    }
  }
  return out as unknown as ClusterConfig
}

function runtimeError(s: Record<string, unknown>): string | undefined {
  const seq = s['timerSeq']
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) return 'timerSeq: must be a non-negative integer'
  const timers = s['timers']
  if (!Array.isArray(timers)) return 'timers: must be a list'
  const seqs = new Set<number>()
  const entries = new Set<string>()
  for (const [i, t] of timers.entries()) {
    if (!Array.isArray(t) || t.length !== 4 || !isTime(t[0]) || !Number.isSafeInteger(t[1]) || t[1] < 0 || t[1] >= (seq as number) || !isController(t[2]) || typeof t[3] !== 'string') {
      return `timers[${i}]: must be [virtual ms, a sequence number below timerSeq, a controller, a key]`
    }
    if (seqs.has(t[1])) return `timers[${i}]: its sequence number is used twice`
    seqs.add(t[1])
    entries.add(JSON.stringify([t[2], t[3], t[0]]))
  }
  const due = s['due']
  if (!Array.isArray(due)) return 'due: must be a list'
  const ids = new Set<string>()
  for (const [i, d] of due.entries()) {
    if (!Array.isArray(d) || d.length !== 3 || !isController(d[0]) || typeof d[1] !== 'string' || !isTime(d[2])) return `due[${i}]: must be [a controller, a key, virtual ms]`
    if (!entries.has(JSON.stringify(d))) return `due[${i}]: no timer in the heap fires then`
    const id = `${d[0]}|${d[1]}`
    if (ids.has(id)) return `due[${i}]: the same timer is due twice`
    ids.add(id)
  }
  const queues = s['queues']
  if (!Array.isArray(queues)) return 'queues: must be a list'
  const queued = new Set<string>()
  for (const [i, q] of queues.entries()) {
    if (!Array.isArray(q) || q.length !== 2 || !isController(q[0]) || queued.has(q[0]) || !Array.isArray(q[1]) || !q[1].every((k) => typeof k === 'string')) return `queues[${i}]: must be [a controller listed once, its keys]`
    queued.add(q[0])
  }
  if (!Array.isArray(s['memories']) || !s['memories'].every((m) => Array.isArray(m) && m.length === 2)) return 'memories: must be a list of [controller, memory]'
  return undefined
}

function eventListError(events: unknown, total: unknown): string | undefined {
  if (!Array.isArray(events)) return 'must be a list'
  if (!Number.isSafeInteger(total) || (total as number) < events.length) return 'eventTotal: must count at least the events kept'
  for (const [i, e] of events.entries()) {
    if (!isRecord(e) || !isTime(e['time']) || !['actor', 'action', 'object', 'message'].every((f) => typeof e[f] === 'string') || (e['reason'] !== undefined && typeof e['reason'] !== 'string')) {
      return `event ${i}: must have a time, an actor, an action, an object and a message`
    }
    const w = e['write']
    if (w !== undefined && !(isRecord(w) && ['by', 'verb', 'key', 'resourceVersion'].every((f) => typeof w[f] === 'string') && (w['subresource'] === undefined || typeof w['subresource'] === 'string'))) {
      return `event ${i}: its write must name who sent it, the verb, the key and the resourceVersion`
    }
  }
  return undefined
}

/** The index order must list every stored object exactly once, and nothing else. */
function indexOrderError(order: unknown, state: ClusterState): string | undefined {
  if (!Array.isArray(order) || !order.every((id) => typeof id === 'string' && id.includes('|'))) return 'indexOrder: must be a list of "Kind|key"'
  const stored = new Set<string>()
  for (const [kind, table] of Object.entries(KIND_TABLES)) for (const key of (state[table] as Table<KubeObject>).keys()) stored.add(`${kind}|${key}`)
  for (const o of state.others.values()) stored.add(`${o.kind}|${objectKey(o)}`)
  const listed = new Set<string>(order as string[])
  if (listed.size !== order.length) return 'an object is listed twice'
  for (const id of listed) if (!stored.has(id)) return `it lists ${id}, which the state does not hold`
  for (const id of stored) if (!listed.has(id)) return `it leaves out ${id}`
  return undefined
}

/**
 * Version 1 had one random stream for everything. Its state becomes the names stream, and each other stream is seeded
 * from it: the cluster is exactly as saved, and what it draws from then on is as fixed as before (if not the same).
 */
function migrateV1(v1: Record<string, unknown>): Record<string, unknown> {
  const rng = v1['rng']
  if (!isRngState(rng)) return { ...v1, version: SNAPSHOT_VERSION }
  const derived = (i: number) => createRng((rng[0] ^ Math.imul(rng[1], 31) ^ Math.imul(rng[2], 961) ^ Math.imul(rng[3], 29791) ^ Math.imul(i, 0x9e3779b9)) >>> 0).save()
  const streams = Object.fromEntries(RNG_STREAMS.map((name, i) => [name, name === 'names' ? rng : derived(i)]))
  return { ...v1, version: SNAPSHOT_VERSION, rng: streams }
}
