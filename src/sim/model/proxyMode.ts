/** kube-proxy's --proxy-mode: which kernel facility it programs (pkg/proxy/{iptables,ipvs,nftables}). */
export const PROXY_MODES = ['iptables', 'ipvs', 'nftables'] as const

export type ProxyMode = (typeof PROXY_MODES)[number]

export const DEFAULT_PROXY_MODE: ProxyMode = 'iptables'

export function isProxyMode(v: unknown): v is ProxyMode {
  return typeof v === 'string' && (PROXY_MODES as readonly string[]).includes(v)
}
