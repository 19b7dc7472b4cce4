import { CLUSTER_EPOCH_MS } from '../sim/runtime/time'

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/

// The engine's timestamp fields: metadata's, status' (startTime, conditions' and container states' times), events'.
const TIME_KEYS = new Set(['creationTimestamp', 'deletionTimestamp', 'startTime', 'startedAt', 'finishedAt', 'firstTimestamp', 'lastTimestamp', 'eventTime', 'time', 'restartedAt'])
const isTimeKey = (k: string) => TIME_KEYS.has(k) || k.endsWith('Time') || k.endsWith('Timestamp')

/**
 * Maps the engine's virtual timestamps onto the wall clock, so that kubectl, which computes AGE from its own clock,
 * reads the ages the cluster has lived. The engine stamps time `t` as CLUSTER_EPOCH_MS + t; the server started at
 * wall time `startWall` when the engine was at `startVirtual`, and then runs at wall speed: adding
 * `startWall - CLUSTER_EPOCH_MS - startVirtual` makes "now" in virtual time the real now. Whole seconds, as metav1.Time
 * serialises.
 */
export class TimeShift {
  /** Milliseconds added to every timestamp served. */
  readonly offsetMs: number
  private readonly served = new WeakMap<object, unknown>()
  private readonly texts = new WeakMap<object, string>()

  constructor(startWall: number, startVirtual: number) {
    this.offsetMs = Math.round((startWall - CLUSTER_EPOCH_MS - startVirtual) / 1000) * 1000
  }

  /** Virtual ms since the cluster began -> the RFC 3339 wall-clock time kubectl is shown. */
  stamp(virtualMs: number): string {
    return new Date(CLUSTER_EPOCH_MS + this.offsetMs + Math.floor(virtualMs / 1000) * 1000).toISOString().replace('.000Z', 'Z')
  }

  /**
   * The object as served: every timestamp field moved onto the wall clock. Stored objects never change (a change is a
   * new object), so the answer is kept per object: a list of 3,000 pods shifts only the pods that changed.
   */
  toWall<T>(obj: T): T {
    if (obj === null || typeof obj !== 'object') return obj
    const cached = this.served.get(obj)
    if (cached !== undefined) return cached as T
    const out = shift(obj, this.offsetMs) as T
    this.served.set(obj, out)
    return out
  }

  /** The object as served, as JSON text: kept per object too, so that ten watchers of one change encode it once. */
  json(obj: object): string {
    let text = this.texts.get(obj)
    if (text === undefined) this.texts.set(obj, (text = JSON.stringify(this.toWall(obj))))
    return text
  }

  /** A client's object back onto the virtual clock (what kubectl replace sends back is what it was shown). */
  toVirtual<T>(obj: T): T {
    return shift(obj, -this.offsetMs) as T
  }
}

function shift(value: unknown, offset: number, key = ''): unknown {
  if (typeof value === 'string') {
    if (!isTimeKey(key) || !RFC3339.test(value)) return value
    return new Date(Date.parse(value) + offset).toISOString().replace('.000Z', 'Z')
  }
  if (Array.isArray(value)) return value.map((v) => shift(v, offset, key))
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = k === 'annotations' || k === 'labels' ? shiftMap(v, offset) : shift(v, offset, k)
  return out
}

/** Annotations hold text, not times, but for the few that are times (kubectl rollout restart's restartedAt). */
function shiftMap(value: unknown, offset: number): unknown {
  if (!value || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) out[k] = k.endsWith('/restartedAt') && typeof v === 'string' && RFC3339.test(v) ? shift(v, offset, 'restartedAt') : v
  return out
}
