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
      if (labels && byLabel) for (const k in labels) removeFrom(byLabel, `${k}=${labels[k]}`, key)
    } else if (kind === 'Service') {
      removeFrom(this.servicesByNamespace, ns, key)
      this.selectorsByNamespace.get(ns)?.delete(key)
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

  /** "Kind|key" strings of the objects whose ownerReferences name `uid`. */
  dependentsOf(uid: string): readonly string[] {
    const set = this.dependents.get(uid)
    return set ? [...set] : []
  }
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
