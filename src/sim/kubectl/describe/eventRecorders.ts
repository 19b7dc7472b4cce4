/**
 * What the API server holds for an object's events, given what its components reported: client-go's two recorders,
 * replayed over the simulation's story. A Kubernetes Event is not one report: repeats are folded into a count, and
 * what kubectl shows is what the recorder last wrote.
 *
 * - tools/record (the kubelet, the controller manager's controllers): EventCorrelator in events_cache.go. From the
 *   tenth distinct message of one reason within 10 minutes on, they go into one "(combined from similar events): ..."
 *   event; an identical event bumps `count` and `lastTimestamp`; each source may burst 25 events about an object, then 1 per 5 minutes
 *   (the dropped ones are still counted, and show in the next write).
 * - tools/events (the scheduler, kube-proxy: the events.k8s.io API): event_broadcaster.go. A repeat of the same
 *   reason makes a series (keeping the first message), written at once with count 2; later repeats are only counted,
 *   and written by the 30-minute refresh or when the series ends (6 minutes without a repeat, checked every 6
 *   minutes). Its `lastTimestamp` is null, so kubectl's sort puts it first.
 * - The API server drops an event an hour after its last write (--event-ttl=1h).
 */

/** One report by a component: a SimEvent with a reason, reduced to what the recorders look at. */
export interface Report {
  /** Its place in the object's story: events made in one millisecond are listed in the order they were made. */
  readonly seq: number
  readonly time: number
  readonly source: string
  /** The node of a kubelet or kube-proxy (Source.Host): part of the recorders' keys. */
  readonly host: string
  readonly type: 'Normal' | 'Warning'
  readonly reason: string
  readonly message: string
}

/** An Event as the API server holds it, in what kubectl describe prints of it. */
export interface StoredEvent {
  readonly type: 'Normal' | 'Warning'
  readonly reason: string
  readonly message: string
  readonly from: string
  /** firstTimestamp (whole seconds) or eventTime. */
  readonly first: number
  /** lastTimestamp (whole seconds) or the series' lastObservedTime. */
  readonly last: number
  readonly count: number
  /** kubectl sorts by lastTimestamp: a null one (events.k8s.io) sorts before every other. */
  readonly sortKey: number
  /** Where the API lists it: events are listed by name, and a name is the object's plus the time it was made. */
  readonly order: number
  readonly expiresAt: number
}

const EVENT_TTL_MS = 60 * 60_000
const AGGREGATE_MAX_EVENTS = 10
const AGGREGATE_INTERVAL_MS = 600_000
const SPAM_BURST = 25
const SPAM_QPS = 1 / 300
const SERIES_FINISH_MS = 6 * 60_000
const SERIES_REFRESH_MS = 30 * 60_000

/** metav1.Time keeps whole seconds. */
const seconds = (t: number) => Math.floor(t / 1000) * 1000

/** record.EventCorrelator, replayed: aggregate, then count, then the spam filter; what reached the server. */
export function legacyRecorder(reports: readonly Report[]): StoredEvent[] {
  const aggregates = new Map<string, { messages: Set<string>; last: number }>()
  const observed = new Map<string, { count: number; first: number; order: number }>()
  const buckets = new Map<string, { tokens: number; at: number }>()
  const stored = new Map<number, StoredEvent>()
  for (const r of reports) {
    const aggregateKey = `${r.source}|${r.host}|${r.type}|${r.reason}`
    let record = aggregates.get(aggregateKey)
    if (!record || r.time - record.last > AGGREGATE_INTERVAL_MS) record = { messages: new Set(), last: r.time }
    record.messages.add(r.message)
    record.last = r.time
    aggregates.set(aggregateKey, record)
    let key = `${aggregateKey}|${r.message}`
    let message = r.message
    if (record.messages.size >= AGGREGATE_MAX_EVENTS) {
      // sets.String.PopAny takes an arbitrary message; we take the oldest, to stay deterministic.
      record.messages.delete(record.messages.values().next().value!)
      key = aggregateKey
      message = `(combined from similar events): ${r.message}`
    }
    const before = observed.get(key)
    const seen = before ? { ...before, count: before.count + 1 } : { count: 1, first: seconds(r.time), order: r.seq }
    observed.set(key, seen)
    // A token bucket per source, object and type: full at first, one token back every five minutes.
    const bucketKey = `${r.source}|${r.host}|${r.type}`
    const bucket = buckets.get(bucketKey) ?? { tokens: SPAM_BURST, at: r.time }
    bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + ((r.time - bucket.at) / 1000) * SPAM_QPS)
    bucket.at = r.time
    buckets.set(bucketKey, bucket)
    if (bucket.tokens < 1) continue
    bucket.tokens -= 1
    // A patch of an event the TTL removed fails NotFound; the recorder then creates it again, count and all.
    stored.set(seen.order, {
      type: r.type, reason: r.reason, message, from: r.source, first: seen.first, last: seconds(r.time), count: seen.count,
      sortKey: seconds(r.time), order: seen.order, expiresAt: r.time + EVENT_TTL_MS,
    })
  }
  return [...stored.values()]
}

interface SeriesEntry {
  readonly report: Report
  readonly order: number
  series?: { count: number; last: number }
}

/** events.eventBroadcasterImpl, replayed: singletons, series, their refresh and their end, up to `now`. */
export function seriesRecorder(reports: readonly Report[], now: number): StoredEvent[] {
  const cache = new Map<string, SeriesEntry>()
  const stored = new Map<number, StoredEvent>()
  const write = (e: SeriesEntry, at: number) => {
    stored.set(e.order, {
      type: e.report.type, reason: e.report.reason, message: e.report.message, from: e.report.source,
      first: e.report.time, last: e.series?.last ?? e.report.time, count: e.series?.count ?? 1,
      sortKey: -Infinity, order: e.order, expiresAt: at + EVENT_TTL_MS,
    })
  }
  // The broadcaster's timers run from its start (the cluster's), each first at once: wait.Until.
  let nextRefresh = 0
  let nextFinish = 0
  const runTimersThrough = (limit: number) => {
    while (Math.min(nextRefresh, nextFinish) <= limit) {
      if (cache.size === 0) {
        nextRefresh = (Math.floor(limit / SERIES_REFRESH_MS) + 1) * SERIES_REFRESH_MS
        nextFinish = (Math.floor(limit / SERIES_FINISH_MS) + 1) * SERIES_FINISH_MS
        return
      }
      if (nextRefresh <= nextFinish) {
        for (const e of cache.values()) if (e.series) write(e, nextRefresh)
        nextRefresh += SERIES_REFRESH_MS
      } else {
        const t = nextFinish
        for (const [key, e] of cache) {
          const ended = e.series ? e.series.last < t - SERIES_FINISH_MS : e.report.time < t - SERIES_FINISH_MS
          if (!ended) continue
          if (e.series) write(e, t)
          cache.delete(key)
        }
        nextFinish += SERIES_FINISH_MS
      }
    }
  }
  for (const r of reports) {
    runTimersThrough(r.time)
    // The key is action, reason, reporting controller and object: per object and component, the reason.
    const key = `${r.source}|${r.reason}`
    const entry = cache.get(key)
    if (!entry) {
      const created: SeriesEntry = { report: r, order: r.seq }
      cache.set(key, created)
      write(created, r.time)
    } else if (entry.series) {
      entry.series.count++
      entry.series.last = r.time
    } else {
      entry.series = { count: 2, last: r.time }
      write(entry, r.time)
    }
  }
  runTimersThrough(now)
  return [...stored.values()]
}
