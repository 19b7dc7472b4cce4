import type { NftElement, NftOperation, NftRule, NftVerdict } from '../../../model/nftables'
import type { Service, ServicePort } from '../../../model/service'
import { cidrContains, parseCidr } from '../../../runtime/ip'
import { servicePortName } from '../servicePorts'
import { categorizeEndpoints, type ProxyEndpoint } from '../proxyEndpoints'
import { externallyAccessible, loadBalancerIPs } from '../servicePorts'
import { affinitySet, clusterPolicyChain, endpointChain, endpointChainBase, externalChain, firewallChain, localPolicyChain, servicePortChainBase } from './nftChainNames'
import { canonicalCidr, dnatTo, dport, fibLocal, goto, ipInSet, ipMatch, ipSetLiteral, jump, l4proto, nftRule, numgenPick, updateSet, verdict } from './nftRules'

/** The fixed chains and maps a service port's rules and elements refer to (pkg/proxy/nftables/proxier.go). */
export const NFT = {
  markMasq: 'mark-for-masquerade',
  rejectChain: 'reject-chain',
  clusterIPs: 'cluster-ips',
  serviceIPs: 'service-ips',
  serviceNodePorts: 'service-nodeports',
  noEndpointServices: 'no-endpoint-services',
  noEndpointNodePorts: 'no-endpoint-nodeports',
  firewallIPs: 'firewall-ips',
} as const

/** What a node's sync needs besides the Service: where it runs and the pod network (its LocalTrafficDetector). */
export interface PortContext {
  readonly nodeName: string
  readonly nodeIP: string
  readonly clusterCIDR: string
}

/** kube-proxy's default sessionAffinityConfig.clientIP.timeoutSeconds (3 h). */
const DEFAULT_STICKY_SECONDS = 10800

/**
 * What syncProxyRules adds to its transaction for one service port, in its order: the endpoint and policy chains
 * (created and flushed), the map and set elements that dispatch to them or refuse traffic, then the chains' rules.
 * `endpoints` are sorted as kube-proxy sorts them ("IP:port" as strings).
 */
