import type { Rule } from '../../../model/iptablesTables'
import type { Service, ServicePort } from '../../../model/service'
import { cidrContains, numberToIp, parseCidr } from '../../../runtime/ip'
import { extChain, fwChain, sepChain, servicePortHash, svcChain, svlChain } from './chainNames'
import { externallyAccessible, loadBalancerIPs, servicePortName, usesFirewall } from '../servicePorts'
import { categorizeEndpoints, type ProxyEndpoint } from '../proxyEndpoints'

/** What one service port contributes to a node's tables. */
export interface ServicePortRules {
  readonly natChains: readonly string[]
  readonly rules: readonly Rule[]
}

export interface RuleOptions {
  /** --cluster-cidr, for the "traffic from outside the pod network gets masqueraded" rule. */
  readonly clusterCIDR: string
  /** More than 1000 endpoints in total: comments on SVC->SEP and SEP rules are dropped, as upstream does. */
  readonly largeCluster: boolean
  /** The node's own address (kube-proxy's nodeIP): a source range holding it lets the node reach its load balancer. */
  readonly nodeIP: string
}

/**
 * The nfacct counters kube-proxy creates at a full sync and names in its rules once they exist (pkg/proxy/metrics).
 * A kind node's kernel has nfnetlink_acct, so they do: the rules carry `-m nfacct`.
 */
export const NFACCT = { invalidDropped: 'ct_state_invalid_dropped_pkts', localhostNodePorts: 'localhost_nps_accepted_pkts' } as const

/** A source range as kube-proxy writes it: parsed and printed back (`cidr.String()`), so host bits are cleared. */
function canonicalCidr(text: string): string {
  const c = parseCidr(text.trim())
  return `${numberToIp(c.base)}/${c.bits}`
}

/** Comments are quoted only when they contain a space (kube-proxy writes `--comment ns/svc:p80` bare). */
const comment = (text: string) => `-m comment --comment ${text.includes(' ') ? `"${text}"` : text}`

/** computeProbability: 1/n with %0.10f. */
export function probability(n: number): string {
  return (1 / n).toFixed(10)
}




/**
 * The rules kube-proxy's syncProxyRules writes for one service port on one node, in its emission order
 * (pkg/proxy/iptables/proxier.go). `endpoints` are sorted as kube-proxy sorts them.
 */
