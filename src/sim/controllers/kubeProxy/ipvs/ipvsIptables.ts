import type { NodeTables, Rule } from '../../../model/iptablesTables'
import { kubeletTables } from '../iptables/nodeTables'
import { IPSET, IPSET_RULES, type IpsetKey } from './ipsetInfo'

/**
 * kube-proxy's masquerade mark, as IPVS mode writes it: `fmt.Sprintf("%#08x", 1<<14)`. Go pads the digits, not the
 * whole string, to 8 (unlike C's printf), so the restore input says 0x00004000; iptables-save prints it back as 0x4000.
 */
export const MASQ_MARK = '0x00004000'

const BUILTIN = { filter: ['INPUT', 'FORWARD', 'OUTPUT'], nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] } as const

/** iptablesChains: the chains IPVS mode declares in each table. */
const CHAINS = {
  nat: ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'],
  filter: ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER'],
} as const

/**
 * iptablesJumpChain, as the built-in chains read once each jump was inserted at the top in turn (EnsureRule Prepend):
 * the last one inserted reads first. kubelet's KUBE-FIREWALL jumps, there before kube-proxy starts, end up below.
 */
const JUMPS: readonly (readonly [Rule['table'], string, string, string])[] = [
  ['filter', 'INPUT', 'kubernetes ipvs access filter', 'KUBE-IPVS-FILTER'],
  ['filter', 'INPUT', 'kube-proxy firewall rules', 'KUBE-PROXY-FIREWALL'],
  ['filter', 'INPUT', 'kubernetes health check rules', 'KUBE-NODE-PORT'],
  ['filter', 'FORWARD', 'kube-proxy firewall rules', 'KUBE-PROXY-FIREWALL'],
  ['filter', 'FORWARD', 'kubernetes forwarding rules', 'KUBE-FORWARD'],
  ['filter', 'OUTPUT', 'kubernetes ipvs access filter', 'KUBE-IPVS-OUT-FILTER'],
  ['nat', 'PREROUTING', 'kubernetes service portals', 'KUBE-SERVICES'],
  ['nat', 'OUTPUT', 'kubernetes service portals', 'KUBE-SERVICES'],
  ['nat', 'POSTROUTING', 'kubernetes postrouting rules', 'KUBE-POSTROUTING'],
]

/** What the iptables rules of one sync depend on. */
export interface IpvsIptablesInput {
  /** The sets holding at least one entry (a rule matching a set is written only then, save the KUBE-IPVS-FILTER ones). */
  readonly nonEmpty: ReadonlySet<IpsetKey>
  /** --cluster-cidr: the LocalTrafficDetector (detect-local-mode ClusterCIDR) writes `! -s CIDR`. */
  readonly clusterCIDR: string
  /** lbNoNodeAccessIPPortProtocolEntries: load balancers whose source ranges leave out the node itself. */
  readonly noNodeAccess: readonly { readonly ip: string; readonly proto: string; readonly port: number }[]
}

/** getComment: always double-quoted. */
const comment = (key: IpsetKey) => `-m comment --comment "${IPSET[key].comment}"`
const matchSet = (key: IpsetKey, flags: string) => `-m set --match-set ${IPSET[key].name} ${flags}`

/**
 * The iptables rules IPVS mode writes (createAndLinkKubeChain and writeIptablesRules in pkg/proxy/ipvs/proxier.go),
 * each chain's rules in the order kube-proxy writes them, chains as iptables-save lists them (built-ins, then by name).
 */
