import { orderChains, type NodeTables, type TableRules } from '../controllers/kubeProxy/nodeTables'
import type { Rule } from '../controllers/kubeProxy/serviceRules'

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

const withFlannel = new WeakMap<NodeTables, Map<string, NodeTables>>()

/**
 * A node's whole ruleset: what kube-proxy wrote plus flannel's chains and jumps. Cached per kube-proxy tables and pod
 * CIDR, so nodes that share kube-proxy's tables build this once each.
 */
export function withFlannelRules(tables: NodeTables, podCIDR: string, clusterCIDR: string): NodeTables {
  let byCidr = withFlannel.get(tables)
  if (!byCidr) withFlannel.set(tables, (byCidr = new Map()))
  const key = `${podCIDR} ${clusterCIDR}`
  let out = byCidr.get(key)
  if (!out) {
    const rules = flannelRules(podCIDR, clusterCIDR)
    const merge = (t: TableRules, table: 'nat' | 'filter'): TableRules => {
      const merged = new Map(t.rules)
      for (const r of rules) if (r.table === table) merged.set(r.chain, [...(merged.get(r.chain) ?? []), r])
      return { chains: orderChains(merged, table), rules: merged }
    }
    byCidr.set(key, (out = { filter: merge(tables.filter, 'filter'), nat: merge(tables.nat, 'nat') }))
  }
  return out
}
