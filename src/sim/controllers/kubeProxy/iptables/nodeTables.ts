import type { NodeTables } from '../../../model/iptablesTables'
import { hasClusterIP, type Service } from '../../../model/service'
import type { WatchView } from '../../../state'
import { endpointsForPort, slicesByService } from '../proxyEndpoints'
import { NFACCT, servicePortRules, type RuleOptions, type ServicePortRules } from './serviceRules'
import { nodeDependent, proxiedServicePorts, type ProxyNode } from '../servicePorts'
import type { Rule } from '../../../model/iptablesTables'

/** kube-proxy's largeClusterEndpointsThreshold. */
const LARGE_CLUSTER_ENDPOINTS = 1000

const BUILTIN = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
} as const

/**
 * The jumps from the built-in chains into kube-proxy's chains (iptablesJumpChains, each inserted at the top, so they
 * read in reverse), plus kubelet's KUBE-FIREWALL jumps. kube-proxy ensures these outside its restore.
 */
const JUMPS: readonly Rule[] = [
  ['filter', 'INPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL'],
  ['filter', 'INPUT', '-m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS'],
  ['filter', 'INPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES'],
  ['filter', 'INPUT', '-j KUBE-FIREWALL'],
  ['filter', 'FORWARD', '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL'],
  ['filter', 'FORWARD', '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD'],
  ['filter', 'FORWARD', '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['filter', 'FORWARD', '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES'],
  ['filter', 'OUTPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL'],
  ['filter', 'OUTPUT', '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['filter', 'OUTPUT', '-j KUBE-FIREWALL'],
  ['nat', 'PREROUTING', '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['nat', 'OUTPUT', '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ['nat', 'POSTROUTING', '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'],
].map(([table, chain, args]) => ({ table: table as Rule['table'], chain: chain!, line: `-A ${chain} ${args}` }))

/**
 * Rules every sync writes whatever the Services (masquerade marking, forwarding, localhost protection), as on a kind
 * node: nf_conntrack_tcp_be_liberal is off, so INVALID packets are dropped, and counted by their nfacct counter.
 */
const FIXED_FILTER: readonly Rule[] = [
  ['KUBE-FIREWALL', '-m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP'],
  ['KUBE-FORWARD', `-m conntrack --ctstate INVALID -m nfacct --nfacct-name ${NFACCT.invalidDropped} -j DROP`],
  ['KUBE-FORWARD', '-m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT'],
  ['KUBE-FORWARD', '-m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT'],
].map(([chain, args]) => ({ table: 'filter' as const, chain: chain!, line: `-A ${chain} ${args}` }))

/** `--random-fully` because the node's iptables (1.8.9) has it: kube-proxy asks HasRandomFully (iptables >= 1.6.2). */
const FIXED_NAT: readonly Rule[] = [
  ['KUBE-MARK-MASQ', '-j MARK --or-mark 0x4000'],
  ['KUBE-POSTROUTING', '-m mark ! --mark 0x4000/0x4000 -j RETURN'],
  ['KUBE-POSTROUTING', '-j MARK --xor-mark 0x4000'],
  ['KUBE-POSTROUTING', '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully'],
].map(([chain, args]) => ({ table: 'nat' as const, chain: chain!, line: `-A ${chain} ${args}` }))

const NODEPORTS_JUMP: Rule = {
  table: 'nat',
  chain: 'KUBE-SERVICES',
  line: '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
}

const FILTER_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL', 'KUBE-FIREWALL']
const NAT_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ']



/**
 * Per-port rules are cached by the Service object and the versions of its slices: unchanged Services cost nothing,
 * and nodes that synced a moment apart (so hold different versions) do not evict each other's entries.
 */
const portCache = new WeakMap<Service, Map<string, Map<string, { large: boolean; rules: ServicePortRules }>>>()
const VERSIONS_KEPT = 4

/** With `countOnly`, a cached entry of either comment mode will do: dropping comments never changes how many rules there are. */
function cachedPortRules(svc: Service, port: NonNullable<Service['spec']['ports']>[number], view: WatchView, nodeName: string, opts: RuleOptions, countOnly = false): ServicePortRules {
  const slices = slicesByService(view.endpointSlices).get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? []
  const compute = () => servicePortRules(svc, port, endpointsForPort(port, slices), nodeName, opts)
  if (nodeDependent(svc, port)) return compute()
  let perPort = portCache.get(svc)
  if (!perPort) portCache.set(svc, (perPort = new Map()))
  const id = `${port.name ?? ''}/${port.protocol}/${port.port}`
  let versions = perPort.get(id)
  if (!versions) perPort.set(id, (versions = new Map()))
  const signature = slices.map((s) => `${s.metadata.name}@${s.metadata.resourceVersion}`).join(',')
  const hit = versions.get(signature)
  if (hit && (countOnly || hit.large === opts.largeCluster)) return hit.rules
  const rules = compute()
  versions.delete(signature)
  versions.set(signature, { large: opts.largeCluster, rules })
  if (versions.size > VERSIONS_KEPT) versions.delete(versions.keys().next().value!)
  return rules
}

const endpointTotals = new WeakMap<object, number>()

function totalEndpoints(view: WatchView): number {
  let n = endpointTotals.get(view.endpointSlices)
  if (n !== undefined) return n
  n = 0
  for (const slice of view.endpointSlices.values()) n += (slice.endpoints?.length ?? 0) * Math.max(1, slice.ports?.length ?? 0)
  endpointTotals.set(view.endpointSlices, n)
  return n
}


/** Everything kube-proxy on `node` has written, from the Services and EndpointSlices of its last sync. */
export function nodeTables(view: WatchView, node: ProxyNode, clusterCIDR: string): NodeTables {
  const nodeName = node.name
  const opts: RuleOptions = { clusterCIDR, largeCluster: totalEndpoints(view) > LARGE_CLUSTER_ENDPOINTS, nodeIP: node.ip }
  const filterChains: string[] = [...BUILTIN.filter, ...FILTER_CHAINS]
  const natChains: string[] = [...BUILTIN.nat, ...NAT_CHAINS]
  const filter = new Map<string, Rule[]>(filterChains.map((c) => [c, []]))
  const nat = new Map<string, Rule[]>(natChains.map((c) => [c, []]))
  const add = (r: Rule) => {
    const table = r.table === 'nat' ? nat : filter
    const list = table.get(r.chain)
    if (list) list.push(r)
    else table.set(r.chain, [r])
  }
  JUMPS.forEach(add)
  FIXED_FILTER.forEach(add)
  FIXED_NAT.forEach(add)
  for (const { svc, port } of proxiedServicePorts(view)) {
    const { natChains: chains, rules } = cachedPortRules(svc, port, view, nodeName, opts)
    for (const c of chains) if (!nat.has(c)) nat.set(c, [])
    rules.forEach(add)
  }
  add(NODEPORTS_JUMP)
  return { filter: { chains: orderChains(filter, 'filter'), rules: filter }, nat: { chains: orderChains(nat, 'nat'), rules: nat } }
}

/** As kube-proxy's tests normalise a dump: built-ins, KUBE-NODEPORTS, KUBE-SERVICES, then the rest alphabetically. */
export function orderChains(rules: ReadonlyMap<string, readonly Rule[]>, table: 'filter' | 'nat'): string[] {
  const builtin: readonly string[] = BUILTIN[table]
  const rest = [...rules.keys()].filter((c) => !builtin.includes(c) && c !== 'KUBE-NODEPORTS' && c !== 'KUBE-SERVICES').sort()
  return [...builtin, 'KUBE-NODEPORTS', 'KUBE-SERVICES', ...rest]
}

/** The tables as text: chain declarations, then each chain's rules, then COMMIT; filter first, then nat. */
export function renderTables(tables: NodeTables): string {
  const out: string[] = []
  for (const [name, table] of [['filter', tables.filter], ['nat', tables.nat]] as const) {
    out.push(`*${name}`)
    const builtin: readonly string[] = BUILTIN[name]
    for (const c of table.chains) out.push(builtin.includes(c) ? `:${c} ACCEPT [0:0]` : `:${c} - [0:0]`)
    for (const c of table.chains) for (const r of table.rules.get(c) ?? []) out.push(r.line)
    out.push('COMMIT')
  }
  return `${out.join('\n')}\n`
}

const FIXED_RULES = JUMPS.length + FIXED_FILTER.length + FIXED_NAT.length + 1

/** The rules that are the same on every node, counted once per pair of watched tables. */
const sharedCounts = new WeakMap<object, WeakMap<object, { shared: number; perNode: { svc: Service; port: NonNullable<Service['spec']['ports']>[number] }[] }>>()

/**
 * How many rules kube-proxy on `node` has written (the number the UI's kube-proxy badge shows), without rendering
 * the tables: only Services with a Local traffic policy are counted per node.
 */
export function nodeRuleCount(view: WatchView, node: ProxyNode, clusterCIDR: string): number {
  const nodeName = node.name
  const opts: RuleOptions = { clusterCIDR, largeCluster: false, nodeIP: node.ip }
  let bySlices = sharedCounts.get(view.services)
  if (!bySlices) sharedCounts.set(view.services, (bySlices = new WeakMap()))
  let entry = bySlices.get(view.endpointSlices)
  if (!entry) {
    entry = { shared: FIXED_RULES, perNode: [] }
    for (const { svc, port } of proxiedServicePorts(view)) {
      if (nodeDependent(svc, port)) entry.perNode.push({ svc, port })
      else entry.shared += cachedPortRules(svc, port, view, nodeName, opts, true).rules.length
    }
    bySlices.set(view.endpointSlices, entry)
  }
  let n = entry.shared
  for (const { svc, port } of entry.perNode) n += cachedPortRules(svc, port, view, nodeName, opts, true).rules.length
  return n
}

/**
 * The rules one Service contributes (0 when it has no ClusterIP): `shared` counts the ports whose rules are the same
 * on every node, `local` those that depend on the node (Local traffic policies). For counting changes, not rendering.
 */
export function serviceRuleCount(view: WatchView, serviceKey: string, node: ProxyNode, clusterCIDR: string): { shared: number; local: number } {
  const nodeName = node.name
  const svc = view.services.get(serviceKey)
  const out = { shared: 0, local: 0 }
  if (!svc || !hasClusterIP(svc)) return out
  const opts: RuleOptions = { clusterCIDR, largeCluster: false, nodeIP: node.ip }
  for (const port of svc.spec.ports ?? []) {
    const n = cachedPortRules(svc, port, view, nodeName, opts, true).rules.length
    if (nodeDependent(svc, port)) out.local += n
    else out.shared += n
  }
  return out
}

/** The rules every node has whatever the Services (jumps, masquerade, forwarding, the NodePorts jump). */
export const FIXED_RULE_COUNT = FIXED_RULES

/**
 * What is left in iptables when kube-proxy programs nftables: kubelet's KUBE-FIREWALL (localhost protection) and its
 * jumps. kube-proxy in nftables mode writes nothing there.
 */
export function kubeletTables(): NodeTables {
  const filter = new Map<string, Rule[]>([['INPUT', []], ['FORWARD', []], ['OUTPUT', []], ['KUBE-FIREWALL', []]])
  for (const r of [...JUMPS, ...FIXED_FILTER]) if (r.line.includes('KUBE-FIREWALL') && !r.line.includes('KUBE-PROXY-FIREWALL')) filter.get(r.chain)!.push(r)
  const nat = new Map<string, Rule[]>(BUILTIN.nat.map((c) => [c, []]))
  return { filter: { chains: [...filter.keys()], rules: filter }, nat: { chains: [...nat.keys()], rules: nat } }
}
