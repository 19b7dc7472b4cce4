import type { IpSet, IpvsNode, IpvsRealServer, IpvsVirtualServer } from '../../../model/ipvs'
import type { EndpointSlice } from '../../../model/endpointSlice'
import type { Service } from '../../../model/service'
import { fnv32a } from '../../../runtime/hash'
import { cidrContains, numberToIp, parseCidr } from '../../../runtime/ip'
import type { Table, WatchView } from '../../../state'
import { proxiedServicePorts, type ProxyNode } from '../servicePorts'
import { categorizeEndpoints, endpointsForPort, slicesByService, type ProxyEndpoint } from '../proxyEndpoints'
import { externallyAccessible, loadBalancerIPs } from '../servicePorts'
import { IPSET, IPSET_ORDER, type IpsetKey } from './ipsetInfo'
import { ipvsIptables } from './ipvsIptables'

/**
 * The node as IPVS mode needs it: besides its name and InternalIP, every local address it has outside kube-ipvs0 and
 * loopback. With the default --nodeport-addresses (all of them) kube-proxy puts a NodePort's virtual server on each, and
 * binds no external or load-balancer IP that one of them already is. Unset: the InternalIP alone.
 */
export interface IpvsProxyNode extends ProxyNode {
  readonly addresses?: readonly string[]
}

/**
 * A kind node's addresses as GetAllLocalAddressesExcept("kube-ipvs0") finds them: eth0 (its InternalIP), flannel.1
 * (the pod CIDR's network address) and cni0 (its first address). Loopback is left out, so no NodePort on 127.0.0.1.
 */
export function ipvsNodeAddresses(internalIP: string, podCIDR: string): string[] {
  const base = parseCidr(podCIDR).base
  return [internalIP, numberToIp(base), numberToIp(base + 1)]
}

/** The default --ipvs-scheduler. */
const SCHEDULER = 'rr'
/** sessionAffinityConfig.clientIP.timeoutSeconds when unset (the API's default, 3 h). */
const DEFAULT_AFFINITY_TIMEOUT = 10800

type Port = NonNullable<Service['spec']['ports']>[number]

/** A source range as kube-proxy keeps it (cidr.String()), and as `ipset list` prints it in a net entry (no `/32`). */
function sourceRange(text: string): { cidr: string; member: string } {
  const c = parseCidr(text.trim())
  const cidr = `${numberToIp(c.base)}/${c.bits}`
  return { cidr, member: c.bits === 32 ? numberToIp(c.base) : cidr }
}

/** One sync's worth of state being built: the entries of each set, the virtual servers, the addresses bound. */
class Sync {
  readonly entries = new Map<IpsetKey, Set<string>>(IPSET_ORDER.map((k) => [k, new Set()]))
  readonly virtualServers: IpvsVirtualServer[] = []
  readonly bound = new Set<string>()
  readonly noNodeAccess: { ip: string; proto: string; port: number }[] = []
  add(key: IpsetKey, entry: string) {
    this.entries.get(key)!.add(entry)
  }
}

/** syncEndpoint: the endpoints behind one virtual server, the node's own when only those should serve and there are any. */
function realServers(endpoints: readonly ProxyEndpoint[], node: string, svc: Service, port: Port, onlyLocal: boolean): IpvsRealServer[] {
  const external = externallyAccessible(svc, port)
  const iTPLocal = svc.spec.internalTrafficPolicy === 'Local'
  const eTPLocal = external && svc.spec.externalTrafficPolicy === 'Local'
  const { cluster, local } = categorizeEndpoints(endpoints, node, !iTPLocal || external, iTPLocal || eTPLocal)
  // https://github.com/kubernetes/kubernetes/pull/97081: with no local endpoint, a Local policy falls back to the
  // cluster's, so the node's own pods can still reach the service (an external client's reply would be dropped).
  const chosen = onlyLocal && local.length > 0 ? local : cluster
  return chosen.map((e) => ({ ip: e.ip, port: e.port, weight: 1 }))
}

