import { isPodReady } from '../model/pod'
import type { Service } from '../model/service'
import { nodeInternalIP } from '../model/node'
import type { Rng } from '../runtime/rng'
import { addr, type Header, type Hop } from '../model/packet'
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

/** Whether the balancer at `ip` is a proxying one (`status.loadBalancer.ingress[].ipMode: Proxy`). */
export const isProxying = (svc: Service, ip: string): boolean => (svc.status.loadBalancer.ingress ?? []).some((i) => i.ip === ip && i.ipMode === 'Proxy')

/** The NodePort of the Service's port a request asks for, if it has one. */
export const nodePortFor = (svc: Service, port: number, proto: string): number | undefined => svc.spec.ports?.find((p) => p.port === port && (p.protocol ?? 'TCP').toLowerCase() === proto)?.nodePort

/**
 * A proxying balancer's own connection for a request that reached it: from its address and a port of its own to the
 * picked node's NodePort for the port asked, and the hop that tells it. Undefined when the Service has no such port.
 */
export function proxyConnection(state: ClusterState, rng: Rng, svc: Service, request: Header, node: string, note: string, phase: Hop['phase']): { readonly proxied: Header; readonly hop: Hop } | undefined {
  const nodePort = nodePortFor(svc, request.dport, request.proto)
  if (!nodePort) return undefined
  const target = nodeInternalIP(state.nodes.get(node)!)
  const proxied: Header = { proto: request.proto, src: request.dst, sport: 32768 + rng.int(60999 - 32768 + 1), dst: target, dport: nodePort }
  return { proxied, hop: { at: 'load balancer', step: 'loadbalancer', phase, before: addr(request), after: addr(proxied), note: `${note}: it opens its own connection to ${target}:${nodePort}, the Service's NodePort there (ipMode: Proxy)` } }
}
