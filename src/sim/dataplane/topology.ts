import { nodeInternalIP, type Node } from '../model/node'
import type { Pod } from '../model/pod'
import { hasClusterIP, type Service } from '../model/service'
import { numberToIp, parseCidr } from '../runtime/ip'
import type { ClusterState, Table } from '../state'

/** The bridge address pods on a node use as gateway (cni0, .1 of the node's pod CIDR). */
export function bridgeIP(node: Node): string {
  return numberToIp(parseCidr(node.spec.podCIDR).base + 1)
}

/** Addresses that are LOCAL on a node (addrtype): its InternalIP, its bridge, loopback. */
export function localAddresses(node: Node): Set<string> {
  return new Set([nodeInternalIP(node), bridgeIP(node), '127.0.0.1'])
}

const podIndex = new WeakMap<Table<Pod>, Map<string, Pod>>()

/** Pod (not host-network) by IP, built once per pods table. */
export function podsByIP(pods: Table<Pod>): Map<string, Pod> {
  let m = podIndex.get(pods)
  if (!m) {
    m = new Map()
    for (const p of pods.values()) if (p.status.podIP && !p.spec.hostNetwork) m.set(p.status.podIP, p)
    podIndex.set(pods, m)
  }
  return m
}

/** What an address is in this cluster. */
export type Place =
  | { readonly kind: 'pod'; readonly pod: Pod; readonly node: string }
  | { readonly kind: 'node'; readonly node: string }
  | { readonly kind: 'clusterIP'; readonly service: Service }
  | { readonly kind: 'loadBalancer'; readonly service: Service }
  | { readonly kind: 'podNetwork'; readonly node: string }
  | { readonly kind: 'outside' }

export function placeOf(state: ClusterState, ip: string): Place {
  const pod = podsByIP(state.pods).get(ip)
  if (pod?.spec.nodeName) return { kind: 'pod', pod, node: pod.spec.nodeName }
  for (const node of state.nodes.values()) {
    if (nodeInternalIP(node) === ip || bridgeIP(node) === ip) return { kind: 'node', node: node.metadata.name }
    const cidr = parseCidr(node.spec.podCIDR)
    const n = ip.split('.').map(Number)
    const v = ((n[0]! * 256 + n[1]!) * 256 + n[2]!) * 256 + n[3]!
    if (v >= cidr.base && v < cidr.base + cidr.size) return { kind: 'podNetwork', node: node.metadata.name }
  }
  const svcKey = state.clusterIPs.get(ip)
  const svc = svcKey ? state.services.get(svcKey) : undefined
  if (svc && hasClusterIP(svc)) return { kind: 'clusterIP', service: svc }
  const lbKey = state.loadBalancerIPs.get(ip)
  const lb = lbKey ? state.services.get(lbKey) : undefined
  if (lb) return { kind: 'loadBalancer', service: lb }
  return { kind: 'outside' }
}

/** Ports the simulated processes listen on: declared container ports, and the control plane's well-known ones. */
const SYSTEM_PORTS: Record<string, readonly number[]> = {
  'kube-apiserver': [6443],
  etcd: [2379, 2380],
  'kube-controller-manager': [10257],
  'kube-scheduler': [10259],
  'kube-proxy': [10249, 10256],
  coredns: [53, 8080, 8181, 9153],
}

export function listensOn(pod: Pod, port: number, proto: string): boolean {
  for (const c of pod.spec.containers) {
    if ((c.ports ?? []).some((p) => p.containerPort === port && (p.protocol ?? 'TCP').toLowerCase() === proto)) return true
    if (SYSTEM_PORTS[c.name]?.includes(port)) return true
  }
  return false
}

/** The Service a ClusterIP:port or NodePort belongs to, for notes ("the Service web"). */
export function serviceKeyOf(svc: Service): string {
  return `${svc.metadata.namespace}/${svc.metadata.name}`
}
