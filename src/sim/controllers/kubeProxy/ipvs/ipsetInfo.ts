/**
 * The ipsets kube-proxy's IPVS mode keeps (pkg/proxy/ipvs/ipset.go): name, type and the comment its iptables rules
 * carry. kube-proxy creates them with `family inet hashsize 1024 maxelem 65536` (hash types) or `range 0-65535`
 * (bitmap:port) and no `comment` option, so the kernel's sets carry no comments of their own.
 */
export const IPSET = {
  loopBack: { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  clusterIP: { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  externalIP: { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  externalIPLocal: { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  loadBalancer: { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  loadBalancerFW: { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  loadBalancerLocal: { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  loadBalancerSourceIP: { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  loadBalancerSourceCIDR: { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  nodePortTCP: { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  nodePortLocalTCP: { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  nodePortUDP: { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  nodePortLocalUDP: { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  nodePortSCTP: { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  nodePortLocalSCTP: { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  healthCheckNodePort: { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  ipvsIPs: { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
} as const

export type IpsetKey = keyof typeof IPSET

/**
 * The sets in ipsetInfo's order. kube-proxy creates them iterating a Go map (so in an order that differs from node to
 * node); `ipset list` here lists them in this, the declaration's, order.
 */
export const IPSET_ORDER = Object.keys(IPSET) as IpsetKey[]

/**
 * ipsetWithIptablesChain: the sets whose non-empty state writes one rule `-A <from> [-p proto] -m comment --comment
 * <comment> -m set --match-set <set> <flags> -j <to>`, in this order (a Local set before its Cluster one).
 */
export const IPSET_RULES: readonly { readonly set: IpsetKey; readonly table: 'nat' | 'filter'; readonly from: string; readonly to: string; readonly flags: string; readonly proto?: string }[] = [
  { set: 'loopBack', table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', flags: 'dst,dst,src' },
  { set: 'loadBalancer', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', flags: 'dst,dst' },
  { set: 'loadBalancerLocal', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', flags: 'dst,dst' },
  { set: 'nodePortLocalTCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', flags: 'dst', proto: 'tcp' },
  { set: 'nodePortTCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', flags: 'dst', proto: 'tcp' },
  { set: 'nodePortLocalUDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', flags: 'dst', proto: 'udp' },
  { set: 'nodePortUDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', flags: 'dst', proto: 'udp' },
  { set: 'nodePortLocalSCTP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', flags: 'dst,dst', proto: 'sctp' },
  { set: 'nodePortSCTP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', flags: 'dst,dst', proto: 'sctp' },
  { set: 'loadBalancerFW', table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', flags: 'dst,dst' },
  { set: 'loadBalancerSourceCIDR', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', flags: 'dst,dst,src' },
  { set: 'loadBalancerSourceIP', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', flags: 'dst,dst,src' },
]
