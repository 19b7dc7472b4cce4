import type { IpvsNode } from '../../model/ipvs'
import type { NodeTables } from '../../model/iptablesTables'
import type { NftTable } from '../../model/nftables'
import { DEFAULT_PROXY_MODE, type ProxyMode } from '../../model/proxyMode'
import type { ProxyView } from '../../state'
import { ipvsNode, ipvsNodeAddresses, ipvsRuleCount } from './ipvs/ipvsNode'
import { nftablesTable, nftRuleCount } from './nftables/nftablesTable'
import { kubeletTables, nodeTables } from './iptables/nodeTables'
import { nodeDependent, type ProxyNode } from './servicePorts'

/**
 * What kube-proxy wrote on one node, by the mode it ran in: the proxier's own state (upstream's pkg/proxy/iptables,
 * ipvs, nftables) and the iptables rules beside it (in nftables mode only kubelet's are left there).
 */
export type NodeProxyRules =
  | { readonly mode: 'iptables'; readonly iptables: NodeTables }
  | { readonly mode: 'ipvs'; readonly iptables: NodeTables; readonly ipvs: IpvsNode }
  | { readonly mode: 'nftables'; readonly iptables: NodeTables; readonly nftables: NftTable }

export const modeOf = (view: ProxyView | undefined): ProxyMode => view?.mode ?? DEFAULT_PROXY_MODE

/** Renders the rules of one node's kube-proxy from the view of its last sync, in the mode it synced in. */
export function proxyRules(view: ProxyView, node: ProxyNode, clusterCIDR: string): NodeProxyRules {
  switch (modeOf(view)) {
    case 'iptables':
      return { mode: 'iptables', iptables: nodeTables(view, node, clusterCIDR) }
    case 'ipvs': {
      const ipvs = ipvsNode(view, node.podCIDR ? { ...node, addresses: ipvsNodeAddresses(node.ip, node.podCIDR) } : node, clusterCIDR)
      return { mode: 'ipvs', iptables: ipvs.iptables, ipvs }
    }
    case 'nftables':
      return { mode: 'nftables', iptables: kubeletTables(), nftables: nftablesTable(view, node, clusterCIDR) }
  }
}

/** Rules a node holds for kube-proxy, in the mode's own units: iptables rules; IPVS servers, ipset entries and rules; nft rules and map elements. */
export function proxyRuleCount(rules: NodeProxyRules): number {
  const iptables = (t: NodeTables) => [...t.filter.rules.values(), ...t.nat.rules.values()].reduce((n, list) => n + list.length, 0)
  switch (rules.mode) {
    case 'iptables':
      return iptables(rules.iptables)
    case 'ipvs':
      return ipvsRuleCount(rules.ipvs)
    case 'nftables':
      return nftRuleCount(rules.nftables)
  }
}

const counts = new WeakMap<object, WeakMap<object, Map<string, number>>>()

/**
 * The rule count of a node's sync in IPVS or nftables mode. Nodes differ only by their own address (the NodePort
 * servers and map elements, as many on each) unless a Service's endpoints depend on the node (a Local policy): so
 * the count is rendered once per view and shared, and per node only then.
 */
export function sharedRuleCount(view: ProxyView, node: ProxyNode, clusterCIDR: string): number {
  let bySlices = counts.get(view.services)
  if (!bySlices) counts.set(view.services, (bySlices = new WeakMap()))
  let perKey = bySlices.get(view.endpointSlices)
  if (!perKey) bySlices.set(view.endpointSlices, (perKey = new Map()))
  const local = [...view.services.values()].some((svc) => (svc.spec.ports ?? []).some((p) => nodeDependent(svc, p)))
  const key = `${modeOf(view)}|${local ? node.name : '*'}`
  let n = perKey.get(key)
  if (n === undefined) perKey.set(key, (n = proxyRuleCount(proxyRules(view, node, clusterCIDR))))
  return n
}
