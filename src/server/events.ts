import { createHash } from 'node:crypto'
import type { Simulation } from '../sim'
import { kubeEvents, type KubeEvent } from '../sim/kubectl/events'
import { builtinKind } from '../sim/model/kinds'
import type { KubeObject } from '../sim/model/meta'
import { CLUSTER_EPOCH_MS, toTimestamp } from '../sim/runtime/time'

/** A uuid-shaped id, the same for the same text: an event keeps its uid from one list to the next. */
function stableUid(text: string): string {
  const h = createHash('sha1').update(text).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/**
 * The Kubernetes Events the story holds, as the API server stores core v1 Events: one per object, reason, source and
 * message, counted (kubeEvents), named as the event recorder names them (`<object>.<first time in hex ns>`), with
 * the involved object's uid looked up so that `kubectl describe` finds them by its field selector. Rebuilt only when
 * the story grew; an event that did not change keeps its object (and its resourceVersion).
 */
export class EventStore {
  private builtAt = ''
  private objects: KubeObject[] = []
  private byName = new Map<string, KubeObject>()

  constructor(private readonly sim: Simulation) {}

  /** Every event, virtual timestamps, in the API's order (by object, then time). */
  list(): readonly KubeObject[] {
    // What the recorders hold changes with the story and, slowly, with time (series refreshes, the event TTL).
    const at = `${this.sim.eventCount}|${Math.floor(this.sim.now / 1000)}`
    if (this.builtAt === at) return this.objects
    this.builtAt = at
    const next = new Map<string, KubeObject>()
    for (const e of kubeEvents(this.sim.events(), this.sim.now)) {
      let obj = this.eventObject(e)
      // Two events first seen in the same instant get names apart, as their nanoseconds would keep them.
      const base = obj.metadata.name
      for (let i = 1; next.has(obj.metadata.name); i++) {
        const name = `${base}${i}`
        obj = { ...obj, metadata: { ...obj.metadata, name, uid: stableUid(`${obj.metadata.namespace}/${name}`) } }
      }
      const prev = this.byName.get(obj.metadata.name)
      const same = prev && prev['count'] === obj['count'] && prev['lastTimestamp'] === obj['lastTimestamp'] && (prev['involvedObject'] as { uid?: string }).uid === (obj['involvedObject'] as { uid?: string }).uid
      next.set(obj.metadata.name, same ? prev : obj)
    }
    this.byName = next
    this.objects = [...next.values()]
    return this.objects
  }

  private eventObject(e: KubeEvent): KubeObject {
    const info = builtinKind(e.kind)
    const clusterScoped = info !== undefined && !info.namespaced
    const involved = this.sim.get(e.kind, clusterScoped ? undefined : e.namespace, e.name)
    const apiVersion = info ? (info.group ? `${info.group}/${info.versions[0]}` : info.versions[0]) : 'v1'
    // The recorder's name: the object's name and the first occurrence in nanoseconds since 1970, in hex.
    const suffix = (BigInt(CLUSTER_EPOCH_MS + e.firstTime) * 1_000_000n + BigInt(hashOf(`${e.reason}|${e.message}`) % 1_000_000)).toString(16)
    const name = `${e.name}.${suffix}`
    const namespace = clusterScoped ? 'default' : e.namespace
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace, uid: stableUid(`${namespace}/${name}`), resourceVersion: String(this.sim.state.resourceVersion), creationTimestamp: toTimestamp(e.firstTime) },
      involvedObject: {
        kind: e.kind,
        ...(clusterScoped ? {} : { namespace: e.namespace }),
        name: e.name,
        ...(involved?.metadata.uid ? { uid: involved.metadata.uid } : {}),
        apiVersion,
      },
      reason: e.reason,
      message: e.message,
      source: { component: e.source },
      firstTimestamp: toTimestamp(e.firstTime),
      lastTimestamp: toTimestamp(e.lastTime),
      count: e.count,
      type: e.type,
      eventTime: null,
      reportingComponent: e.source,
      reportingInstance: '',
    }
  }
}

function hashOf(text: string): number {
  let h = 2166136261
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  return h
}

/** A core v1 Event as events.k8s.io/v1 serves it (regarding, note, the deprecated* fields the conversion fills). */
export function asEventsV1(e: KubeObject): KubeObject {
  if (e.apiVersion === 'events.k8s.io/v1') return e
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: e.metadata,
    eventTime: null,
    reason: e['reason'],
    note: e['message'],
    type: e['type'],
    regarding: e['involvedObject'],
    reportingController: e['reportingComponent'],
    reportingInstance: e['reportingInstance'],
    deprecatedSource: e['source'],
    deprecatedFirstTimestamp: e['firstTimestamp'],
    deprecatedLastTimestamp: e['lastTimestamp'],
    deprecatedCount: e['count'],
  }
}
