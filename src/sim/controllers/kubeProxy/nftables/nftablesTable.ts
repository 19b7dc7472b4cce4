import { DEFAULT_CONFIG } from '../../../config'
import type { EndpointSlice } from '../../../model/endpointSlice'
import type { NftBaseChain, NftChain, NftElement, NftMap, NftOperation, NftRule, NftSet, NftTable } from '../../../model/nftables'
import type { Service, ServicePort } from '../../../model/service'
import type { Table, WatchView } from '../../../state'
import { nodeDependent, proxiedServicePorts, type ProxyNode } from '../servicePorts'
import { endpointsForPort, slicesByService } from '../proxyEndpoints'
import { ctStateNew, ipInSet, ipSetLiteral, jump, markClear, masquerade, nftRule, setMark, verdict, vmapLookup } from './nftRules'
import { NFT, servicePortOperations, type PortContext } from './servicePortOperations'

/** kube-proxy's --masquerade-bit 14, written as the repo's iptables mode writes it (and upstream's tests do). */
const MASQ_MARK = 0x4000
const MASQ_MARK_TEXT = '0x4000'

/**
 * nftablesBaseChains: every base chain is "TYPE-HOOK". The filter chains run at dstnat-10, before DNAT, so they see the
 * address the client used; filter-output-post-dnat (dstnat+10) sees where the node's own traffic was DNAT-ed to.
 */
const BASE_CHAINS: readonly { name: string; base: NftBaseChain }[] = [
  { name: 'filter-prerouting', base: { type: 'filter', hook: 'prerouting', priority: -110 } },
  { name: 'filter-input', base: { type: 'filter', hook: 'input', priority: -110 } },
  { name: 'filter-forward', base: { type: 'filter', hook: 'forward', priority: -110 } },
  { name: 'filter-output', base: { type: 'filter', hook: 'output', priority: -110 } },
  { name: 'filter-output-post-dnat', base: { type: 'filter', hook: 'output', priority: -90 } },
  { name: 'nat-prerouting', base: { type: 'nat', hook: 'prerouting', priority: -100 } },
  { name: 'nat-output', base: { type: 'nat', hook: 'output', priority: -100 } },
  { name: 'nat-postrouting', base: { type: 'nat', hook: 'postrouting', priority: 100 } },
]

/**
 * nftablesJumpChains: [chain, base chain jumping to it, only for new connections]. Rejects happen from input, forward
 * and output, where every kernel accepts them; firewall drops from prerouting, before DNAT.
 */
const JUMPS: readonly [string, string, boolean][] = [
  ['nodeport-endpoints-check', 'filter-input', true],
  ['service-endpoints-check', 'filter-input', true],
  ['service-endpoints-check', 'filter-forward', true],
  ['service-endpoints-check', 'filter-output', true],
  ['firewall-check', 'filter-prerouting', true],
  ['firewall-check', 'filter-output', true],
  ['services', 'nat-output', false],
  ['services', 'nat-prerouting', false],
  ['masquerading', 'nat-postrouting', false],
  ['cluster-ips-check', 'filter-forward', true],
  ['cluster-ips-check', 'filter-output-post-dnat', true],
]

const SERVICE_KEY = ['ip daddr', 'meta l4proto', 'th dport'] as const
const NODEPORT_KEY = ['meta l4proto', 'th dport'] as const
const SERVICE_KEY_TYPE = ['ipv4_addr', 'inet_proto', 'inet_service'] as const
const NODEPORT_KEY_TYPE = ['inet_proto', 'inet_service'] as const

/**
 * setupNFTables on kube-proxy's first sync: the table, its base chains (added and deleted once, so that a changed
 * priority can be applied, then re-created and flushed), the jumps into the fixed chains, masquerading, and the sets and
 * maps, flushed so the service ports can fill them. NodePorts are served on the node's primary address only: nftables
 * mode defaults --nodeport-addresses to "primary".
 */
