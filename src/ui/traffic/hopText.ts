import type { Hop } from '../../sim'

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

export const stepName = (h: Hop) => STEP_NAMES[h.step]

/** What happened to the header at this hop, in the words iptables and conntrack use. */
export function rewriteName(h: Hop): string | undefined {
  const dst = h.before.dst !== h.after.dst
  const src = h.before.src !== h.after.src
  if (!dst && !src) return undefined
  if (h.step === 'reply') return 'un-NAT (conntrack)'
  if (h.step === 'conntrack') return 'NAT (conntrack)'
  if (dst && src) return 'DNAT + SNAT'
  return dst ? 'DNAT' : h.rule?.includes('MASQUERADE') ? 'SNAT (MASQUERADE)' : 'SNAT'
}

/** "10.244.2.2:39097 → 10.99.36.119:80" */
export const flowText = (a: Hop['before']) => `${a.src} → ${a.dst}`