export function ipvsIptables(input: IpvsIptablesInput): NodeTables {
  const kubelet = kubeletTables()
  const tables = { filter: new Map<string, Rule[]>(), nat: new Map<string, Rule[]>() }
  for (const t of ['filter', 'nat'] as const) for (const c of [...BUILTIN[t], ...CHAINS[t]]) tables[t].set(c, [])
  const add = (table: Rule['table'], chain: string, args: string) => {
    const list = tables[table].get(chain) ?? []
    tables[table].set(chain, list)
    list.push({ table, chain, line: `-A ${chain} ${args}` })
  }
  const has = (key: IpsetKey) => input.nonEmpty.has(key)
  for (const [table, chain, text, to] of JUMPS) add(table, chain, `-m comment --comment "${text}" -j ${to}`)
  for (const [chain, rules] of kubelet.filter.rules) for (const r of rules) add('filter', chain, r.line.slice(`-A ${chain} `.length))

  // writeIptablesRules, in its order.
  add('nat', 'KUBE-SERVICES', '-s 127.0.0.0/8 -j RETURN')
  for (const r of IPSET_RULES) if (has(r.set)) add(r.table, r.from, `${r.proto ? `-p ${r.proto} ` : ''}${comment(r.set)} ${matchSet(r.set, r.flags)} -j ${r.to}`)
  if (has('clusterIP')) add('nat', 'KUBE-SERVICES', `${comment('clusterIP')} ${matchSet('clusterIP', 'dst,dst')} ! -s ${input.clusterCIDR} -j KUBE-MARK-MASQ`)
  // externalIPRules: let in what comes from off the machine (not from a bridge port, not from a local process), and
  // what is addressed to a local address anyway.
  const externalIPRules = (args: string) => {
    add('nat', 'KUBE-SERVICES', `${args} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`)
    add('nat', 'KUBE-SERVICES', `${args} -m addrtype --dst-type LOCAL -j ACCEPT`)
  }
  if (has('externalIP')) {
    const args = `${comment('externalIP')} ${matchSet('externalIP', 'dst,dst')}`
    add('nat', 'KUBE-SERVICES', `${args} -j KUBE-MARK-MASQ`)
    externalIPRules(args)
  }
  if (has('externalIPLocal')) externalIPRules(`${comment('externalIPLocal')} ${matchSet('externalIPLocal', 'dst,dst')}`)
  add('nat', 'KUBE-SERVICES', '-m addrtype --dst-type LOCAL -j KUBE-NODE-PORT')
  add('nat', 'KUBE-LOAD-BALANCER', '-j KUBE-MARK-MASQ')
  add('filter', 'KUBE-SOURCE-RANGES-FIREWALL', '-j DROP')
  for (const e of input.noNodeAccess) add('filter', 'KUBE-IPVS-OUT-FILTER', `-s ${e.ip} -m ipvs --vaddr ${e.ip} --vproto ${e.proto} --vport ${e.port} -j DROP`)
  // acceptIPVSTraffic: the packet is for IPVS; let no later rule of the chain touch it.
  for (const key of ['clusterIP', 'loadBalancer'] as const) if (has(key)) add('nat', 'KUBE-SERVICES', `${matchSet(key, 'dst,dst')} -j ACCEPT`)
  add('filter', 'KUBE-FORWARD', `-m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`)
  add('filter', 'KUBE-FORWARD', '-m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT')
  add('filter', 'KUBE-NODE-PORT', `${comment('healthCheckNodePort')} ${matchSet('healthCheckNodePort', 'dst')} -j ACCEPT`)
  // KUBE-IPVS-FILTER: a new connection to an address on kube-ipvs0 that is not one of its services' ports is refused.
  for (const key of ['loadBalancer', 'clusterIP', 'externalIP', 'externalIPLocal'] as const) add('filter', 'KUBE-IPVS-FILTER', `${matchSet(key, 'dst,dst')} -j RETURN`)
  add('filter', 'KUBE-IPVS-FILTER', `${matchSet('healthCheckNodePort', 'dst')} -j RETURN`)
  add('filter', 'KUBE-IPVS-FILTER', `-m conntrack --ctstate NEW ${matchSet('ipvsIPs', 'dst')} -j REJECT`)
  add('nat', 'KUBE-POSTROUTING', `-m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`)
  add('nat', 'KUBE-POSTROUTING', `-j MARK --xor-mark ${MASQ_MARK}`)
  // HasRandomFully: the node's iptables (1.8.9) has it.
  add('nat', 'KUBE-POSTROUTING', '-m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully')
  add('nat', 'KUBE-MARK-MASQ', `-j MARK --or-mark ${MASQ_MARK}`)

  const chains = (t: 'filter' | 'nat') => [...BUILTIN[t], ...[...tables[t].keys()].filter((c) => !(BUILTIN[t] as readonly string[]).includes(c)).sort()]
  return { filter: { chains: chains('filter'), rules: tables.filter }, nat: { chains: chains('nat'), rules: tables.nat } }
}
