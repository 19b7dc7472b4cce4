import type { Simulation } from '../sim'
import type { KubeObject } from '../sim/model/meta'
import { API_VERSIONS, isSimulatedKind, KIND_TABLES, type ClusterState, type Table } from '../sim/state'
import { asEventsV1, EventStore } from './events'
import { apiVersionOf, type ServedResource } from './resources'

const byKey = (a: KubeObject, b: KubeObject) => {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** Whether a stored object belongs to a served resource: its kind, in its group (any version of it). */
export function belongsTo(o: KubeObject, r: ServedResource): boolean {
  if (o.kind !== r.kind) return false
  const slash = o.apiVersion.indexOf('/')
  return (slash < 0 ? '' : o.apiVersion.slice(0, slash)) === r.group
}

/**
 * The objects of each served resource as the API server's storage holds them, on the virtual clock: the engine's
 * tables for the kinds it simulates, `others` for the kinds it only stores, the story for Events. Lists come in
 * etcd's order (namespace, then name); a table that did not change is not sorted again.
 */
export class ObjectSource {
  readonly events: EventStore
  private readonly sorted = new WeakMap<object, Map<string, readonly KubeObject[]>>()

  constructor(readonly sim: Simulation) {
    this.events = new EventStore(sim)
  }

  /** Every object of the resource, in every namespace. */
  all(r: ServedResource, state: ClusterState = this.sim.state): readonly KubeObject[] {
    if (r.kind === 'Event') {
      const core = this.events.list()
      return r.group === '' ? core : this.memo(core, r, () => core.map(asEventsV1))
    }
    if (isSimulatedKind(r.kind) && API_VERSIONS[r.kind] === apiVersionOf(r)) {
      const table = state[KIND_TABLES[r.kind]] as Table<KubeObject>
      return this.memo(table, r, () => [...table.values()].sort(byKey))
    }
    return this.memo(state.others, r, () => {
      const out: KubeObject[] = []
      const apiVersion = apiVersionOf(r)
      for (const o of state.others.values()) if (belongsTo(o, r)) out.push(o.apiVersion === apiVersion ? o : { ...o, apiVersion })
      return out.sort(byKey)
    })
  }

  /** The objects of one namespace (all of them for a cluster-scoped resource or `undefined`). */
  list(r: ServedResource, namespace: string | undefined, state?: ClusterState): readonly KubeObject[] {
    const all = this.all(r, state)
    if (namespace === undefined || !r.namespaced) return all
    return all.filter((o) => o.metadata.namespace === namespace)
  }

  /** One object, or undefined. */
  get(r: ServedResource, namespace: string | undefined, name: string): KubeObject | undefined {
    if (r.kind === 'Event') return this.list(r, namespace).find((o) => o.metadata.name === name)
    const obj = this.sim.get(r.kind, r.namespaced ? namespace : undefined, name)
    if (obj && belongsTo(obj, r)) return obj.apiVersion === apiVersionOf(r) ? obj : { ...obj, apiVersion: apiVersionOf(r) }
    // A kind stored in two groups (none simulated): look in the resource's own group.
    return this.list(r, namespace).find((o) => o.metadata.name === name)
  }

  private memo(table: object, r: ServedResource, build: () => readonly KubeObject[]): readonly KubeObject[] {
    let perResource = this.sorted.get(table)
    if (!perResource) this.sorted.set(table, (perResource = new Map()))
    const id = `${r.group}/${r.version}/${r.kind}`
    let list = perResource.get(id)
    if (!list) perResource.set(id, (list = build()))
    return list
  }
}
