import { isPodReady } from '../model/pod'
import type { Service } from '../model/service'
import type { Rng } from '../runtime/rng'
import type { ClusterState } from '../state'
import { podsByIP } from './topology'

/**
 * The cloud load balancer in front of a Service picks a node for a new connection: never one labelled
 * exclude-from-external-load-balancers (the control plane), and under externalTrafficPolicy: Local only nodes whose
 * health check passes (a ready local endpoint). In VIP mode it forwards the packet unchanged; a proxying one
 * (ipMode: Proxy) connects to the node itself (see connect).
 */
export function loadBalancerPick(state: ClusterState, rng: Rng, svc: Service, ip: string, proxying = false): { ok: true; node: string; note: string } | { ok: false; reason: string } {
  let nodes = [...state.nodes.values()].filter((n) => n.metadata.labels?.['node.kubernetes.io/exclude-from-external-load-balancers'] === undefined)
  const local = svc.spec.externalTrafficPolicy === 'Local'
  if (local) {
    const byIP = podsByIP(state.pods)
    const slices = [...state.endpointSlices.values()].filter((s) => s.metadata.namespace === svc.metadata.namespace && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
    const healthy = new Set(slices.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions.ready && byIP.get(e.addresses[0]!) && isPodReady(byIP.get(e.addresses[0]!)!)).map((e) => e.nodeName)))
    nodes = nodes.filter((n) => healthy.has(n.metadata.name))
  }
  if (nodes.length === 0) return { ok: false, reason: `the load balancer at ${ip} has no healthy node to send to` }
  const node = nodes[rng.int(nodes.length)]!
  return {
    ok: true,
    node: node.metadata.name,
    note: `The cloud load balancer at ${ip} picks ${node.metadata.name} among ${nodes.length} ${local ? 'nodes passing the health check (externalTrafficPolicy: Local)' : 'nodes'}${proxying ? '' : ' and forwards the packet unchanged'}`,
  }
}