export function servicePortOperations(svc: Service, port: ServicePort, endpoints: readonly ProxyEndpoint[], ctx: PortContext): NftOperation[] {
  const { namespace, name } = svc.metadata
  const proto = port.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp'
  const spn = servicePortName(namespace, name, port.name)
  const base = servicePortChainBase(namespace, name, proto, port.name)
  const clusterChain = clusterPolicyChain(base)
  const localChain = localPolicyChain(base)
  const extChain = externalChain(base)
  const fwChain = firewallChain(base)
  const epBase = (e: ProxyEndpoint) => endpointChainBase(namespace, name, proto, port.name, e.ip, e.port)
  const cip = svc.spec.clusterIP!
  const lbIPs = loadBalancerIPs(svc)
  const externalIPs = svc.spec.externalIPs ?? []
  const external = externallyAccessible(svc, port)
  const iTPLocal = svc.spec.internalTrafficPolicy === 'Local'
  const eTPLocal = external && svc.spec.externalTrafficPolicy === 'Local'
  // UsesClusterEndpoints / UsesLocalEndpoints (pkg/proxy/serviceport.go): a Service reachable from outside needs the
  // cluster-wide endpoints even under a Local policy, for the pod-traffic short circuit.
  const usesCluster = !iTPLocal || external
  const usesLocal = iTPLocal || eTPLocal
  const { cluster, local, all, hasAny } = categorizeEndpoints(endpoints, ctx.nodeName, usesCluster, usesLocal)
  const affinity = svc.spec.sessionAffinity === 'ClientIP'

  const ops: NftOperation[] = []
  const created = new Set<string>()
  const ensureChain = (chain: string) => {
    if (created.has(chain)) return
    created.add(chain)
    ops.push({ verb: 'add', object: 'chain', chain: { name: chain } }, { verb: 'flush', object: 'chain', name: chain })
  }
  const element = (set: string, key: readonly string[], value?: NftVerdict, comment?: string) => {
    const el: NftElement = { key, ...(value ? { value } : {}), ...(comment !== undefined ? { comment } : {}) }
    ops.push({ verb: 'add', object: 'element', set, element: el })
  }
  const rule = (chain: string, r: NftRule) => ops.push({ verb: 'add', object: 'rule', chain, rule: r })
  const to = (chain: string): NftVerdict => ({ kind: 'goto', chain })
  const key = (ip: string) => [ip, proto, String(port.port)]

  for (const e of all) ensureChain(endpointChain(epBase(e)))
  const usesClusterChain = cluster.length > 0 && usesCluster
  if (usesClusterChain) ensureChain(clusterChain)
  const usesLocalChain = local.length > 0 && usesLocal
  if (usesLocalChain) ensureChain(localChain)
  const internalChain = iTPLocal ? localChain : clusterChain
  const hasInternal = iTPLocal ? local.length > 0 : hasAny
  const externalPolicyChain = eTPLocal ? localChain : clusterChain
  const hasExternal = eTPLocal ? local.length > 0 : hasAny
  const usesExt = hasAny && external
  if (usesExt) ensureChain(extChain)

  // No endpoints at all: reject. Endpoints, but none here for a Local policy: drop what the short circuits let by.
  const internalRefusal: NftVerdict = !hasAny ? to(NFT.rejectChain) : { kind: 'drop' }
  const externalRefusal = internalRefusal

  element(NFT.clusterIPs, [cip])
  if (hasInternal) element(NFT.serviceIPs, key(cip), to(internalChain))
  else element(NFT.noEndpointServices, key(cip), internalRefusal, spn)
  for (const ip of externalIPs) {
    if (hasAny) element(NFT.serviceIPs, key(ip), to(extChain))
    if (!hasExternal) element(NFT.noEndpointServices, key(ip), externalRefusal, spn)
  }
  const sourceRanges = (svc.spec.loadBalancerSourceRanges ?? []).map(canonicalCidr).filter((c): c is string => c !== undefined)
  // Unlike the iptables mode, the firewall chain is written whether or not there are endpoints.
  const usesFW = lbIPs.length > 0 && sourceRanges.length > 0
  if (usesFW) ensureChain(fwChain)
  for (const ip of lbIPs) {
    if (hasAny) element(NFT.serviceIPs, key(ip), to(extChain))
    if (usesFW) element(NFT.firewallIPs, key(ip), to(fwChain))
  }
  if (!hasExternal) for (const ip of lbIPs) element(NFT.noEndpointServices, key(ip), externalRefusal, spn)
  const nodePort = port.nodePort ?? 0
  if (nodePort !== 0) {
    // NodePorts skip loadBalancerSourceRanges, as upstream says it cannot change.
    if (hasAny) element(NFT.serviceNodePorts, [proto, String(nodePort)], to(extChain))
    if (!hasExternal) element(NFT.noEndpointNodePorts, [proto, String(nodePort)], externalRefusal, spn)
  }

  // Masquerade ClusterIP traffic from outside the pod network (it may have been routed here from off the cluster).
  if (hasInternal) rule(internalChain, nftRule([ipMatch('daddr', cip), dport(proto, port.port), ipMatch('saddr', ctx.clusterCIDR, true)], jump(NFT.markMasq)))
  if (usesExt) {
    if (!eTPLocal) {
      rule(extChain, nftRule([], jump(NFT.markMasq)))
    } else {
      rule(extChain, nftRule([ipMatch('saddr', ctx.clusterCIDR)], goto(clusterChain), 'short-circuit pod traffic'))
      rule(extChain, nftRule([fibLocal('saddr')], jump(NFT.markMasq), 'masquerade local traffic'))
      rule(extChain, nftRule([fibLocal('saddr')], goto(clusterChain), 'short-circuit local traffic'))
    }
    if (hasExternal) rule(extChain, nftRule([], goto(externalPolicyChain)))
  }
  if (usesFW) {
    // allowFromNode: a VIP is often routed locally, so the node's own request to it loops back with the VIP as its
    // source; a node inside a source range lets that in too.
    const node = sourceRanges.some((r) => cidrContains(parseCidr(r), ctx.nodeIP)) ? lbIPs : []
    rule(fwChain, nftRule([ipSetLiteral('saddr', [...sourceRanges, ...node], true)], verdict({ kind: 'drop' })))
  }
  const timeout = svc.spec.sessionAffinityConfig?.clientIP.timeoutSeconds ?? DEFAULT_STICKY_SECONDS
  if (affinity) for (const e of all) ops.push({ verb: 'add', object: 'set', set: { kind: 'set', name: affinitySet(epBase(e)), type: ['ipv4_addr'], flags: ['dynamic', 'timeout'], timeout } })
  const toEndpoints = (chain: string, eps: readonly ProxyEndpoint[]) => {
    if (affinity) for (const e of eps) rule(chain, nftRule([ipInSet('saddr', affinitySet(epBase(e)))], goto(endpointChain(epBase(e)))))
    rule(chain, nftRule([], numgenPick(eps.map((e) => to(endpointChain(epBase(e)))))))
  }
  if (usesClusterChain) toEndpoints(clusterChain, cluster)
  if (usesLocalChain) toEndpoints(localChain, local)
  for (const e of all) {
    const chain = endpointChain(epBase(e))
    // Hairpin: a pod reaching itself through the Service must be masqueraded, or its reply would bypass the DNAT.
    rule(chain, nftRule([ipMatch('saddr', e.ip)], jump(NFT.markMasq)))
    if (affinity) rule(chain, nftRule([], updateSet(affinitySet(epBase(e)), 'saddr')))
    rule(chain, nftRule([l4proto(proto)], dnatTo(e.ip, e.port)))
  }
  return ops
}
