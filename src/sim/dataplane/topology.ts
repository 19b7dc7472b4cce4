import { nodeInternalIP, type Node } from '../model/node'
import type { Pod } from '../model/pod'
import { hasClusterIP, type Service } from '../model/service'
import type { ClusterConfig } from '../config'
import { cidrContains, ipToNumber, numberToIp, parseCidr } from '../runtime/ip'
import type { ClusterState, Table } from '../state'

/** The bridge address pods on a node use as gateway (cni0, .1 of the node's pod CIDR). */
export function bridgeIP(node: Node): string {
  return numberToIp(parseCidr(node.spec.podCIDR).base + 1)
}

/** Addresses that are LOCAL on a node (addrtype): its InternalIP, its bridge, loopback. */
export function localAddresses(node: Node): Set<string> {
  return new Set([nodeInternalIP(node), bridgeIP(node), '127.0.0.1'])
}

const podIndex = new WeakMap<Table<Pod>, { byIP: Map<string, Pod>; hostByNode: Map<string, Pod[]> }>()

function podAddresses(pods: Table<Pod>) {
  let idx = podIndex.get(pods)
  if (!idx) {
    idx = { byIP: new Map(), hostByNode: new Map() }
    for (const p of pods.values()) {
      if (p.spec.hostNetwork) {
        if (p.spec.nodeName) idx.hostByNode.set(p.spec.nodeName, [...(idx.hostByNode.get(p.spec.nodeName) ?? []), p])
      } else if (p.status.podIP) idx.byIP.set(p.status.podIP, p)
    }
    podIndex.set(pods, idx)
  }
  return idx
}

/** Pod (not host-network) by IP, built once per pods table. */
export function podsByIP(pods: Table<Pod>): Map<string, Pod> {
  return podAddresses(pods).byIP
}

/** Host-network pods on a node (the processes a node address reaches), built once per pods table. */
export function hostPods(pods: Table<Pod>, node: string): readonly Pod[] {
  return podAddresses(pods).hostByNode.get(node) ?? []
}

/** What an address is in this cluster. */
export type Place =
  | { readonly kind: 'pod'; readonly pod: Pod; readonly node: string }
  | { readonly kind: 'node'; readonly node: string }
  | { readonly kind: 'clusterIP'; readonly service: Service }
  | { readonly kind: 'loadBalancer'; readonly service: Service }
  | { readonly kind: 'podNetwork'; readonly node: string }
  | { readonly kind: 'outside' }

interface NodeAddresses {
  /** InternalIP or bridge address -> node. */
  readonly byAddress: Map<string, string>
  /** Pod CIDR size -> network base -> node (one size in practice). */
  readonly byCidr: Map<number, Map<number, string>>
}

const nodeIndex = new WeakMap<Table<Node>, NodeAddresses>()

/** Node addresses and pod CIDRs, indexed once per nodes table: routing looks them up per packet. */
function nodeAddresses(nodes: Table<Node>): NodeAddresses {
  let idx = nodeIndex.get(nodes)
  if (!idx) {
    idx = { byAddress: new Map(), byCidr: new Map() }
    for (const node of nodes.values()) {
      idx.byAddress.set(nodeInternalIP(node), node.metadata.name)
      idx.byAddress.set(bridgeIP(node), node.metadata.name)
      const cidr = parseCidr(node.spec.podCIDR)
      let bases = idx.byCidr.get(cidr.size)
      if (!bases) idx.byCidr.set(cidr.size, (bases = new Map()))
      bases.set(cidr.base, node.metadata.name)
    }
    nodeIndex.set(nodes, idx)
  }
  return idx
}

export function placeOf(state: ClusterState, ip: string): Place {
  const pod = podsByIP(state.pods).get(ip)
  if (pod?.spec.nodeName) return { kind: 'pod', pod, node: pod.spec.nodeName }
  const nodes = nodeAddresses(state.nodes)
  const owner = nodes.byAddress.get(ip)
  if (owner) return { kind: 'node', node: owner }
  const v = ipToNumber(ip)
  for (const [size, bases] of nodes.byCidr) {
    const node = bases.get(Math.floor(v / size) * size)
    if (node) return { kind: 'podNetwork', node }
  }
  const svcKey = state.clusterIPs.get(ip)
  const svc = svcKey ? state.services.get(svcKey) : undefined
  if (svc && hasClusterIP(svc)) return { kind: 'clusterIP', service: svc }
  const lbKey = state.loadBalancerIPs.get(ip)
  const lb = lbKey ? state.services.get(lbKey) : undefined
  if (lb) return { kind: 'loadBalancer', service: lb }
  return { kind: 'outside' }
}

/**
 * Why an address inside the cluster's own ranges that nobody holds goes nowhere (undefined for an address beyond the
 * cluster, which the simulation lets leave): no node's pod CIDR, no node on the node network, no Service.
 */
export function unheldAddress(config: ClusterConfig, ip: string): string | undefined {
  if (cidrContains(config.podCIDR, ip)) return `no node's pod CIDR holds ${ip} (flannel has no route for it), so it follows the default route out of the cluster`
  // The node network's .1 is its gateway (the machine the nodes run on, kind's Docker host): beyond the cluster.
  if (cidrContains(config.nodeNetwork, ip) && ipToNumber(ip) !== config.nodeNetwork.base + 1) return `no host has ${ip} on the node network: ARP gets no answer (no route to host)`
  if (cidrContains(config.serviceCIDR, ip)) return `no Service has ${ip}: a service address exists on no interface, so it follows the default route out of the cluster`
  const [first, last] = config.loadBalancerPool.map(ipToNumber) as [number, number]
  if (ipToNumber(ip) >= first && ipToNumber(ip) <= last) return `no Service holds load-balancer address ${ip}, so no load balancer answers for it`
  return undefined
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

/** Whether the pod's process listens on `port`/`proto`. */
export function listensOn(pod: Pod, port: number, proto: string): boolean {
  for (const c of pod.spec.containers) {
    if ((c.ports ?? []).some((p) => p.containerPort === port && (p.protocol ?? 'TCP').toLowerCase() === proto)) return true
    if (SYSTEM_PORTS[c.name]?.includes(port)) return true
  }
  return false
}
