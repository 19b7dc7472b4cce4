import type { KubeObject } from '../model/meta'
import type { Pod } from '../model/pod'
import { podRequests } from '../model/podFactory'
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../model/endpointSlice'
import { hasSelector, type Service } from '../model/service'

/**
 * Informer-style indexes over the stored objects, kept current by every API write so that a controller's work is
 * proportional to what changed, not to the size of the cluster.
 */
export class Indexes {
  /** Pod key -> the stored Pod: the informer cache, a native map (hot paths look pods up by key constantly). */
  readonly pods = new Map<string, Pod>()
  /** namespace -> "key=value" -> pod keys. */
  readonly podsByLabel = new Map<string, Map<string, Set<string>>>()
  /** namespace -> pod keys. */
  readonly podsByNamespace = new Map<string, Set<string>>()
  /** node name -> pod keys. */
  readonly podsByNode = new Map<string, Set<string>>()
  /** namespace -> Service keys. */
  readonly servicesByNamespace = new Map<string, Set<string>>()
  /** namespace -> Service key -> its selector, for Services that select pods (what routing a pod change needs). */
  readonly selectorsByNamespace = new Map<string, Map<string, Readonly<Record<string, string>>>>()
  /** owner uid -> "Kind|key" of dependents. */
  readonly dependents = new Map<string, Set<string>>()
  /** node name -> how many pods are bound to it and their summed requests (the scheduler cache's NodeInfo). */
  readonly nodeInfo = new Map<string, { pods: number; cpu: number; memory: number }>()
  /** Service key -> EndpointSlice keys labelled for it. */
  readonly slicesByService = new Map<string, Set<string>>()
  /**
   * "Kind|key" of every indexed object, in the order each was last (re)indexed. The sets above list their members in
   * this order, and controllers walk them in it (which slice gets an endpoint, which dependent goes first), so an index
   * rebuilt from a saved state must add the objects in this order to behave as the original.
   */
  readonly order = new Set<string>()

  /** Forgets everything, to be rebuilt from a state (after an undone command). */
  clear(): void {
    for (const index of Object.values(this)) if (index instanceof Map) index.clear()
  }

  /** Updates every index for one write: old (or undefined) was replaced by next (or undefined). */
  update(kind: string, key: string, old: KubeObject | undefined, next: KubeObject | undefined): void {
    if (old && next && kind === 'Pod' && samePodIndexKeys(old as Pod, next as Pod)) {
      // A status update: nothing indexed changed but the object itself.
      this.pods.set(key, next as Pod)
      return
    }
    if (old && next && old.metadata === next.metadata && kind !== 'Pod') return
    if (old) this.remove(kind, key, old)
    if (next) this.add(kind, key, next)
  }

  private add(kind: string, key: string, obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? ''
    this.order.add(`${kind}|${key}`)
    for (const ref of obj.metadata.ownerReferences ?? []) addTo(this.dependents, ref.uid, `${kind}|${key}`)
    if (kind === 'Pod') {
      const pod = obj as Pod
      this.pods.set(key, pod)
      addTo(this.podsByNamespace, ns, key)
      if (pod.spec.nodeName) {
        addTo(this.podsByNode, pod.spec.nodeName, key)
        this.account(pod.spec.nodeName, pod, 1)
      }
      const labels = pod.metadata.labels
      if (labels) {
        let byLabel = this.podsByLabel.get(ns)
        if (!byLabel) this.podsByLabel.set(ns, (byLabel = new Map()))
        for (const k in labels) addTo(byLabel, `${k}=${labels[k]}`, key)
      }
    } else if (kind === 'Service') {
      addTo(this.servicesByNamespace, ns, key)
      const svc = obj as Service
      if (hasSelector(svc)) {
        let selectors = this.selectorsByNamespace.get(ns)
        if (!selectors) this.selectorsByNamespace.set(ns, (selectors = new Map()))
        selectors.set(key, svc.spec.selector!)
      }
    } else if (kind === 'EndpointSlice') {
      const svc = (obj as EndpointSlice).metadata.labels?.[SERVICE_NAME_LABEL]
      if (svc) addTo(this.slicesByService, `${ns}/${svc}`, key)
    }
  }

