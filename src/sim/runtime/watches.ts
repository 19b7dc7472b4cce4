import { MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from '../model/endpointSlice'
import { controllerOf, matchesLabels, type KubeObject } from '../model/meta'
import { isPodReady, type Pod } from '../model/pod'
import type { Runtime } from './runtime'

/**
 * The deployment controller's key for "a pod of this ReplicaSet is gone" (its deletePod handler): a Recreate
 * Deployment waits for the last old pod to disappear before it starts the new ones.
 */
export const POD_GONE_KEY = 'pod-gone|'

/**
 * The EndpointSlice controller's key for "a slice it may manage changed": `slice|<slice key>|<Service key>`. The
 * controller tells its own writes from others' (its endpointSliceTracker) and resyncs the Service for the others.
 */
export const SLICE_CHANGED_KEY = 'slice|'

/**
 * The informers' event handlers: after every write, queue the keys each watching controller must look at. This is the
 * only place that knows who watches what.
 */
export function routeChange(rt: Runtime, kind: string, key: string, old: KubeObject | undefined, next: KubeObject | undefined): void {
  const obj = (next ?? old)!
  if (!next && obj.metadata.uid) rt.deliver('garbage-collector', obj.metadata.uid)
  // The API server's own Service and endpoints: gone or edited, they are put back (a deleted Service may also free its ClusterIP).
  if ((kind === 'Service' && !next) || (key === 'default/kubernetes' && (kind === 'Endpoints' || kind === 'EndpointSlice'))) {
    rt.deliver('kubernetes-service-controller', 'check')
  }
  switch (kind) {
    case 'Namespace':
      rt.deliver('namespace-controller', key)
      rt.deliver('serviceaccount-controller', key)
      rt.deliver('root-ca-cert-publisher', key)
      break
    case 'ServiceAccount':
      if (!next && obj.metadata.name === 'default') rt.deliver('serviceaccount-controller', obj.metadata.namespace!)
      break
    case 'ConfigMap':
      if (old && obj.metadata.name === 'kube-root-ca.crt') rt.deliver('root-ca-cert-publisher', obj.metadata.namespace!)
      break
    case 'Node':
      // Its own writes come back here and change nothing on the second look; a node deleted takes its faults with it.
      rt.deliver('node-lifecycle-controller', key)
      // Only a node joining, leaving or changing its spec matters to the scheduler and kube-proxy.
      if (!old || !next || old.spec !== next.spec) {
        rt.deliver('default-scheduler', '*')
        rt.deliver('kube-proxy', '*')
      }
      // Daemon pods follow the nodes, their labels and taints.
      if (!old || !next || old.spec !== next.spec || old.metadata.labels !== next.metadata.labels) rt.deliver('daemonset-controller', '*')
      break
    case 'DaemonSet':
      // Its own status writes need no second look.
      if (!old || !next || old.spec !== next.spec) rt.deliver('daemonset-controller', key)
      break
    case 'Deployment':
      rt.deliver('deployment-controller', key)
      break
    case 'ReplicaSet': {
      rt.deliver('replicaset-controller', key)
      const owner = controllerOf(obj.metadata)
      if (owner?.kind === 'Deployment') rt.deliver('deployment-controller', `${obj.metadata.namespace}/${owner.name}`)
      break
    }
    case 'Pod':
      routePod(rt, key, old as Pod | undefined, next as Pod | undefined)
      break
    case 'Service':
      rt.deliver('endpointslice-controller', key)
      rt.deliver('endpoints-controller', key)
      rt.deliver('service-lb-controller', key)
      rt.deliver('endpointslicemirroring-controller', key)
      rt.deliver('coredns', key)
      rt.deliver('kube-proxy', key)
      break
    case 'Endpoints':
      rt.deliver('endpointslicemirroring-controller', key)
      break
    case 'EndpointSlice': {
      const svc = obj.metadata.labels?.[SERVICE_NAME_LABEL]
      const svcKey = svc ? `${obj.metadata.namespace}/${svc}` : key
      rt.deliver('coredns', svcKey)
      rt.deliver('kube-proxy', svcKey)
      routeSliceToController(rt, key, old, next)
      break
    }
  }
}

/**
 * onEndpointSliceAdd/Update/Delete: a slice labelled as the controller's (before or after the change), or one whose
 * Service label changed, wakes the controller for each Service it names.
 */
function routeSliceToController(rt: Runtime, key: string, old: KubeObject | undefined, next: KubeObject | undefined): void {
  const managed = (o: KubeObject | undefined) => o?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_CONTROLLER
  const svcOf = (o: KubeObject | undefined) => o?.metadata.labels?.[SERVICE_NAME_LABEL]
  if (!managed(old) && !managed(next) && svcOf(old) === svcOf(next)) return
  const ns = (next ?? old)!.metadata.namespace
  for (const svc of new Set([svcOf(old), svcOf(next)])) if (svc) rt.deliver('endpointslice-controller', `${SLICE_CHANGED_KEY}${key}|${ns}/${svc}`)
}

function routePod(rt: Runtime, key: string, old: Pod | undefined, next: Pod | undefined): void {
  const pod = (next ?? old)!
  const owner = controllerOf(pod.metadata)
  // A daemon pod matters to its DaemonSet when it comes, goes, or changes what the DaemonSet counts.
  if (owner?.kind === 'DaemonSet' && (!old || !next || daemonPodCountsChanged(old, next))) rt.deliver('daemonset-controller', `${pod.metadata.namespace}/${owner.name}`)
  if (owner?.kind === 'ReplicaSet') {
    rt.deliver('replicaset-controller', `${pod.metadata.namespace}/${owner.name}`)
    if (!next) rt.deliver('deployment-controller', `${POD_GONE_KEY}${pod.metadata.namespace}/${owner.name}`)
  }
  if (next && !next.spec.nodeName && !next.metadata.deletionTimestamp) rt.deliver('default-scheduler', key)
  // A pod going away frees room: pods that fit nowhere get another try.
  if (!next) rt.deliver('default-scheduler', '*')
  if (pod.spec.nodeName) rt.deliver('kubelet', key)
  // The taint eviction controller times the eviction of a pod bound to a NoExecute-tainted node.
  if (next?.spec.nodeName && old?.spec.nodeName !== next.spec.nodeName) rt.deliver('node-lifecycle-controller', `pod|${key}`)
  // CoreDNS is its pods: one starting begins to watch and answer, the last one going leaves nobody answering.
  if (pod.metadata.namespace === 'kube-system' && pod.metadata.labels?.['k8s-app'] === 'kube-dns') rt.deliver('coredns', `pod:${key}`)
  // kube-proxy is its pod on each node: it starts (and syncs) when the pod runs, and stops when it goes.
  if (pod.metadata.namespace === 'kube-system' && pod.metadata.labels?.['k8s-app'] === 'kube-proxy' && pod.spec.nodeName) rt.deliver('kube-proxy', `pod:${pod.spec.nodeName}`)
  if (old && next && !endpointRelevantChange(old, next)) return
  for (const [svcKey, selector] of rt.index.selectorsByNamespace.get(pod.metadata.namespace) ?? []) {
    if (matchesLabels(selector, old?.metadata.labels) || matchesLabels(selector, next?.metadata.labels)) {
      rt.deliver('endpointslice-controller', svcKey)
      rt.deliver('endpoints-controller', svcKey)
    }
  }
}

/** What a DaemonSet's counts and placement read of its pods. */
function daemonPodCountsChanged(a: Pod, b: Pod): boolean {
  return a.status.phase !== b.status.phase || a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp || a.spec.nodeName !== b.spec.nodeName || isPodReady(a) !== isPodReady(b)
}

/** The pod fields an endpoint is built from (the EndpointSlice controller's podEndpointsChanged and label checks). */
function endpointRelevantChange(a: Pod, b: Pod): boolean {
  return (
    a.metadata.labels !== b.metadata.labels ||
    a.status.podIP !== b.status.podIP ||
    a.status.phase !== b.status.phase ||
    a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp ||
    a.spec.nodeName !== b.spec.nodeName ||
    a.spec.hostname !== b.spec.hostname ||
    a.spec.subdomain !== b.spec.subdomain ||
    isPodReady(a) !== isPodReady(b)
  )
}
