import { orderChains } from '../controllers/kubeProxy/iptables/nodeTables'
import type { NodeTables, TableRules } from '../model/iptablesTables'
import type { Rule } from '../model/iptablesTables'

/** The comments flannel puts on its rules, so `iptables-save` shows whose they are. */
const MASQ = '-m comment --comment "flanneld masq"'
const FWD = '-m comment --comment "flanneld forward"'

/**
 * The rules flanneld writes on a node (pkg/trafficmngr/iptables: masqRules and forwardRules, as iptables reports
 * random-fully support), for the node's lease (its pod CIDR) in the cluster network: pod traffic that leaves the pod
 * network is masqueraded to the node, traffic between pods is not, and forwarding to and from pods is accepted. It
 * appends them (`-A`), after the jumps kube-proxy inserts at the top of the built-in chains.
 */
export function flannelRules(podCIDR: string, clusterCIDR: string): Rule[] {
  const nat = (chain: string, args: string): Rule => ({ table: 'nat', chain, line: `-A ${chain} ${args}` })
  const filter = (chain: string, args: string): Rule => ({ table: 'filter', chain, line: `-A ${chain} ${args}` })
  return [
    nat('POSTROUTING', `${MASQ} -j FLANNEL-POSTRTG`),
    // Traffic kube-proxy marked for masquerade is left to kube-proxy's own MASQUERADE (no double NAT).
    nat('FLANNEL-POSTRTG', `-m mark --mark 0x4000/0x4000 ${MASQ} -j RETURN`),
    nat('FLANNEL-POSTRTG', `-s ${podCIDR} -d ${clusterCIDR} ${MASQ} -j RETURN`),
    nat('FLANNEL-POSTRTG', `-s ${clusterCIDR} -d ${podCIDR} ${MASQ} -j RETURN`),
    nat('FLANNEL-POSTRTG', `! -s ${clusterCIDR} -d ${podCIDR} ${MASQ} -j RETURN`),
    nat('FLANNEL-POSTRTG', `-s ${clusterCIDR} ! -d 224.0.0.0/4 ${MASQ} -j MASQUERADE --random-fully`),
    nat('FLANNEL-POSTRTG', `! -s ${clusterCIDR} -d ${clusterCIDR} ${MASQ} -j MASQUERADE --random-fully`),
    filter('FORWARD', `${FWD} -j FLANNEL-FWD`),
    filter('FLANNEL-FWD', `-s ${clusterCIDR} ${FWD} -j ACCEPT`),
    filter('FLANNEL-FWD', `-d ${clusterCIDR} ${FWD} -j ACCEPT`),
  ]
}

const flannelCache = new Map<string, NodeTables>()

/**
 * flannel's rules on a node as tables of their own: its chains, and the rules it appends to the built-in chains. The
 * dataplane walks them over kube-proxy's (shared by every node that synced the same view), so no node copies those.
 */
export function flannelTables(podCIDR: string, clusterCIDR: string): NodeTables {
  const key = `${podCIDR} ${clusterCIDR}`
  let out = flannelCache.get(key)
  if (!out) {
    const rules = flannelRules(podCIDR, clusterCIDR)
    const table = (name: 'nat' | 'filter'): TableRules => {
      const byChain = new Map<string, Rule[]>()
      for (const r of rules) if (r.table === name) byChain.set(r.chain, [...(byChain.get(r.chain) ?? []), r])
      return { chains: [...byChain.keys()], rules: byChain }
    }
    flannelCache.set(key, (out = { filter: table('filter'), nat: table('nat') }))
  }
  return out
}

const withFlannel = new WeakMap<NodeTables, WeakMap<NodeTables, NodeTables>>()

/** A node's whole ruleset as one table, for printing: kube-proxy's rules, then flannel's appended after them. */
export function withFlannelRules(tables: NodeTables, flannel: NodeTables): NodeTables {
  let byFlannel = withFlannel.get(tables)
  if (!byFlannel) withFlannel.set(tables, (byFlannel = new WeakMap()))
  let out = byFlannel.get(flannel)
  if (!out) {
    const merge = (t: TableRules, f: TableRules, table: 'nat' | 'filter'): TableRules => {
      const merged = new Map(t.rules)
      for (const [chain, rules] of f.rules) merged.set(chain, [...(merged.get(chain) ?? []), ...rules])
      return { chains: orderChains(merged, table), rules: merged }
    }
    byFlannel.set(flannel, (out = { filter: merge(tables.filter, flannel.filter, 'filter'), nat: merge(tables.nat, flannel.nat, 'nat') }))
  }
  return out
}