export function servicePortRules(svc: Service, port: ServicePort, endpoints: readonly ProxyEndpoint[], nodeName: string, opts: RuleOptions): ServicePortRules {
  const spn = servicePortName(svc.metadata.namespace, svc.metadata.name, port.name)
  const p = port.protocol.toLowerCase()
  const proto = `-m ${p} -p ${p}`
  const hash = servicePortHash(spn, p)
  const SVC = svcChain(hash)
  const SVL = svlChain(hash)
  const EXT = extChain(hash)
  const FW = fwChain(hash)
  const cip = svc.spec.clusterIP!
  const nodePort = port.nodePort ?? 0
  const lbIPs = loadBalancerIPs(svc)
  const externalIPs = svc.spec.externalIPs ?? []
  const external = externallyAccessible(svc, port)
  const eTPLocal = external && svc.spec.externalTrafficPolicy === 'Local'
  const iTPLocal = svc.spec.internalTrafficPolicy === 'Local'
  // UsesClusterEndpoints (pkg/proxy/serviceport.go): even under a Local external policy, pod traffic to an external
  // address short-circuits to the cluster-wide chain, so it is written whenever the Service is reachable from outside.
  const usesCluster = !iTPLocal || external
  const usesLocal = iTPLocal || (external && eTPLocal)
  const { cluster, local, all, hasAny } = categorizeEndpoints(endpoints, nodeName, usesCluster, usesLocal)
  const hasInternal = iTPLocal ? local.length > 0 : hasAny
  const hasExternal = eTPLocal ? local.length > 0 : hasAny
  const usesSVC = cluster.length > 0 && usesCluster
  const usesSVL = local.length > 0 && usesLocal
  const internalChain = iTPLocal ? SVL : SVC
  const externalPolicyChain = eTPLocal ? SVL : SVC
  const usesEXT = hasAny && external
  const sourceRanges = (svc.spec.loadBalancerSourceRanges ?? []).map(canonicalCidr)
  const usesFW = usesFirewall(svc) && hasAny
  const lbTarget = usesFW ? FW : EXT
  const filterTarget = hasAny ? 'DROP' : 'REJECT'
  const internalFilterComment = hasAny ? `${spn} has no local endpoints` : `${spn} has no endpoints`
  const externalFilterComment = internalFilterComment

  const rules: Rule[] = []
  const natChains: string[] = []
  const nat = (chain: string, args: string) => rules.push({ table: 'nat', chain, line: `-A ${chain} ${args}` })
  const filter = (chain: string, args: string) => rules.push({ table: 'filter', chain, line: `-A ${chain} ${args}` })

  // 1. The ClusterIP.
  if (hasInternal) nat('KUBE-SERVICES', `${comment(`${spn} cluster IP`)} ${proto} -d ${cip} --dport ${port.port} -j ${internalChain}`)
  else filter('KUBE-SERVICES', `${comment(internalFilterComment)} ${proto} -d ${cip} --dport ${port.port} -j ${filterTarget}`)
  // 2. External IPs.
  for (const ip of externalIPs) {
    if (hasAny) nat('KUBE-SERVICES', `${comment(`${spn} external IP`)} ${proto} -d ${ip} --dport ${port.port} -j ${EXT}`)
    if (!hasExternal) filter('KUBE-EXTERNAL-SERVICES', `${comment(externalFilterComment)} ${proto} -d ${ip} --dport ${port.port} -j ${filterTarget}`)
  }
  // 3. Load-balancer addresses.
  for (const ip of lbIPs) {
    if (hasAny) nat('KUBE-SERVICES', `${comment(`${spn} loadbalancer IP`)} ${proto} -d ${ip} --dport ${port.port} -j ${lbTarget}`)
    if (usesFW) filter('KUBE-PROXY-FIREWALL', `${comment(`${spn} traffic not accepted by ${FW}`)} ${proto} -d ${ip} --dport ${port.port} -j DROP`)
  }
  if (!hasExternal) for (const ip of lbIPs) filter('KUBE-EXTERNAL-SERVICES', `${comment(externalFilterComment)} ${proto} -d ${ip} --dport ${port.port} -j ${filterTarget}`)
  // 4. The NodePort.
  if (nodePort !== 0) {
    // localhostNodePorts (on by default in iptables mode): a NodePort on 127.0.0.1 too, counted by its nfacct counter.
    if (hasAny) nat('KUBE-NODEPORTS', `${comment(spn)} ${proto} -d 127.0.0.0/8 --dport ${nodePort} -m nfacct --nfacct-name ${NFACCT.localhostNodePorts} -j ${EXT}`)
    if (hasAny) nat('KUBE-NODEPORTS', `${comment(spn)} ${proto} --dport ${nodePort} -j ${EXT}`)
    if (!hasExternal) filter('KUBE-EXTERNAL-SERVICES', `${comment(externalFilterComment)} -m addrtype --dst-type LOCAL ${proto} --dport ${nodePort} -j ${filterTarget}`)
  }
  // 5. The health-check NodePort of a Local-policy LoadBalancer.
  const hc = svc.spec.healthCheckNodePort ?? 0
  if (hc !== 0 && svc.spec.type === 'LoadBalancer' && eTPLocal) filter('KUBE-NODEPORTS', `${comment(`${spn} health check node port`)} -m tcp -p tcp --dport ${hc} -j ACCEPT`)
  // 6. Masquerade ClusterIP traffic that comes from outside the pod network.
  if (hasInternal) nat(internalChain, `${comment(`${spn} cluster IP`)} ${proto} -d ${cip} --dport ${port.port} ! -s ${opts.clusterCIDR} -j KUBE-MARK-MASQ`)
  // 7. The external entry chain.
  if (usesEXT) {
    natChains.push(EXT)
    if (!eTPLocal) {
      nat(EXT, `${comment(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`)
    } else {
      nat(EXT, `${comment(`pod traffic for ${spn} external destinations`)} -s ${opts.clusterCIDR} -j ${SVC}`)
      nat(EXT, `${comment(`masquerade LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`)
      nat(EXT, `${comment(`route LOCAL traffic for ${spn} external destinations`)} -m addrtype --src-type LOCAL -j ${SVC}`)
    }
    if (hasExternal) nat(EXT, `-j ${externalPolicyChain}`)
  }
  // 8. The load-balancer source-range firewall.
  if (usesFW) {
    natChains.push(FW)
    for (const range of sourceRanges) nat(FW, `${comment(`${spn} loadbalancer IP`)} -s ${range} -j ${EXT}`)
    // allowFromNode: a VIP is often routed locally on the node, so the node's own request to it loops back with the
    // VIP as its source address; when the node itself is inside a source range, that traffic is let in too.
    if (sourceRanges.some((r) => cidrContains(parseCidr(r), opts.nodeIP))) for (const ip of lbIPs) nat(FW, `${comment(`${spn} loadbalancer IP`)} -s ${ip} -j ${EXT}`)
    nat(FW, comment(`other traffic to ${spn} will be dropped by KUBE-PROXY-FIREWALL`))
  }
  // 9-10. The policy chains: a random pick over the endpoints.
  const affinity = svc.spec.sessionAffinity === 'ClientIP' ? (svc.spec.sessionAffinityConfig?.clientIP.timeoutSeconds ?? 10800) : 0
  const pick = (chain: string, eps: readonly ProxyEndpoint[]) => {
    natChains.push(chain)
    const c = (e: ProxyEndpoint) => (opts.largeCluster ? '' : `${comment(`${spn} -> ${e.endpoint}`)} `)
    if (affinity) for (const e of eps) {
      const sep = sepChain(spn, p, e.endpoint)
      nat(chain, `${c(e)}-m recent --name ${sep} --rcheck --seconds ${affinity} --reap -j ${sep}`)
    }
    eps.forEach((e, i) => {
      const sep = sepChain(spn, p, e.endpoint)
      const stat = i < eps.length - 1 ? `-m statistic --mode random --probability ${probability(eps.length - i)} ` : ''
      nat(chain, `${c(e)}${stat}-j ${sep}`)
    })
  }
  if (usesSVC) pick(SVC, cluster)
  if (usesSVL) pick(SVL, local)
  // 11. One chain per endpoint: masquerade hairpin traffic, then DNAT.
  for (const e of all) {
    const sep = sepChain(spn, p, e.endpoint)
    natChains.push(sep)
    const c = opts.largeCluster ? '' : `${comment(spn)} `
    nat(sep, `${c}-s ${e.ip} -j KUBE-MARK-MASQ`)
    nat(sep, `${c}${affinity ? `-m recent --name ${sep} --set ` : ''}${proto} -j DNAT --to-destination ${e.endpoint}`)
  }
  return { natChains, rules }
}
