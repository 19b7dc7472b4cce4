import { Map as IMap } from 'immutable'
import { describe, expect, it } from 'vitest'
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../../../model/endpointSlice'
import type { Service } from '../../../model/service'
import { defaultServiceSpec } from '../../../model/serviceAdmission'
import type { WatchView } from '../../../state'
import { nftablesSync, nftablesTable, nftRuleCount } from './nftablesTable'
import { nftablesTransaction } from './nftablesTransaction'

// NewFakeProxier in upstream's pkg/proxy/nftables/proxier_test.go: pod network 10.0.0.0/8, Services 172.30.0.0/16,
// node "test-node" at 192.168.0.2, NodePorts on that address only.
const NODE = { name: 'test-node', ip: '192.168.0.2' }
const POD_CIDR = '10.0.0.0/8'
const SERVICE_CIDR = '172.30.0.0/16'

function service(ns: string, name: string, spec: Partial<Service['spec']>, ingress?: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, resourceVersion: '1' },
    spec: defaultServiceSpec(spec),
    status: { loadBalancer: ingress ? { ingress: [{ ip: ingress }] } : {} },
  }
}

function slice(ns: string, svc: string, endpoints: { ip: string; nodeName?: string }[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-1`, namespace: ns, resourceVersion: '1', labels: { [SERVICE_NAME_LABEL]: svc } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: {}, ...(e.nodeName ? { nodeName: e.nodeName } : {}) })),
    ports: [{ name: 'p80', port: 80, protocol: 'TCP' }],
  }
}

function view(services: Service[], slices: EndpointSlice[]): WatchView {
  return {
    services: IMap(services.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s])),
    endpointSlices: IMap(slices.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s])),
    syncedAt: 0,
  }
}

const p80 = (extra: object = {}) => [{ name: 'p80', port: 80, protocol: 'TCP' as const, targetPort: 80, ...extra }]

/** TestOverallNFTablesRules' Services and EndpointSlices. */
const overall = view(
  [
    service('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: p80() }),
    service('ns2', 'svc2', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.42', ports: p80({ nodePort: 3001 }), externalIPs: ['192.168.99.22'], healthCheckNodePort: 30000 }, '1.2.3.4'),
    service('ns3', 'svc3', { type: 'NodePort', clusterIP: '172.30.0.43', ports: p80({ nodePort: 3003 }) }),
    service('ns4', 'svc4', { type: 'NodePort', clusterIP: '172.30.0.44', externalIPs: ['192.168.99.33'], ports: p80() }),
    service('ns5', 'svc5', {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Cluster',
      clusterIP: '172.30.0.45',
      ports: p80({ nodePort: 3002 }),
      healthCheckNodePort: 30000,
      // Extra whitespace, as upstream's test has it: kube-proxy trims it.
      loadBalancerSourceRanges: [' 203.0.113.0/25'],
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } },
    }, '5.6.7.8'),
    service('ns6', 'svc6', { clusterIP: '172.30.0.46', ports: p80() }),
  ],
  [
    slice('ns1', 'svc1', [{ ip: '10.180.0.1' }]),
    // No nodeName: not local, so svc2 (externalTrafficPolicy Local) has no local endpoints.
    slice('ns2', 'svc2', [{ ip: '10.180.0.2' }]),
    slice('ns3', 'svc3', [{ ip: '10.180.0.3' }]),
    slice('ns4', 'svc4', [{ ip: '10.180.0.4' }, { ip: '10.180.0.5', nodeName: 'test-node' }]),
    slice('ns5', 'svc5', [{ ip: '10.180.0.3' }]),
  ],
)

/**
 * The `expected` dump of TestOverallNFTablesRules, as kube-proxy v1.33 writes it: upstream's test at that release has
 * the filter chains at dstnat-10 (-110) with filter-output-post-dnat at dstnat+10 (-90), and the ClusterIP masquerade
 * rule matching the port (`tcp dport 80`); later releases renamed the chains and dropped the port.
 */
const EXPECTED = `
add table ip kube-proxy { comment "rules for kube-proxy" ; }

add set ip kube-proxy cluster-ips { type ipv4_addr ; comment "Active ClusterIPs" ; }
add set ip kube-proxy nodeport-ips { type ipv4_addr ; comment "IPs that accept NodePort traffic" ; }

add map ip kube-proxy firewall-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }
add map ip kube-proxy no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }
add map ip kube-proxy no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }
add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }
add map ip kube-proxy service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }

