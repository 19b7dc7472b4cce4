import type { ProxyMode } from './proxyMode'

/** A packet's addressing: what conntrack keys on and NAT rewrites. */
export interface Header {
  readonly proto: 'tcp' | 'udp' | 'sctp'
  readonly src: string
  readonly sport: number
  readonly dst: string
  readonly dport: number
}

export const endpointText = (ip: string, port: number) => `${ip}:${port}`

/** One step of a packet's journey, enough to replay it: where, what happened, the header before and after. */
export interface Hop {
  /** A node name, or "namespace/pod", or "load balancer", or "internet". */
  readonly at: string
  readonly step: 'dns' | 'netfilter' | 'conntrack' | 'route' | 'deliver' | 'reply' | 'drop' | 'reject' | 'loadbalancer'
  /** Which part of the journey: the DNS lookup, the request, or the reply. */
  readonly phase: 'dns' | 'request' | 'reply'
  readonly before: { src: string; dst: string; proto: string }
  readonly after: { src: string; dst: string; proto: string }
  /** The hook and chain where the deciding rule sits (e.g. "nat PREROUTING > KUBE-SERVICES > KUBE-SVC-... > KUBE-SEP-..."). */
  readonly chain?: string
  /** The exact rule line that fired (DNAT, REJECT, DROP, MASQUERADE). */
  readonly rule?: string
  readonly rulesEvaluated?: number
  /** The random draws made on the way: each `statistic` rule met, its probability and the number drawn. */
  readonly draws?: readonly { readonly rule: string; readonly probability: number; readonly value: number; readonly matched: boolean }[]
  /** The rules of this hop's table walk, in the order the kernel tested them (netfilter, reject and drop hops). */
  readonly evaluated?: readonly TracedRule[]
  /** What the kernel consulted here, structured (which facility, table, chain or map, rule, verdict): what the UI shows. */
  readonly kernel?: KernelConsult
  readonly note: string
}

export const addr = (h: Header) => ({ src: endpointText(h.src, h.sport), dst: endpointText(h.dst, h.dport), proto: h.proto })

/** One rule the packet was tested against: its chain, text, nesting (jumps), whether it matched, the draw it made. */
export interface TracedRule {
  /** The table: "nat" or "filter" (iptables), "ip kube-proxy" (nftables). Unset means iptables' table of the hop. */
  readonly table?: string
  readonly chain: string
  readonly line: string
  readonly depth: number
  readonly matched: boolean
  readonly draw?: { readonly probability: number; readonly value: number }
}

/** A lookup in a hash (nft map or set, ipset, IPVS's service table): one step, whatever the number of Services. */
export interface KernelLookup {
  /** What was looked in: "map service-ips", "ipset KUBE-CLUSTER-IP", "IPVS virtual servers". */
  readonly in: string
  /** The packet's key as the kernel forms it ("10.96.0.10 . tcp . 80"). */
  readonly key: string
  /** What it found ("goto service-ULMVA6XW-default/web/tcp/http"), or "no match". */
  readonly result: string
}

/** What the kernel consulted at one hop: the facility, the table, the chains entered or the map, the deciding rule and the verdict. */
export interface KernelConsult {
  /** The kube-proxy mode that wrote what was consulted. */
  readonly mode: ProxyMode
  readonly facility: 'iptables' | 'nftables' | 'ipvs' | 'conntrack'
  readonly table?: string
  /** The chains entered, in order (iptables, nftables). */
  readonly chains?: readonly string[]
  /** The deciding rule, as the node's own tool prints it (iptables-save line, nft rule, ipvsadm line). */
  readonly rule?: string
  readonly lookups?: readonly KernelLookup[]
  readonly verdict: 'accept' | 'drop' | 'reject' | 'dnat' | 'masquerade' | 'none'
  /** Rules tested before the decision: linear in iptables, a handful in nftables and IPVS. */
  readonly rulesEvaluated?: number
}
