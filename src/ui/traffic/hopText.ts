import type { Hop, KernelConsult } from '../../sim'

/** What a hop's step is called in the list: the kernel's part, or the pod's. */
const STEP_NAMES: Record<Hop['step'], string> = {
  dns: 'DNS',
  netfilter: 'netfilter',
  conntrack: 'conntrack',
  route: 'route',
  deliver: 'deliver',
  reply: 'reply',
  drop: 'DROP',
  reject: 'REJECT',
  loadbalancer: 'picks a node',
}

/** The step's name in the list and the details: the kernel facility that decided a netfilter hop (IPVS, nftables), else the step's. */
export function stepName(h: Hop): string {
  if (h.step === 'netfilter' && h.kernel?.facility === 'ipvs') return 'IPVS'
  if (h.step === 'netfilter' && h.kernel?.facility === 'nftables') return 'nftables'
  return STEP_NAMES[h.step]
}

/** Which facility and table the kernel consulted: "iptables · nat", "nftables · table ip kube-proxy", "IPVS". */
export function facilityText(k: KernelConsult): string {
  switch (k.facility) {
    case 'ipvs':
      return 'IPVS'
    case 'nftables':
      return `nftables · table ${k.table ?? 'ip kube-proxy'}`
    case 'iptables':
      return k.table ? `iptables · ${k.table}` : 'iptables'
    case 'conntrack':
      return 'conntrack'
  }
}

/** A verdict as the kernel's tools name it, with what it does to the packet. */
const VERDICTS: Record<KernelConsult['verdict'], string> = {
  accept: 'accept: on to the next table or hook',
  dnat: 'DNAT: the destination is rewritten',
  masquerade: "MASQUERADE: the source becomes the node's address",
  drop: 'DROP: discarded silently',
  reject: 'REJECT: refused with ICMP port unreachable',
  none: 'no verdict: nothing here applied',
}

/** The verdict and how many rules were tested to reach it. */
export function verdictText(k: KernelConsult): string {
  const n = k.rulesEvaluated
  return `${VERDICTS[k.verdict]}${n === undefined ? '' : `, after ${n} rule${n === 1 ? '' : 's'} evaluated`}`
}

/** What happened to the header at this hop, in the words iptables, IPVS and conntrack use (read from the kernel's verdict). */
export function rewriteName(h: Hop): string | undefined {
  const dst = h.before.dst !== h.after.dst
  const src = h.before.src !== h.after.src
  if (!dst && !src) return undefined
  if (h.step === 'reply') return 'un-NAT (conntrack)'
  if (h.step === 'conntrack') return 'NAT (conntrack)'
  if (dst && src) return 'DNAT + SNAT'
  if (dst) return h.kernel?.facility === 'ipvs' ? 'DNAT (IPVS)' : 'DNAT'
  return h.kernel?.verdict === 'masquerade' ? 'SNAT (MASQUERADE)' : 'SNAT'
}

/** "10.244.2.2:39097 → 10.99.36.119:80" */
export const flowText = (a: Hop['before']) => `${a.src} → ${a.dst}`