add chain ip kube-proxy cluster-ips-check
add chain ip kube-proxy filter-prerouting { type filter hook prerouting priority -110 ; }
add chain ip kube-proxy filter-forward { type filter hook forward priority -110 ; }
add chain ip kube-proxy filter-input { type filter hook input priority -110 ; }
add chain ip kube-proxy filter-output { type filter hook output priority -110 ; }
add chain ip kube-proxy filter-output-post-dnat { type filter hook output priority -90 ; }
add chain ip kube-proxy firewall-check
add chain ip kube-proxy mark-for-masquerade
add chain ip kube-proxy masquerading
add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }
add chain ip kube-proxy nat-postrouting { type nat hook postrouting priority 100 ; }
add chain ip kube-proxy nat-prerouting { type nat hook prerouting priority -100 ; }
add chain ip kube-proxy nodeport-endpoints-check
add chain ip kube-proxy reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }
add chain ip kube-proxy services
add chain ip kube-proxy service-endpoints-check

add rule ip kube-proxy cluster-ips-check ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"
add rule ip kube-proxy cluster-ips-check ip daddr { 172.30.0.0/16 } drop comment "Drop traffic to unallocated ClusterIPs"
add rule ip kube-proxy filter-prerouting ct state new jump firewall-check
add rule ip kube-proxy filter-forward ct state new jump service-endpoints-check
add rule ip kube-proxy filter-forward ct state new jump cluster-ips-check
add rule ip kube-proxy filter-input ct state new jump nodeport-endpoints-check
add rule ip kube-proxy filter-input ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump service-endpoints-check
add rule ip kube-proxy filter-output ct state new jump firewall-check
add rule ip kube-proxy filter-output-post-dnat ct state new jump cluster-ips-check
add rule ip kube-proxy firewall-check ip daddr . meta l4proto . th dport vmap @firewall-ips
add rule ip kube-proxy mark-for-masquerade mark set mark or 0x4000
add rule ip kube-proxy masquerading mark and 0x4000 == 0 return
add rule ip kube-proxy masquerading mark set mark xor 0x4000
add rule ip kube-proxy masquerading masquerade fully-random
add rule ip kube-proxy nat-output jump services
add rule ip kube-proxy nat-postrouting jump masquerading
add rule ip kube-proxy nat-prerouting jump services
add rule ip kube-proxy nodeport-endpoints-check ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports
add rule ip kube-proxy reject-chain reject
add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips
add rule ip kube-proxy services ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports

add element ip kube-proxy nodeport-ips { 192.168.0.2 }
add rule ip kube-proxy service-endpoints-check ip daddr . meta l4proto . th dport vmap @no-endpoint-services

# svc1
add chain ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 ip daddr 172.30.0.41 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-ULMVA6XW-ns1/svc1/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 }

add chain ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 ip saddr 10.180.0.1 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80 meta l4proto tcp dnat to 10.180.0.1:80

add element ip kube-proxy cluster-ips { 172.30.0.41 }
add element ip kube-proxy service-ips { 172.30.0.41 . tcp . 80 : goto service-ULMVA6XW-ns1/svc1/tcp/p80 }

# svc2
add chain ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80
add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 ip daddr 172.30.0.42 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-42NFTM6N-ns2/svc2/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 }
add chain ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 ip saddr 10.0.0.0/8 goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit pod traffic"
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local jump mark-for-masquerade comment "masquerade local traffic"
add rule ip kube-proxy external-42NFTM6N-ns2/svc2/tcp/p80 fib saddr type local goto service-42NFTM6N-ns2/svc2/tcp/p80 comment "short-circuit local traffic"
add chain ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80
add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 ip saddr 10.180.0.2 jump mark-for-masquerade
add rule ip kube-proxy endpoint-SGOXE6O3-ns2/svc2/tcp/p80__10.180.0.2/80 meta l4proto tcp dnat to 10.180.0.2:80