  private remove(kind: string, key: string, obj: KubeObject): void {
    const ns = obj.metadata.namespace ?? ''
    this.order.delete(`${kind}|${key}`)
    for (const ref of obj.metadata.ownerReferences ?? []) removeFrom(this.dependents, ref.uid, `${kind}|${key}`)
    if (kind === 'Pod') {
      const pod = obj as Pod
      this.pods.delete(key)
      removeFrom(this.podsByNamespace, ns, key)
      if (pod.spec.nodeName) {
        removeFrom(this.podsByNode, pod.spec.nodeName, key)
        this.account(pod.spec.nodeName, pod, -1)
      }
      const labels = pod.metadata.labels
      const byLabel = this.podsByLabel.get(ns)
      if (labels && byLabel) {
        for (const k in labels) removeFrom(byLabel, `${k}=${labels[k]}`, key)
        // An emptied namespace goes, as an emptied set does, so an index rebuilt from the state has the same keys.
        if (byLabel.size === 0) this.podsByLabel.delete(ns)
      }
    } else if (kind === 'Service') {
      removeFrom(this.servicesByNamespace, ns, key)
      const selectors = this.selectorsByNamespace.get(ns)
      selectors?.delete(key)
      if (selectors?.size === 0) this.selectorsByNamespace.delete(ns)
    } else if (kind === 'EndpointSlice') {
      const svc = (obj as EndpointSlice).metadata.labels?.[SERVICE_NAME_LABEL]
      if (svc) removeFrom(this.slicesByService, `${ns}/${svc}`, key)
    }
  }

  /** The node's NodeInfo, created empty: a live object the scheduler may hold on to. */
  nodeInfoOf(node: string): { pods: number; cpu: number; memory: number } {
    let info = this.nodeInfo.get(node)
    if (!info) this.nodeInfo.set(node, (info = { pods: 0, cpu: 0, memory: 0 }))
    return info
  }

  private account(node: string, pod: Pod, sign: 1 | -1): void {
    const info = this.nodeInfoOf(node)
    info.pods += sign
    if (pod.spec.containers.some((c) => c.resources?.requests || c.resources?.limits)) {
      const r = podRequests(pod)
      info.cpu += sign * r.cpu
      info.memory += sign * r.memory
    }
  }

  /** Keys of pods in `namespace` whose labels include every pair of `selector` (a Service-style equality selector). */
  podsMatching(namespace: string, selector: Readonly<Record<string, string>>): string[] {
    const byLabel = this.podsByLabel.get(namespace)
    if (!byLabel) return []
    const sets: Set<string>[] = []
    for (const k in selector) {
      const set = byLabel.get(`${k}=${selector[k]}`)
      if (!set) return []
      sets.push(set)
    }
    if (sets.length === 0) return [...(this.podsByNamespace.get(namespace) ?? [])]
    sets.sort((a, b) => a.size - b.size)
    const [smallest, ...rest] = sets
    const out: string[] = []
    for (const key of smallest!) if (rest.every((s) => s.has(key))) out.push(key)
    return out
  }

  /**
   * The order of every index's keys. Members of one key follow `order`, but a key itself stands where it was added
   * when its set last went from empty to not, which `order` does not tell: a snapshot keeps this beside it.
   */
  keyOrder(): IndexKeyOrder {
    const nested = (m: Map<string, Map<string, unknown>>) => [...m].map(([k, inner]) => [k, [...inner.keys()]] as [string, string[]])
    return {
      podsByLabel: nested(this.podsByLabel),
      podsByNamespace: [...this.podsByNamespace.keys()],
      podsByNode: [...this.podsByNode.keys()],
      servicesByNamespace: [...this.servicesByNamespace.keys()],
      selectorsByNamespace: nested(this.selectorsByNamespace),
      dependents: [...this.dependents.keys()],
      nodeInfo: [...this.nodeInfo.keys()],
      slicesByService: [...this.slicesByService.keys()],
    }
  }

