import type { ObjectMeta } from '../../model/meta'
import type { SimEvent } from '../../runtime/events'
import { fromTimestamp } from '../../runtime/time'
import { eventObjectName, goHumanDuration } from './fieldFormat'
import { legacyRecorder, seriesRecorder, type Report, type StoredEvent } from './eventRecorders'
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefixWriter'

/**
 * Reasons that client code records as EventTypeWarning (the kubelet's events.go, the controllers' Eventf calls); every
 * other reason is Normal. A reason starting "Failed" is a Warning whoever records it.
 */
const WARNING_REASONS = new Set([
  'BackOff', 'Unhealthy', 'Failed', 'ErrImageNeverPull', 'InspectFailed', 'Evicted', 'ProbeWarning', 'NetworkNotReady',
  'DNSConfigForming', 'HostPortConflict', 'ExceededGracePeriod', 'SyncLoadBalancerFailed', 'UnAvailableLoadBalancer',
  'LoadBalancerUpdateFailed', 'ReplicaSetCreateError', 'InvalidDiskCapacity', 'FreeDiskSpaceFailed', 'ImageGCFailed', 'ContainerGCFailed', 'Rebooted', 'SystemOOM',
])

/** Normal or Warning, as the component that records this reason calls it. */
export function eventType(reason: string): 'Normal' | 'Warning' {
  return WARNING_REASONS.has(reason) || reason.startsWith('Failed') ? 'Warning' : 'Normal'
}

/** Components that report through events.k8s.io (tools/events): the scheduler and kube-proxy. */
const EVENTS_API_SOURCES = new Set(['default-scheduler', 'kube-proxy'])

/** Our actors whose recorder names itself otherwise (its EventSource.Component). */
const COMPONENT_NAMES: Record<string, string> = {
  'endpointslice-controller': 'endpoint-slice-controller',
  'endpointslicemirroring-controller': 'endpoint-slice-mirroring-controller',
  'endpoints-controller': 'endpoint-controller',
}

/**
 * SimEvent.actor -> the event's source as kubectl's From column shows it: "kubelet/worker-1" is component "kubelet"
 * on host worker-1 (From shows only the component), a controller is its recorder's name.
 */
export function eventSource(actor: string): { component: string; host: string } {
  const slash = actor.indexOf('/')
  const component = slash < 0 ? actor : actor.slice(0, slash)
  return { component: COMPONENT_NAMES[component] ?? component, host: slash < 0 ? '' : actor.slice(slash + 1) }
}

/** A story event with a reason, as its component reported it: the `seq`-th report about its object. */
export function reportOf(e: SimEvent, seq: number): Report {
  const { component, host } = eventSource(e.actor)
  return { seq, time: e.time, source: component, host, type: eventType(e.reason!), reason: e.reason!, message: e.message }
}

/**
 * The reports about one object: SimEvents with a reason naming it. searchEvents matches the object's uid too; a
 * SimEvent names no uid, so the reports made before the object was (about an earlier object of the same name) are left
 * out. A mirror pod's events are the static pod's, whatever copy of it the API holds (kubectl looks them up by
 * the static pod's uid), so all of them count.
 */
export function objectReports(events: readonly SimEvent[], kind: string, meta: ObjectMeta, sinceCreation = true): Report[] {
  const name = eventObjectName(kind, meta)
  const created = meta.creationTimestamp && sinceCreation ? fromTimestamp(meta.creationTimestamp) : -Infinity
  const reports: Report[] = []
  for (const e of events) {
    if (!e.reason || e.write || e.object !== name || e.time < created) continue
    reports.push(reportOf(e, reports.length))
  }
  return reports
}

/** The object's events as the API server lists them at `now`: both recorders' output, the expired ones gone. */
export function storedEvents(reports: readonly Report[], now: number): StoredEvent[] {
  const viaEventsApi = reports.filter((r) => EVENTS_API_SOURCES.has(r.source))
  const viaCoreApi = reports.filter((r) => !EVENTS_API_SOURCES.has(r.source))
  return [...legacyRecorder(viaCoreApi), ...seriesRecorder(viaEventsApi, now)]
    .filter((e) => e.expiresAt > now)
    .sort((a, b) => a.order - b.order)
}

/** The Age column: "5s", or "2m3s (x3 over 10m)" for an event seen more than once. */
function eventAge(e: StoredEvent, now: number): string {
  const first = goHumanDuration(now - e.first)
  return e.count > 1 ? `${goHumanDuration(now - e.last)} (x${e.count} over ${first})` : first
}

/**
 * DescribeEvents: "Events:\t<none>", or a table of Type, Reason, Age, From and Message sorted by lastTimestamp
 * (SortableEvents; JS's sort is stable, as Go's is for the dozen rows a describe usually has).
 */
export function describeEvents(w: PrefixWriter, events: readonly StoredEvent[], now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n')
    return
  }
  w.flush()
  const sorted = [...events].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0))
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n')
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n')
  for (const e of sorted) w.write(LEVEL_1, `${e.type}\t${e.reason}\t${eventAge(e, now)}\t${e.from}\t${e.message.trim()}\n`)
}

/** The Events section of an object's description: its reports, replayed through the recorders, then printed. */
export function printObjectEvents(w: PrefixWriter, events: readonly SimEvent[], kind: string, meta: ObjectMeta, now: number, sinceCreation = true): void {
  describeEvents(w, storedEvents(objectReports(events, kind, meta, sinceCreation), now), now)
}