add element ip kube-proxy cluster-ips { 172.30.0.42 }
add element ip kube-proxy service-ips { 172.30.0.42 . tcp . 80 : goto service-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-ips { 192.168.99.22 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-ips { 1.2.3.4 . tcp . 80 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3001 : goto external-42NFTM6N-ns2/svc2/tcp/p80 }

add element ip kube-proxy no-endpoint-nodeports { tcp . 3001 comment "ns2/svc2:p80" : drop }
add element ip kube-proxy no-endpoint-services { 1.2.3.4 . tcp . 80 comment "ns2/svc2:p80" : drop }
add element ip kube-proxy no-endpoint-services { 192.168.99.22 . tcp . 80 comment "ns2/svc2:p80" : drop }

# svc3
add chain ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 ip daddr 172.30.0.43 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-4AT6LBPK-ns3/svc3/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 }
add chain ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-4AT6LBPK-ns3/svc3/tcp/p80 goto service-4AT6LBPK-ns3/svc3/tcp/p80
add chain ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UEIP74TE-ns3/svc3/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80

add element ip kube-proxy cluster-ips { 172.30.0.43 }
add element ip kube-proxy service-ips { 172.30.0.43 . tcp . 80 : goto service-4AT6LBPK-ns3/svc3/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3003 : goto external-4AT6LBPK-ns3/svc3/tcp/p80 }

# svc4
add chain ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 ip daddr 172.30.0.44 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-LAUZTJTB-ns4/svc4/tcp/p80 numgen random mod 2 vmap { 0 : goto endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 , 1 : goto endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 }
add chain ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80
add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-LAUZTJTB-ns4/svc4/tcp/p80 goto service-LAUZTJTB-ns4/svc4/tcp/p80
add chain ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80
add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 ip saddr 10.180.0.5 jump mark-for-masquerade
add rule ip kube-proxy endpoint-5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80 meta l4proto tcp dnat to 10.180.0.5:80
add chain ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80
add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 ip saddr 10.180.0.4 jump mark-for-masquerade
add rule ip kube-proxy endpoint-UNZV3OEC-ns4/svc4/tcp/p80__10.180.0.4/80 meta l4proto tcp dnat to 10.180.0.4:80

add element ip kube-proxy cluster-ips { 172.30.0.44 }
add element ip kube-proxy service-ips { 172.30.0.44 . tcp . 80 : goto service-LAUZTJTB-ns4/svc4/tcp/p80 }
add element ip kube-proxy service-ips { 192.168.99.33 . tcp . 80 : goto external-LAUZTJTB-ns4/svc4/tcp/p80 }

# svc5
add set ip kube-proxy affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }
add chain ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip daddr 172.30.0.45 tcp dport 80 ip saddr != 10.0.0.0/8 jump mark-for-masquerade
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy service-HVFWP5L3-ns5/svc5/tcp/p80 numgen random mod 1 vmap { 0 : goto endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 }
add chain ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 jump mark-for-masquerade
add rule ip kube-proxy external-HVFWP5L3-ns5/svc5/tcp/p80 goto service-HVFWP5L3-ns5/svc5/tcp/p80

add chain ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 ip saddr 10.180.0.3 jump mark-for-masquerade
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 update @affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 { ip saddr }
add rule ip kube-proxy endpoint-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 meta l4proto tcp dnat to 10.180.0.3:80

add chain ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80
add rule ip kube-proxy firewall-HVFWP5L3-ns5/svc5/tcp/p80 ip saddr != { 203.0.113.0/25 } drop

