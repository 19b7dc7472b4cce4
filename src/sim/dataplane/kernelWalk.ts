import type { NodeProxyRules } from '../controllers/kubeProxy/proxyRules'
import type { IpSet } from '../model/ipvs'
import type { KernelConsult } from '../model/packet'
import type { Header } from '../model/packet'
import { walk, type NodeRules, type Walk, type WalkContext } from './netfilter'
import { walkNft } from './nftWalk'

/** One node's packet-processing state as kube-proxy and flannel left it: the proxier's and the iptables layers. */
export interface NodeKernel {
  readonly proxy: NodeProxyRules
  /** iptables: kube-proxy's (iptables and IPVS modes) or only kubelet's (nftables mode), and flannel's. */
  readonly rules: NodeRules
  /** IPVS mode: the ipsets its rules match against, by name. */
  readonly ipsets?: ReadonlyMap<string, IpSet>
}

/** Where in the packet's path a walk happens: destination NAT, filtering, source NAT. */
export type Phase = 'dstnat' | 'filter' | 'srcnat'

export type HookName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING'

/** A walk, and the table it decided in: "nat"/"filter" (iptables) or "ip kube-proxy" (nftables). */
export type KernelWalk = Walk & { readonly table: string }

/**
 * Walks every table hooked at this point, in priority order, as the kernel does: in nftables mode kube-proxy's
 * `ip kube-proxy` chains and, at the same hook, iptables' (flannel's and kubelet's rules). An accept in one base chain
 * lets the packet on to the next; DNAT, DROP, REJECT and MASQUERADE decide. `ctx` carries the node's ipsets (IPVS
 * mode) and the mark, which every table sees.
 */
export function kernelWalk(k: NodeKernel, phase: Phase, hook: HookName, h: Header, ctx: WalkContext): KernelWalk {
  const table = phase === 'filter' ? 'filter' : 'nat'
  const ipt = (): KernelWalk => ({ ...walk(k.rules, table, hook, h, ctx), table })
  if (k.proxy.mode !== 'nftables') return ipt()
  const nft = walkNft(k.proxy.nftables, phase, hook.toLowerCase() as Lowercase<HookName>, h, ctx)
  if (nft.verdict !== 'accept') return { ...nft, table: 'ip kube-proxy' }
  const rest = ipt()
  // Nothing decided in kube-proxy's table: the walk reads as its chains, then iptables' (flannel's, kubelet's).
  const undecided = rest.verdict === 'accept'
  return {
    ...rest,
    table: undecided ? 'ip kube-proxy' : rest.table,
    path: undecided ? [...nft.path, ...rest.path.map((c) => `${table} ${c}`)] : rest.path,
    rulesEvaluated: nft.rulesEvaluated + rest.rulesEvaluated,
    draws: [...nft.draws, ...rest.draws],
    marks: [...nft.marks, ...rest.marks],
    trace: [...nft.trace, ...rest.trace],
    ...(nft.lookups?.length ? { lookups: [...nft.lookups, ...(rest.lookups ?? [])] } : {}),
  }
}

/** A walk as the hop shows it: which facility, table and chains, the deciding rule, the lookups, the verdict. */
export function consulted(k: NodeKernel, w: KernelWalk): KernelConsult {
  return {
    mode: k.proxy.mode,
    facility: w.table === 'ip kube-proxy' ? 'nftables' : 'iptables',
    table: w.table,
    chains: w.path,
    ...(w.rule ? { rule: w.rule.line } : {}),
    ...(w.lookups?.length ? { lookups: w.lookups } : {}),
    verdict: w.verdict,
    rulesEvaluated: w.rulesEvaluated,
  }
}
