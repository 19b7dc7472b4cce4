import type { Hop } from '../../sim'
import type { ProxyMode } from '../../sim/model/proxyMode'

/** How each mode is named on screen. */
export const MODE_TITLES: Record<ProxyMode, string> = { iptables: 'iptables', ipvs: 'IPVS', nftables: 'nftables' }

/** Why the first packet of a connection costs what it costs in each mode: one sentence each. */
export const MODE_WHY: Record<ProxyMode, string> = {
  iptables: 'Walks KUBE-SERVICES rule by rule until the Service matches, then a random draw picks one KUBE-SEP chain, which DNATs to its pod.',
  ipvs: 'One hash lookup of the virtual server (its ClusterIP and port), then round robin to the next real server.',
  nftables: 'One lookup in the service-ips map, then numgen picks an endpoint chain, which DNATs to its pod.',
}

/** Why a batch of new connections spreads as it does in each mode. */
export function spreadWhy(mode: ProxyMode, requests: number, pods: number): string {
  switch (mode) {
    case 'ipvs':
      return `Round robin (rr): each new connection goes to the next real server in turn, per node and per virtual server, so ${requests} connections from one client over ${pods} pods give ${pods ? (requests / pods).toFixed(Number.isInteger(requests / pods) ? 0 : 1) : 0} each, exactly.`
    case 'iptables':
      return `Each new connection rolls kube-proxy's statistic rules (1/${pods} for the first pod, then 1/${Math.max(1, pods - 1)} for the next, …): a fair dice, so the counts wander around the even share.`
    case 'nftables':
      return `Each new connection draws numgen random mod ${pods}: a fair dice too, so the counts wander around the even share. (The three copies start from the same random numbers, and both modes turn a draw into a pod the same way, so iptables and nftables may pick alike: each is still random.)`
  }
}

/** What the kernel consulted at a hop, in a few words: the chains it entered, the lookups that found something. */
export function consultedText(h: Hop): string | undefined {
  const k = h.kernel
  if (!k) return undefined
  const seen = new Set<string>()
  const lookups = (k.lookups ?? [])
    .filter((l) => l.result !== 'no match')
    .map((l) => `${l.in}: ${l.key} → ${l.result.replace(/^-> /, '')}`)
    .filter((t) => !seen.has(t) && !!seen.add(t))
  const chains = k.chains?.length ? `${k.table ?? k.facility}: ${k.chains.map((c) => c.replace(/^ip kube-proxy /, '')).join(' → ')}` : undefined
  return [...(chains ? [chains] : []), ...lookups].join('; ') || undefined
}

/** The hops worth a line in a column: where the kernel consulted something, and where the packet ended. */
export const shownHops = (hops: readonly Hop[]) => hops.filter((h) => h.kernel || h.step !== 'route')

/** Where the hop sent the packet: its destination, rewritten or not. */
export function whereText(h: Hop): string {
  if (h.before.dst !== h.after.dst) return `${h.before.dst} → ${h.after.dst}`
  if (h.before.src !== h.after.src) return `source ${h.before.src} → ${h.after.src}`
  return h.after.dst
}