add element ip kube-proxy cluster-ips { 172.30.0.45 }
add element ip kube-proxy service-ips { 172.30.0.45 . tcp . 80 : goto service-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-ips { 5.6.7.8 . tcp . 80 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy service-nodeports { tcp . 3002 : goto external-HVFWP5L3-ns5/svc5/tcp/p80 }
add element ip kube-proxy firewall-ips { 5.6.7.8 . tcp . 80 : goto firewall-HVFWP5L3-ns5/svc5/tcp/p80 }

# svc6
add element ip kube-proxy cluster-ips { 172.30.0.46 }
add element ip kube-proxy no-endpoint-services { 172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain }
`

const lines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))

/**
 * The objects a transaction leaves, one `add` line each, as knftables' fake Dump() lists them: flushes and deletes
 * dropped, and a base chain's first, bare `add chain` (the add-and-delete of a first sync) replaced by its typed one.
 */
function dump(transaction: string): string[] {
  const all = lines(transaction).filter((l) => l.startsWith('add '))
  const typed = new Set(all.filter((l) => l.includes(' { type ')).map((l) => l.split(' ')[4]))
  return [...new Set(all.filter((l) => !(l.startsWith('add chain ') && l.split(' ').length === 5 && typed.has(l.split(' ')[4]))))]
}

const rulesOf = (dumped: readonly string[], chain: string) => dumped.filter((l) => l.startsWith(`add rule ip kube-proxy ${chain} `))

describe('kube-proxy in nftables mode, against upstream (TestOverallNFTablesRules)', () => {
  const table = nftablesTable(overall, NODE, POD_CIDR, SERVICE_CIDR)
  const got = dump(nftablesTransaction(table))
  const want = lines(EXPECTED)

  it('writes exactly the objects, rules and elements upstream expects, no more and no fewer', () => {
    expect([...got].sort()).toEqual([...want].sort())
  })

  it('writes each chain\'s rules in upstream\'s order', () => {
    for (const chain of table.chains) expect(rulesOf(got, chain.name), chain.name).toEqual(rulesOf(want, chain.name))
  })

  it('counts rules and map elements: what the story reports as the node\'s rule count', () => {
    const rules = want.filter((l) => l.startsWith('add rule ')).length
    const elements = want.filter((l) => l.startsWith('add element ')).length
    expect(nftRuleCount(table)).toBe(rules + elements)
  })
})

describe('the table a sync leaves', () => {
  it('is built once per watch view and node, and differs between nodes only where the node shows', () => {
    const a = nftablesSync(overall, NODE, POD_CIDR, SERVICE_CIDR)
    expect(nftablesSync(overall, NODE, POD_CIDR, SERVICE_CIDR)).toBe(a)
    const other = nftablesTable(overall, { name: 'node2', ip: '192.168.0.3' }, POD_CIDR, SERVICE_CIDR)
    expect(other.sets.find((s) => s.name === 'nodeport-ips')!.elements).toEqual([{ key: ['192.168.0.3'] }])
    // svc4's endpoint 10.180.0.5 is on test-node, but its policies are Cluster: every node has both endpoints.
    expect(other.chains.map((c) => c.name)).toEqual(a.table.chains.map((c) => c.name))
  })

  it('lists base chains first, then the chains in the order the sync created them', () => {
    const table = nftablesTable(overall, NODE, POD_CIDR, SERVICE_CIDR)
    expect(table.chains.slice(0, 8).map((c) => c.name)).toEqual(['filter-prerouting', 'filter-input', 'filter-forward', 'filter-output', 'filter-output-post-dnat', 'nat-prerouting', 'nat-output', 'nat-postrouting'])
    expect(table.chains.find((c) => c.name === 'masquerading')!.rules.map((r) => r.text)).toEqual([
      'meta mark & 0x00004000 == 0x00000000 return',
      'meta mark set meta mark ^ 0x00004000',
      'masquerade fully-random',
    ])
  })

  it('gives a Local-policy Service with an endpoint on this node a local- chain, and drops at the others', () => {
    const local = view(
      [service('ns', 'web', { type: 'NodePort', externalTrafficPolicy: 'Local', clusterIP: '172.30.0.50', ports: p80({ nodePort: 30080 }) })],
      [slice('ns', 'web', [{ ip: '10.180.1.1', nodeName: 'test-node' }])],
    )
    const here = nftablesTable(local, NODE, POD_CIDR, SERVICE_CIDR)
    const ext = here.chains.find((c) => c.name.startsWith('external-'))!
    expect(ext.rules.at(-1)!.text).toMatch(/^goto local-\w{8}-ns\/web\/tcp\/p80$/)
    const elsewhere = nftablesTable(local, { name: 'node2', ip: '192.168.0.3' }, POD_CIDR, SERVICE_CIDR)
    expect(elsewhere.chains.some((c) => c.name.startsWith('local-'))).toBe(false)
    expect(elsewhere.sets.find((s) => s.name === 'no-endpoint-nodeports')!.elements).toEqual([{ key: ['tcp', '30080'], value: { kind: 'drop' }, comment: 'ns/web:p80' }])
  })

  it('lets the node through its own load balancer\'s source ranges when the node is inside one (allowFromNode)', () => {
    const lb = (ranges: string[]) => view([service('ns', 'lb', { type: 'LoadBalancer', clusterIP: '172.30.0.51', ports: p80({ nodePort: 30081 }), loadBalancerSourceRanges: ranges }, '5.6.7.8')], [])
    const fw = (ranges: string[]) => nftablesTable(lb(ranges), NODE, POD_CIDR, SERVICE_CIDR).chains.find((c) => c.name.startsWith('firewall-') && c.name.includes('/'))!.rules[0]!
    expect(fw(['203.0.113.0/25']).source).toBe('ip saddr != { 203.0.113.0/25 } drop')
    expect(fw(['192.168.0.0/24', '203.0.113.0/25']).source).toBe('ip saddr != { 192.168.0.0/24 , 203.0.113.0/25 , 5.6.7.8 } drop')
    expect(fw(['192.168.0.0/24', '203.0.113.0/25']).text).toBe('ip saddr != { 5.6.7.8, 192.168.0.0/24, 203.0.113.0/25 } drop')
    // Written with no endpoints too, unlike the iptables mode's firewall chain.
    expect(nftablesTable(lb(['203.0.113.0/25']), NODE, POD_CIDR, SERVICE_CIDR).sets.find((s) => s.name === 'firewall-ips')!.elements).toHaveLength(1)
  })
})