/** What one service port adds: its ipset entries, its virtual servers (ClusterIP, external IPs, LB IPs, NodePorts). */
function syncServicePort(s: Sync, svc: Service, port: Port, spn: string, slices: readonly EndpointSlice[] | undefined, node: IpvsProxyNode, nodeIPs: readonly string[]): void {
  const p = port.protocol.toLowerCase()
  const protocol = port.protocol as IpvsVirtualServer['protocol']
  const endpoints = endpointsForPort(port, slices)
  const external = externallyAccessible(svc, port)
  const eTPLocal = external && svc.spec.externalTrafficPolicy === 'Local'
  const persistent = svc.spec.sessionAffinity === 'ClientIP' ? (svc.spec.sessionAffinityConfig?.clientIP.timeoutSeconds ?? DEFAULT_AFFINITY_TIMEOUT) : undefined
  const virtual = (ip: string, vport: number, onlyLocal: boolean) =>
    s.virtualServers.push({ protocol, ip, port: vport, scheduler: SCHEDULER, ...(persistent ? { persistent } : {}), realServers: realServers(endpoints, node.name, svc, port, onlyLocal), servicePort: spn })
  const bindUnlessNodeAddress = (ip: string) => {
    if (!nodeIPs.includes(ip)) s.bound.add(ip)
  }

  // Traffic that loops back to the endpoint it came from is masqueraded: every endpoint on this node, ready or not.
  for (const e of endpoints) if (e.nodeName === node.name) s.add('loopBack', `${e.ip},${p}:${e.port},${e.ip}`)
  const cip = svc.spec.clusterIP!
  s.add('clusterIP', `${cip},${p}:${port.port}`)
  virtual(cip, port.port, svc.spec.internalTrafficPolicy === 'Local')
  s.bound.add(cip)
  for (const ip of svc.spec.externalIPs ?? []) {
    s.add(eTPLocal ? 'externalIPLocal' : 'externalIP', `${ip},${p}:${port.port}`)
    virtual(ip, port.port, eTPLocal)
    bindUnlessNodeAddress(ip)
  }
  const ranges = (svc.spec.loadBalancerSourceRanges ?? []).map(sourceRange)
  for (const ip of loadBalancerIPs(svc)) {
    const entry = `${ip},${p}:${port.port}`
    s.add('loadBalancer', entry)
    if (eTPLocal) s.add('loadBalancerLocal', entry)
    if (ranges.length > 0) {
      s.add('loadBalancerFW', entry)
      for (const r of ranges) s.add('loadBalancerSourceCIDR', `${entry},${r.member}`)
      // A VIP is often routed locally on the node, so the node's own request to it arrives with the VIP as source.
      if (ranges.some((r) => cidrContains(parseCidr(r.cidr), node.ip))) s.add('loadBalancerSourceIP', `${entry},${ip}`)
      else s.noNodeAccess.push({ ip, proto: p, port: port.port })
    }
    virtual(ip, port.port, eTPLocal)
    bindUnlessNodeAddress(ip)
  }
  const nodePort = port.nodePort ?? 0
  if (nodePort !== 0 && nodeIPs.length > 0) {
    // SCTP has no bitmap:port set: one hash:ip,port entry per node address.
    const entries = p === 'sctp' ? nodeIPs.map((ip) => `${ip},sctp:${nodePort}`) : [String(nodePort)]
    const [cluster, local] = ({ tcp: ['nodePortTCP', 'nodePortLocalTCP'], udp: ['nodePortUDP', 'nodePortLocalUDP'], sctp: ['nodePortSCTP', 'nodePortLocalSCTP'] } as const)[p as 'tcp' | 'udp' | 'sctp']
    for (const e of entries) s.add(cluster, e)
    if (eTPLocal) for (const e of entries) s.add(local, e)
    // Node addresses are the node's own: nothing to bind to kube-ipvs0.
    for (const ip of nodeIPs) virtual(ip, nodePort, eTPLocal)
  }
  const hc = svc.spec.healthCheckNodePort ?? 0
  if (hc !== 0 && svc.spec.type === 'LoadBalancer' && eTPLocal) s.add('healthCheckNodePort', String(hc))
}

function compute(view: WatchView, node: IpvsProxyNode, clusterCIDR: string): IpvsNode {
  const s = new Sync()
  const nodeIPs = node.addresses ?? [node.ip]
  const grouped = slicesByService(view.endpointSlices)
  for (const { svc, port, spn } of proxiedServicePorts(view)) syncServicePort(s, svc, port, spn, grouped.get(`${svc.metadata.namespace}/${svc.metadata.name}`), node, nodeIPs)
  for (const ip of s.bound) s.add('ipvsIPs', ip)
  const ipsets: IpSet[] = IPSET_ORDER.map((key) => {
    const { name, type, comment } = IPSET[key]
    // kube-proxy adds the entries in sets.List() order: sorted as strings.
    const entries = [...s.entries.get(key)!].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return { name, type, comment, entries, initval: fnv32a(`${node.name}/${name}`) }
  })
  const nonEmpty = new Set(IPSET_ORDER.filter((k) => s.entries.get(k)!.size > 0))
  return { iptables: ipvsIptables({ nonEmpty, clusterCIDR, noNodeAccess: s.noNodeAccess }), ipsets, virtualServers: s.virtualServers, dummyAddresses: [...s.bound] }
}

/** Per pair of watched tables, per node: nodes that synced the same view share nothing node-independent, but a view is rendered once per node. */
const cache = new WeakMap<Table<Service>, WeakMap<Table<EndpointSlice>, Map<string, IpvsNode>>>()

/**
 * What kube-proxy in IPVS mode has written on `node` after a full sync of `view` (syncProxyRules in
 * pkg/proxy/ipvs/proxier.go): the iptables rules it still needs, its ipsets, one virtual server per Service address and
 * port (ClusterIP, each external IP, each load-balancer IP, the NodePort on each node address; scheduler rr, weight 1,
 * persistent for ClientIP affinity), and the addresses bound to kube-ipvs0.
 */
export function ipvsNode(view: WatchView, node: IpvsProxyNode, clusterCIDR: string): IpvsNode {
  let bySlices = cache.get(view.services)
  if (!bySlices) cache.set(view.services, (bySlices = new WeakMap()))
  let byNode = bySlices.get(view.endpointSlices)
  if (!byNode) bySlices.set(view.endpointSlices, (byNode = new Map()))
  const key = `${node.name}|${node.ip}|${(node.addresses ?? []).join(',')}|${clusterCIDR}`
  let n = byNode.get(key)
  if (!n) byNode.set(key, (n = compute(view, node, clusterCIDR)))
  return n
}

const counts = new WeakMap<IpvsNode, number>()

/** What a node in IPVS mode holds for kube-proxy: iptables rules, ipset entries, virtual servers and real servers. */
export function ipvsRuleCount(n: IpvsNode): number {
  let c = counts.get(n)
  if (c !== undefined) return c
  c = 0
  for (const t of [n.iptables.filter, n.iptables.nat]) for (const rules of t.rules.values()) c += rules.length
  for (const set of n.ipsets) c += set.entries.length
  for (const vs of n.virtualServers) c += 1 + vs.realServers.length
  counts.set(n, c)
  return c
}