function setupOperations(nodeIP: string, serviceCIDRs: readonly string[]): NftOperation[] {
  const ops: NftOperation[] = [{ verb: 'add', object: 'table', comment: 'rules for kube-proxy' }]
  const rule = (chain: string, r: NftRule) => ops.push({ verb: 'add', object: 'rule', chain, rule: r })
  const created = new Set<string>()
  const ensureChain = (name: string) => {
    if (created.has(name)) return
    created.add(name)
    ops.push({ verb: 'add', object: 'chain', chain: { name } }, { verb: 'flush', object: 'chain', name })
  }
  const addSet = (set: Omit<NftSet, 'elements'> | Omit<NftMap, 'elements'>) => ops.push({ verb: 'add', object: set.kind, set })
  for (const { name } of BASE_CHAINS) ops.push({ verb: 'add', object: 'chain', chain: { name } }, { verb: 'delete', object: 'chain', name })
  for (const { name, base } of BASE_CHAINS) ops.push({ verb: 'add', object: 'chain', chain: { name, base } }, { verb: 'flush', object: 'chain', name })
  for (const [dst, src, onlyNew] of JUMPS) {
    ensureChain(dst)
    rule(src, nftRule(onlyNew ? [ctStateNew()] : [], jump(dst)))
  }
  for (const name of ['services', 'cluster-ips-check', 'masquerading', NFT.markMasq]) ensureChain(name)
  rule(NFT.markMasq, nftRule([], setMark('or', MASQ_MARK, MASQ_MARK_TEXT)))
  rule('masquerading', nftRule([markClear(MASQ_MARK, MASQ_MARK_TEXT)], verdict({ kind: 'return' })))
  rule('masquerading', nftRule([], setMark('xor', MASQ_MARK, MASQ_MARK_TEXT)))
  rule('masquerading', nftRule([], masquerade()))
  addSet({ kind: 'set', name: NFT.clusterIPs, type: ['ipv4_addr'], comment: 'Active ClusterIPs' })
  rule('cluster-ips-check', nftRule([ipInSet('daddr', NFT.clusterIPs)], verdict({ kind: 'reject' }), 'Reject traffic to invalid ports of ClusterIPs'))
  if (serviceCIDRs.length > 0) rule('cluster-ips-check', nftRule([ipSetLiteral('daddr', serviceCIDRs, false)], verdict({ kind: 'drop' }), 'Drop traffic to unallocated ClusterIPs'))
  addSet({ kind: 'set', name: 'nodeport-ips', type: ['ipv4_addr'], comment: 'IPs that accept NodePort traffic' })
  ops.push({ verb: 'flush', object: 'set', name: 'nodeport-ips' }, { verb: 'add', object: 'element', set: 'nodeport-ips', element: { key: [nodeIP] } })
  addSet({ kind: 'map', name: NFT.noEndpointServices, type: SERVICE_KEY_TYPE, comment: 'vmap to drop or reject packets to services with no endpoints' })
  addSet({ kind: 'map', name: NFT.noEndpointNodePorts, type: NODEPORT_KEY_TYPE, comment: 'vmap to drop or reject packets to service nodeports with no endpoints' })
  ops.push({ verb: 'add', object: 'chain', chain: { name: NFT.rejectChain, comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' } }, { verb: 'flush', object: 'chain', name: NFT.rejectChain })
  rule(NFT.rejectChain, nftRule([], verdict({ kind: 'reject' })))
  rule('service-endpoints-check', nftRule([], vmapLookup(SERVICE_KEY, NFT.noEndpointServices)))
  rule('nodeport-endpoints-check', nftRule([ipInSet('daddr', 'nodeport-ips')], vmapLookup(NODEPORT_KEY, NFT.noEndpointNodePorts)))
  addSet({ kind: 'map', name: NFT.firewallIPs, type: SERVICE_KEY_TYPE, comment: 'destinations that are subject to LoadBalancerSourceRanges' })
  ensureChain('firewall-check')
  rule('firewall-check', nftRule([], vmapLookup(SERVICE_KEY, NFT.firewallIPs)))
  addSet({ kind: 'map', name: NFT.serviceIPs, type: SERVICE_KEY_TYPE, comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic' })
  addSet({ kind: 'map', name: NFT.serviceNodePorts, type: NODEPORT_KEY_TYPE, comment: 'NodePort traffic' })
  rule('services', nftRule([], vmapLookup(SERVICE_KEY, NFT.serviceIPs)))
  rule('services', nftRule([ipInSet('daddr', 'nodeport-ips')], vmapLookup(NODEPORT_KEY, NFT.serviceNodePorts)))
  ops.push({ verb: 'flush', object: 'set', name: NFT.clusterIPs })
  for (const name of [NFT.serviceIPs, NFT.firewallIPs, NFT.noEndpointServices, NFT.noEndpointNodePorts, NFT.serviceNodePorts]) ops.push({ verb: 'flush', object: 'map', name })
  return ops
}

/** What applying a transaction leaves: objects in the order they were (last) created, elements de-duplicated by key. */
export function applyOperations(ops: readonly NftOperation[]): NftTable {
  let comment: string | undefined
  const chains = new Map<string, { chain: Omit<NftChain, 'rules'>; rules: NftRule[] }>()
  const sets = new Map<string, { set: Omit<NftSet | NftMap, 'elements'>; elements: Map<string, NftElement> }>()
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`nft: no such ${what}`)
    return v
  }
  for (const op of ops) {
    if (op.object === 'table') comment = op.comment
    else if (op.object === 'rule') need(chains.get(op.chain), `chain ${op.chain}`).rules.push(op.rule)
    else if (op.object === 'element') {
      const set = need(sets.get(op.set), `set ${op.set}`)
      const key = op.element.key.join(' . ')
      if (!set.elements.has(key)) set.elements.set(key, op.element)
    } else if (op.verb === 'add') {
      if (op.object === 'chain') {
        if (!chains.has(op.chain.name)) chains.set(op.chain.name, { chain: op.chain, rules: [] })
      } else if (!sets.has(op.set.name)) sets.set(op.set.name, { set: op.set, elements: new Map() })
    } else if (op.object === 'chain') {
      if (op.verb === 'delete') chains.delete(op.name)
      else need(chains.get(op.name), `chain ${op.name}`).rules = []
    } else if (op.verb === 'delete') sets.delete(op.name)
    else need(sets.get(op.name), `set ${op.name}`).elements.clear()
  }
  return {
    family: 'ip',
    name: 'kube-proxy',
    ...(comment !== undefined ? { comment } : {}),
    sets: [...sets.values()].map(({ set, elements }) => ({ ...set, elements: [...elements.values()] }) as NftSet | NftMap),
    chains: [...chains.values()].map(({ chain, rules }) => ({ ...chain, rules })),
  }
}

/**
 * A service port's operations are cached by the Service object and its slices' versions, as the iptables mode's rules
 * are (nodeTables.ts): unchanged Services cost nothing, and nodes a moment apart do not evict each other's entries.
 */
const portCache = new WeakMap<Service, Map<string, Map<string, readonly NftOperation[]>>>()
const VERSIONS_KEPT = 4

function cachedPortOperations(svc: Service, port: ServicePort, view: WatchView, ctx: PortContext): readonly NftOperation[] {
  const slices = slicesByService(view.endpointSlices).get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? []
  const compute = () => servicePortOperations(svc, port, endpointsForPort(port, slices), ctx)
  if (nodeDependent(svc, port)) return compute()
  let perPort = portCache.get(svc)
  if (!perPort) portCache.set(svc, (perPort = new Map()))
  const id = `${port.name ?? ''}/${port.protocol}/${port.port}/${ctx.clusterCIDR}`
  let versions = perPort.get(id)
  if (!versions) perPort.set(id, (versions = new Map()))
  const signature = slices.map((s) => `${s.metadata.name}@${s.metadata.resourceVersion}`).join(',')
  const hit = versions.get(signature)
  if (hit) return hit
  const ops = compute()
  versions.set(signature, ops)
  if (versions.size > VERSIONS_KEPT) versions.delete(versions.keys().next().value!)
  return ops
}

/** One full sync: the transaction kube-proxy sends and the table it leaves. */
export interface NftablesSync {
  readonly table: NftTable
  readonly operations: readonly NftOperation[]
}

/** Syncs per watch view and node: the view is immutable, so a node's table is built once per view. */
const syncs = new WeakMap<Table<Service>, WeakMap<Table<EndpointSlice>, Map<string, NftablesSync>>>()
const operationsOf = new WeakMap<NftTable, readonly NftOperation[]>()
const NODES_KEPT = 64

/** kube-proxy's full sync on `node` from the Services and EndpointSlices of `view`: its transaction, and the table. */
export function nftablesSync(view: WatchView, node: ProxyNode, clusterCIDR: string, serviceCIDR: string = DEFAULT_CONFIG.serviceCIDR.text): NftablesSync {
  let bySlices = syncs.get(view.services)
  if (!bySlices) syncs.set(view.services, (bySlices = new WeakMap()))
  let byNode = bySlices.get(view.endpointSlices)
  if (!byNode) bySlices.set(view.endpointSlices, (byNode = new Map()))
  const id = `${node.name}|${node.ip}|${clusterCIDR}|${serviceCIDR}`
  const hit = byNode.get(id)
  if (hit) return hit
  const ctx: PortContext = { nodeName: node.name, nodeIP: node.ip, clusterCIDR }
  const operations = [...setupOperations(node.ip, serviceCIDR ? [serviceCIDR] : [])]
  for (const { svc, port } of proxiedServicePorts(view)) operations.push(...cachedPortOperations(svc, port, view, ctx))
  const sync: NftablesSync = { table: applyOperations(operations), operations }
  operationsOf.set(sync.table, operations)
  if (byNode.size >= NODES_KEPT) byNode.delete(byNode.keys().next().value!)
  byNode.set(id, sync)
  return sync
}

/**
 * Everything kube-proxy's nftables proxier has in its table on `node` after a full sync (pkg/proxy/nftables,
 * syncProxyRules): service ports in "ns/name:port" order, where a real node's follow Go's map order.
 */
export function nftablesTable(view: WatchView, node: ProxyNode, clusterCIDR: string, serviceCIDR?: string): NftTable {
  return nftablesSync(view, node, clusterCIDR, serviceCIDR).table
}

/** The transaction that built `table`, if nftablesSync built it. */
export function syncOperations(table: NftTable): readonly NftOperation[] | undefined {
  return operationsOf.get(table)
}

const counts = new WeakMap<NftTable, number>()

/** How many things kube-proxy keeps in the table: rules plus set and map elements (the story's rule count). */
export function nftRuleCount(table: NftTable): number {
  let n = counts.get(table)
  if (n === undefined) {
    n = 0
    for (const c of table.chains) n += c.rules.length
    for (const s of table.sets) n += s.elements.length
    counts.set(table, n)
  }
  return n
}
