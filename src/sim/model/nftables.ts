/**
 * kube-proxy's nftables table as the kernel holds it after a sync (pkg/proxy/nftables): chains, sets and verdict maps,
 * each rule both as text (what `nft list ruleset` prints, what kube-proxy wrote) and structured (what a packet walks).
 */

/** The hooks kube-proxy's base chains attach to. */
export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'

/** What makes a chain a base chain: attached to a netfilter hook at a priority (lower runs first; dstnat is -100). */
export interface NftBaseChain {
  readonly type: 'filter' | 'nat'
  readonly hook: NftHook
  readonly priority: number
}

/** A verdict: what a rule, a verdict map's element or a chain's policy decides. */
export type NftVerdict =
  | { readonly kind: 'accept' | 'drop' | 'reject' | 'return' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }

/** The packet fields a rule reads, as nft names them (a vmap key concatenates several: `ip daddr . meta l4proto . th dport`). */
export type NftField = 'ip saddr' | 'ip daddr' | 'meta l4proto' | 'th dport'

/** One condition of a rule; a rule matches when all of its conditions do. */
export type NftMatch =
  /** `ct state new` */
  | { readonly kind: 'ct-state'; readonly states: readonly string[] }
  /** `ip daddr 172.30.0.41`, `ip saddr != 10.0.0.0/8`, `ip saddr != { 203.0.113.0/25, 5.6.7.8 }`: prefixes as CIDRs. */
  | { readonly kind: 'ip'; readonly field: 'saddr' | 'daddr'; readonly negate: boolean; readonly prefixes: readonly string[] }
  /** `ip daddr @nodeport-ips`: membership of a named set (affinity sets expire entries after their timeout). */
  | { readonly kind: 'ip-set'; readonly field: 'saddr' | 'daddr'; readonly set: string }
  /** `fib saddr type local`: the address is one of the node's own. */
  | { readonly kind: 'fib-local'; readonly field: 'saddr' | 'daddr' }
  /** `meta l4proto tcp` */
  | { readonly kind: 'l4proto'; readonly proto: 'tcp' | 'udp' | 'sctp' }
  /** `tcp dport 80` */
  | { readonly kind: 'dport'; readonly proto: 'tcp' | 'udp' | 'sctp'; readonly port: number }
  /** `mark and 0x4000 == 0` */
  | { readonly kind: 'mark'; readonly mask: number; readonly value: number }

/** What a rule does once its conditions match. */
export type NftAction =
  | { readonly kind: 'verdict'; readonly verdict: NftVerdict }
  /** `KEY vmap @map`: look the packet's key up in a named verdict map; no element, no match. */
  | { readonly kind: 'vmap'; readonly key: readonly NftField[]; readonly map: string }
  /** `numgen random mod N vmap { 0 : goto A, ... }`: a uniform draw picks the element. */
  | { readonly kind: 'numgen'; readonly mod: number; readonly verdicts: readonly NftVerdict[] }
  /** `mark set mark or 0x4000` */
  | { readonly kind: 'mark'; readonly op: 'or' | 'xor'; readonly value: number }
  | { readonly kind: 'masquerade'; readonly fullyRandom: boolean }
  /** `meta l4proto tcp dnat to 10.180.0.1:80` */
  | { readonly kind: 'dnat'; readonly ip: string; readonly port: number }
  /** `update @set { ip saddr }`: records the source in a dynamic set and goes on. */
  | { readonly kind: 'update'; readonly set: string; readonly field: 'saddr' | 'daddr' }

/** One rule of a chain. */
export interface NftRule {
  /** As `nft list ruleset` prints it (nft 1.0.6: `meta mark set meta mark | 0x00004000`), comment included. */
  readonly text: string
  /** As kube-proxy wrote it in its transaction (`mark set mark or 0x4000`), without the comment. */
  readonly source: string
  readonly comment?: string
  readonly matches: readonly NftMatch[]
  readonly action: NftAction
}

export interface NftChain {
  readonly name: string
  /** Set for base chains; their policy is accept (kube-proxy sets none). */
  readonly base?: NftBaseChain
  readonly comment?: string
  readonly rules: readonly NftRule[]
}

/** One element of a set or map: the key's parts (`["172.30.0.41", "tcp", "80"]`), a map's verdict, a comment. */
export interface NftElement {
  readonly key: readonly string[]
  readonly value?: NftVerdict
  readonly comment?: string
}

/** The data types of a set's key (`ipv4_addr . inet_proto . inet_service`). */
export type NftDataType = 'ipv4_addr' | 'inet_proto' | 'inet_service'

interface NftContainer {
  readonly name: string
  readonly type: readonly NftDataType[]
  readonly flags?: readonly ('dynamic' | 'timeout')[]
  /** Seconds an element lives (affinity sets: the Service's sticky timeout). */
  readonly timeout?: number
  readonly comment?: string
  /** In the order kube-proxy added them (nft lists them sorted). */
  readonly elements: readonly NftElement[]
}

export interface NftSet extends NftContainer {
  readonly kind: 'set'
}

/** A verdict map: `type ... : verdict`. */
export interface NftMap extends NftContainer {
  readonly kind: 'map'
}

/** kube-proxy's table, `ip kube-proxy`: sets and maps, then chains, each in the order they were created. */
export interface NftTable {
  readonly family: 'ip'
  readonly name: string
  readonly comment?: string
  readonly sets: readonly (NftSet | NftMap)[]
  readonly chains: readonly NftChain[]
}

/**
 * One command of an nft transaction (`add chain`, `flush map`, `add element` ...), as knftables writes it: kube-proxy
 * sends its whole sync as one list of these (`nft -f -`), and the table is what applying them leaves.
 */
export type NftOperation =
  | { readonly verb: 'add'; readonly object: 'table'; readonly comment?: string }
  | { readonly verb: 'add'; readonly object: 'chain'; readonly chain: Omit<NftChain, 'rules'> }
  | { readonly verb: 'flush' | 'delete'; readonly object: 'chain' | 'set' | 'map'; readonly name: string }
  | { readonly verb: 'add'; readonly object: 'rule'; readonly chain: string; readonly rule: NftRule }
  | { readonly verb: 'add'; readonly object: 'set' | 'map'; readonly set: Omit<NftSet, 'elements'> | Omit<NftMap, 'elements'> }
  | { readonly verb: 'add'; readonly object: 'element'; readonly set: string; readonly element: NftElement }
