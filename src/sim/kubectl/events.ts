import type { SimEvent } from '../runtime/events'
import { humanDuration } from '../runtime/time'
import type { CommandContext, RunResult } from '../shell/types'
import type { Report } from './describe/eventRecorders'
import { reportOf, storedEvents } from './describe/eventsSection'
import { formatTable } from './printers'

/** One Kubernetes Event as the API server holds it: what the recorders wrote, repeats folded into a count. */
export interface KubeEvent {
  readonly type: 'Normal' | 'Warning'
  readonly reason: string
  /** The reporting component as kubectl's "From" shows it: "kubelet", "default-scheduler", "replicaset-controller". */
  readonly source: string
  readonly kind: string
  readonly namespace: string
  readonly name: string
  readonly message: string
  readonly firstTime: number
  readonly lastTime: number
  readonly count: number
}

/**
 * Every object's events as the API server lists them at `now`: the story's reports about each object replayed through
 * client-go's recorders (see describe/eventRecorders), in the API's order (by event name: the object's, then time).
 */
export function kubeEvents(events: readonly SimEvent[], now: number, namespace?: string): KubeEvent[] {
  const byObject = new Map<string, Report[]>()
  // Cluster-scoped objects' events are kept in default ("Node worker-1" has no namespace).
  const inNamespace = namespace === undefined ? undefined : namespace === 'default' ? (o: string) => !o.includes('/') || o.includes(' default/') : (o: string) => o.includes(` ${namespace}/`)
  for (const e of events) {
    if (!e.reason || e.write || (inNamespace && !inNamespace(e.object))) continue
    const reports = byObject.get(e.object) ?? []
    reports.push(reportOf(e, reports.length))
    byObject.set(e.object, reports)
  }
  const out: (KubeEvent & { order: number })[] = []
  for (const [object, reports] of byObject) {
    const m = /^(\S+) (?:(\S+)\/)?(\S+)$/.exec(object)
    if (!m) continue
    for (const s of storedEvents(reports, now)) {
      out.push({ type: s.type, reason: s.reason, source: s.from, kind: m[1]!, namespace: m[2] ?? 'default', name: m[3]!, message: s.message, firstTime: s.first, lastTime: s.last, count: s.count, order: s.order })
    }
  }
  // An event's name is the object's, a dot and a time: "web-657cf65d6-x." sorts before "web.".
  const key = (e: KubeEvent) => `${e.namespace}\u0000${e.name}.`
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.order - b.order))
}

/** `kubectl get events`: LAST SEEN ("3m (x5 over 10m)" for repeats), TYPE, REASON, OBJECT, MESSAGE. */
export function printEvents(ctx: CommandContext, namespace: string | undefined): RunResult {
  const now = ctx.host.now
  const events = kubeEvents(ctx.host.events(), now, namespace).filter((e) => namespace === undefined || e.namespace === namespace)
  if (events.length === 0) return { exitCode: 0, stdout: '', stderr: namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n` }
  const seen = (e: KubeEvent) => (e.count > 1 ? `${humanDuration(now - e.lastTime)} (x${e.count} over ${humanDuration(now - e.firstTime)})` : humanDuration(now - e.lastTime))
  const rows = events.map((e) => [...(namespace === undefined ? [e.namespace] : []), seen(e), e.type, e.reason, `${e.kind.toLowerCase()}/${e.name}`, e.message.trim()])
  return { exitCode: 0, stdout: formatTable({ headers: [...(namespace === undefined ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'], rows }), stderr: '' }
}
