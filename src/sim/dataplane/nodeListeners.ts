import { isPodRunning, type Pod } from '../model/pod'
import type { ClusterState } from '../state'
import { hostPods, listensOn } from './topology'

/**
 * kube-proxy's health check server (pkg/proxy/healthcheck): on every node it answers each Local-policy load balancer's
 * healthCheckNodePort, 200 while this node has a ready endpoint of the Service and 503 otherwise, as of its last sync.
 * That is what a cloud load balancer probes to choose nodes.
 */
export function healthCheck(state: ClusterState, node: string, port: number): { note: string; pod: Pod } | undefined {
  const view = state.proxies.get(node)
  const svc = view && [...view.services.values()].find((s) => s.spec.healthCheckNodePort === port && s.spec.externalTrafficPolicy === 'Local')
  // The server is a part of the kube-proxy process: with no kube-proxy running on the node, nothing listens there.
  const proxy = hostPods(state.pods, node).find((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy' && isPodRunning(p))
  if (!view || !svc || !proxy) return undefined
  const { namespace, name } = svc.metadata
  let local = 0
  for (const slice of view.endpointSlices.values()) {
    if (slice.metadata.namespace !== namespace || slice.metadata.labels?.['kubernetes.io/service-name'] !== name) continue
    for (const e of slice.endpoints ?? []) if (e.nodeName === node && (e.conditions.ready ?? true)) local++
  }
  const body = JSON.stringify({ service: { namespace, name }, localEndpoints: local, serviceProxyHealthy: true })
  return {
    note: `kube-proxy's health check server on ${node} answers GET /healthz with ${local ? '200 OK' : '503 Service Unavailable'} ${body}: ${local ? 'this node has a ready endpoint, so a load balancer may send here' : 'no ready endpoint here, so a load balancer leaves this node out'}`,
    pod: proxy,
  }
}

/** The host-network pod on `node` whose process listens on `port` (a node address reaches those), if one runs. */
export function hostProcess(state: ClusterState, node: string, port: number, proto: string): Pod | undefined {
  return hostPods(state.pods, node).find((pod) => isPodRunning(pod) && listensOn(pod, port, proto))
}