  /**
   * Puts the keys of indexes rebuilt from a state in a recorded order. The keys must be the ones rebuilt (a NodeInfo the
   * scheduler created for a node with no pods may be listed in addition: it is made, empty); otherwise says what differs.
   */
  arrangeKeys(order: IndexKeyOrder): string | undefined {
    if (!Array.isArray(order.nodeInfo)) return 'nodeInfo: must be a list of node names'
    for (const node of order.nodeInfo) if (typeof node === 'string' && !this.nodeInfo.has(node)) this.nodeInfoOf(node)
    const flat = { podsByNamespace: this.podsByNamespace, podsByNode: this.podsByNode, servicesByNamespace: this.servicesByNamespace, dependents: this.dependents, nodeInfo: this.nodeInfo, slicesByService: this.slicesByService } as const
    for (const name of Object.keys(flat) as (keyof typeof flat)[]) {
      const error = arrange(flat[name] as Map<string, unknown>, order[name])
      if (error) return `${name}: ${error}`
    }
    for (const name of ['podsByLabel', 'selectorsByNamespace'] as const) {
      const outer = this[name] as Map<string, Map<string, unknown>>
      if (!Array.isArray(order[name]) || !order[name].every((e) => Array.isArray(e) && e.length === 2)) return `${name}: must be a list of [key, inner keys]`
      const error = arrange(outer, order[name].map(([k]) => k))
      if (error) return `${name}: ${error}`
      for (const [k, inner] of order[name]) {
        const innerError = arrange(outer.get(k)!, inner)
        if (innerError) return `${name}[${k}]: ${innerError}`
      }
    }
    return undefined
  }

  /** "Kind|key" strings of the objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): readonly string[] {
    const set = this.dependents.get(uid)
    return set ? [...set] : []
  }
}

/** The key order of each index (see `Indexes.keyOrder`). */
export interface IndexKeyOrder {
  readonly podsByLabel: readonly (readonly [string, readonly string[]])[]
  readonly podsByNamespace: readonly string[]
  readonly podsByNode: readonly string[]
  readonly servicesByNamespace: readonly string[]
  readonly selectorsByNamespace: readonly (readonly [string, readonly string[]])[]
  readonly dependents: readonly string[]
  readonly nodeInfo: readonly string[]
  readonly slicesByService: readonly string[]
}

/** Re-inserts a map's entries in `keys` order, when the keys are exactly the map's. */
function arrange(map: Map<string, unknown>, keys: readonly string[]): string | undefined {
  if (!Array.isArray(keys) || keys.length !== map.size || !keys.every((k) => typeof k === 'string' && map.has(k)) || new Set(keys).size !== keys.length) {
    return 'its recorded keys are not the ones the state gives'
  }
  const entries = keys.map((k) => [k, map.get(k)] as const)
  map.clear()
  for (const [k, v] of entries) map.set(k, v)
  return undefined
}

/** The fields a pod is indexed by: unchanged in most writes (the kubelet's status updates). */
function samePodIndexKeys(a: Pod, b: Pod): boolean {
  return (
    a.metadata.labels === b.metadata.labels &&
    a.metadata.ownerReferences === b.metadata.ownerReferences &&
    a.metadata.namespace === b.metadata.namespace &&
    a.spec === b.spec
  )
}

function addTo(map: Map<string, Set<string>>, k: string, v: string): void {
  let set = map.get(k)
  if (!set) map.set(k, (set = new Set()))
  set.add(v)
}

function removeFrom(map: Map<string, Set<string>>, k: string, v: string): void {
  const set = map.get(k)
  if (!set) return
  set.delete(v)
  if (set.size === 0) map.delete(k)
}
