import { Map as IMap } from 'immutable'
import { describe, expect, it } from 'vitest'
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../../../model/endpointSlice'
import type { IpvsNode } from '../../../model/ipvs'
import type { Service } from '../../../model/service'
import { defaultServiceSpec } from '../../../model/serviceAdmission'
import type { WatchView } from '../../../state'
import { ipvsNode, ipvsNodeAddresses, ipvsRuleCount } from './ipvsNode'

/**
 * Scenarios from upstream's pkg/proxy/ipvs/proxier_test.go, over Services and EndpointSlices built as its tests build
 * them (testNodeName "test-node", node IP 100.101.102.103), checking the same virtual servers, real servers, ipset
 * entries and iptables rules it checks (checkIPVS, checkIPSet, checkIptables).
 */

const NODE = { name: 'test-node', ip: '100.101.102.103' }
const CIDR = '10.0.0.0/8'

function service(name: string, spec: Partial<Service['spec']>, ingress?: string): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'ns1' }, spec: defaultServiceSpec(spec), status: { loadBalancer: ingress ? { ingress: [{ ip: ingress }] } : {} } }
}

function slice(svc: string, protocol: 'TCP' | 'UDP' | 'SCTP', endpoints: readonly (readonly [string, string?])[], port = 80): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${svc}-1`, namespace: 'ns1', labels: { [SERVICE_NAME_LABEL]: svc } },
    addressType: 'IPv4',
    endpoints: endpoints.map(([ip, nodeName]) => ({ addresses: [ip], conditions: { ready: true }, ...(nodeName ? { nodeName } : {}) })),
    ports: [{ name: 'p80', port, protocol }],
  }
}

function sync(services: readonly Service[], slices: readonly EndpointSlice[] = [], node: { name: string; ip: string; addresses?: string[] } = NODE): IpvsNode {
  const view: WatchView = {
    services: IMap(services.map((s) => [`ns1/${s.metadata.name}`, s])),
    endpointSlices: IMap(slices.map((s) => [`ns1/${s.metadata.name}`, s])),
    syncedAt: 0,
  }
  return ipvsNode(view, node, CIDR)
}

const p80 = (protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP', nodePort?: number) => [{ name: 'p80', port: 80, protocol, targetPort: 80, ...(nodePort ? { nodePort } : {}) }]
const servers = (n: IpvsNode) => n.virtualServers.map((vs) => `${vs.protocol} ${vs.ip}:${vs.port} -> ${vs.realServers.map((r) => `${r.ip}:${r.port}`).join(' ')}`.trim())
const entries = (n: IpvsNode, set: string) => n.ipsets.find((s) => s.name === set)!.entries
const chain = (n: IpvsNode, table: 'nat' | 'filter', name: string) => (n.iptables[table].rules.get(name) ?? []).map((r) => r.line)

describe('IPVS mode after a full sync (pkg/proxy/ipvs proxier_test.go)', () => {
  it('gives a ClusterIP with no endpoints a virtual server and no real server (TestClusterIPNoEndpoint)', () => {
    const n = sync([service('svc1', { clusterIP: '10.20.30.41', ports: p80() })])
    expect(servers(n)).toEqual(['TCP 10.20.30.41:80 ->'])
    expect(n.virtualServers[0]).toMatchObject({ scheduler: 'rr', servicePort: 'ns1/svc1:p80' })
    expect(entries(n, 'KUBE-CLUSTER-IP')).toEqual(['10.20.30.41,tcp:80'])
    expect(n.dummyAddresses).toEqual(['10.20.30.41'])
  })

  it('puts a NodePort on every node address, with the same real servers, weight 1 (TestNodePortIPv4)', () => {
    const svc = service('svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: p80('TCP', 3001) })
    const n = sync([svc], [slice('svc1', 'TCP', [['10.180.0.1']])])
    expect(servers(n)).toEqual(['TCP 10.20.30.41:80 -> 10.180.0.1:80', 'TCP 100.101.102.103:3001 -> 10.180.0.1:80'])
    expect(n.virtualServers[1]!.realServers).toEqual([{ ip: '10.180.0.1', port: 80, weight: 1 }])
    // Node addresses are not bound to kube-ipvs0.
    expect(n.dummyAddresses).toEqual(['10.20.30.41'])
    const all = sync([svc], [], { ...NODE, addresses: ipvsNodeAddresses(NODE.ip, '10.244.1.0/24') })
    expect(servers(all)).toEqual(['TCP 10.20.30.41:80 ->', 'TCP 100.101.102.103:3001 ->', 'TCP 10.244.1.0:3001 ->', 'TCP 10.244.1.1:3001 ->'])
  })

  it('masquerades a UDP NodePort through KUBE-NODE-PORT-UDP and accepts the ClusterIP for IPVS', () => {
    const n = sync([service('svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: p80('UDP', 3001) })], [slice('svc1', 'UDP', [['10.180.0.1']])])
    expect(entries(n, 'KUBE-NODE-PORT-UDP')).toEqual(['3001'])
    expect(chain(n, 'nat', 'KUBE-NODE-PORT')).toEqual(['-A KUBE-NODE-PORT -p udp -m comment --comment "Kubernetes nodeport UDP port for masquerade purpose" -m set --match-set KUBE-NODE-PORT-UDP dst -j KUBE-MARK-MASQ'])
    expect(chain(n, 'filter', 'KUBE-NODE-PORT')).toEqual(['-A KUBE-NODE-PORT -m comment --comment "Kubernetes health check node port" -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT'])
    expect(chain(n, 'nat', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN',
      '-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT',
      '-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT',
    ])
  })

  it('keys an SCTP NodePort by every node address, and sends Local traffic to local endpoints only', () => {
    const svc = service('svc1', { type: 'NodePort', clusterIP: '10.20.30.41', externalTrafficPolicy: 'Local', ports: p80('SCTP', 3001) })
    const n = sync([svc], [slice('svc1', 'SCTP', [['10.180.0.1', 'test-node'], ['10.180.1.1', 'other-node']])], { ...NODE, addresses: ['100.101.102.103', '100.101.102.104'] })
    expect(servers(n)).toEqual(['SCTP 10.20.30.41:80 -> 10.180.0.1:80 10.180.1.1:80', 'SCTP 100.101.102.103:3001 -> 10.180.0.1:80', 'SCTP 100.101.102.104:3001 -> 10.180.0.1:80'])
    expect(entries(n, 'KUBE-NODE-PORT-SCTP-HASH')).toEqual(['100.101.102.103,sctp:3001', '100.101.102.104,sctp:3001'])
    expect(entries(n, 'KUBE-NODE-PORT-LOCAL-SCTP-HASH')).toEqual(['100.101.102.103,sctp:3001', '100.101.102.104,sctp:3001'])
    expect(chain(n, 'nat', 'KUBE-NODE-PORT')).toEqual([
      '-A KUBE-NODE-PORT -p sctp -m comment --comment "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type \'hash ip:port\'" -m set --match-set KUBE-NODE-PORT-LOCAL-SCTP-HASH dst,dst -j RETURN',
      '-A KUBE-NODE-PORT -p sctp -m comment --comment "Kubernetes nodeport SCTP port for masquerade purpose with type \'hash ip:port\'" -m set --match-set KUBE-NODE-PORT-SCTP-HASH dst,dst -j KUBE-MARK-MASQ',
    ])
    // The local endpoint's hairpin traffic is masqueraded.
    expect(entries(n, 'KUBE-LOOP-BACK')).toEqual(['10.180.0.1,sctp:80,10.180.0.1'])
  })

  it('returns Local NodePort traffic before masquerading it (TestOnlyLocalNodePorts)', () => {
    const svc = service('svc1', { type: 'NodePort', clusterIP: '10.20.30.41', externalTrafficPolicy: 'Local', ports: p80('TCP', 3001) })
    const n = sync([svc], [slice('svc1', 'TCP', [['10.180.0.1', 'test-node'], ['10.180.1.1', 'other-node']])])
    expect(servers(n)[1]).toBe('TCP 100.101.102.103:3001 -> 10.180.0.1:80')
    expect(entries(n, 'KUBE-NODE-PORT-TCP')).toEqual(['3001'])
    expect(entries(n, 'KUBE-NODE-PORT-LOCAL-TCP')).toEqual(['3001'])
    expect(chain(n, 'nat', 'KUBE-NODE-PORT').map((l) => l.split(' ').slice(-1)[0])).toEqual(['RETURN', 'KUBE-MARK-MASQ'])
  })

  it('opens only the health-check ports of Local load balancers (TestHealthCheckNodePort)', () => {
    const lb = (name: string, hc: number, policy: 'Local' | 'Cluster') => service(name, { type: 'LoadBalancer', clusterIP: '10.20.30.41', externalTrafficPolicy: policy, healthCheckNodePort: hc, ports: p80('TCP', 3000) })
    const n = sync([lb('valid-svc1', 30000, 'Local'), lb('valid-svc2', 30001, 'Local'), lb('invalid-svc3', 30002, 'Cluster')])
    expect(entries(n, 'KUBE-HEALTH-CHECK-NODE-PORT')).toEqual(['30000', '30001'])
  })

  it('filters load-balancer source ranges, and keeps the node itself out when no range holds it (TestLoadBalancerSourceRanges)', () => {
    const svc = service('svc1', { type: 'LoadBalancer', clusterIP: '10.20.30.41', loadBalancerSourceRanges: ['10.0.0.0/8'], ports: p80() }, '1.2.3.4')
    const n = sync([svc], [slice('svc1', 'TCP', [['10.180.0.1']])])
    expect(servers(n)).toContain('TCP 1.2.3.4:80 -> 10.180.0.1:80')
    expect(entries(n, 'KUBE-LOAD-BALANCER')).toEqual(['1.2.3.4,tcp:80'])
    expect(entries(n, 'KUBE-LOAD-BALANCER-FW')).toEqual(['1.2.3.4,tcp:80'])
    expect(entries(n, 'KUBE-LOAD-BALANCER-SOURCE-CIDR')).toEqual(['1.2.3.4,tcp:80,10.0.0.0/8'])
    expect(entries(n, 'KUBE-LOAD-BALANCER-SOURCE-IP')).toEqual([])
    expect(chain(n, 'filter', 'KUBE-PROXY-FIREWALL')).toEqual(['-A KUBE-PROXY-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port for load balancer with sourceRange" -m set --match-set KUBE-LOAD-BALANCER-FW dst,dst -j KUBE-SOURCE-RANGES-FIREWALL'])
    expect(chain(n, 'filter', 'KUBE-SOURCE-RANGES-FIREWALL')).toEqual([
      '-A KUBE-SOURCE-RANGES-FIREWALL -m comment --comment "Kubernetes service load balancer ip + port + source cidr for packet filter purpose" -m set --match-set KUBE-LOAD-BALANCER-SOURCE-CIDR dst,dst,src -j RETURN',
      '-A KUBE-SOURCE-RANGES-FIREWALL -j DROP',
    ])
    expect(chain(n, 'filter', 'KUBE-IPVS-OUT-FILTER')).toEqual(['-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP'])
    // A node inside a range: its looped-back request (source the VIP) is let in instead.
    const inside = sync([svc], [], { name: 'test-node', ip: '10.1.2.3' })
    expect(entries(inside, 'KUBE-LOAD-BALANCER-SOURCE-IP')).toEqual(['1.2.3.4,tcp:80,1.2.3.4'])
    expect(chain(inside, 'filter', 'KUBE-IPVS-OUT-FILTER')).toEqual([])
  })

  it('accepts external IPs from off the machine or for a local address (TestAcceptIPVSTraffic)', () => {
    const n = sync([
      service('svc1', { clusterIP: '10.20.30.40', externalIPs: ['5.6.7.8'], ports: p80('TCP', 80) }),
      service('svc2', { type: 'LoadBalancer', clusterIP: '10.20.30.41', ports: p80('TCP', 80) }, '1.2.3.4'),
      service('svc3', { type: 'NodePort', clusterIP: '10.20.30.42', ports: p80('TCP', 80) }),
    ])
    expect(chain(n, 'nat', 'KUBE-SERVICES').map((l) => `${/--match-set (\S+)/.exec(l)?.[1] ?? '-'} ${l.split(' ').slice(-1)[0]}`)).toEqual([
      '- RETURN', 'KUBE-LOAD-BALANCER KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP KUBE-MARK-MASQ', 'KUBE-EXTERNAL-IP KUBE-MARK-MASQ',
      'KUBE-EXTERNAL-IP ACCEPT', 'KUBE-EXTERNAL-IP ACCEPT', '- KUBE-NODE-PORT', 'KUBE-CLUSTER-IP ACCEPT', 'KUBE-LOAD-BALANCER ACCEPT',
    ])
    expect(chain(n, 'nat', 'KUBE-SERVICES')[4]).toBe('-A KUBE-SERVICES -m comment --comment "Kubernetes service external ip + port for masquerade and filter purpose" -m set --match-set KUBE-EXTERNAL-IP dst,dst -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT')
    expect(n.dummyAddresses).toEqual(['10.20.30.40', '5.6.7.8', '10.20.30.41', '1.2.3.4', '10.20.30.42'])
  })

  it('serves a Local load balancer from local endpoints and skips masquerading (TestOnlyLocalLoadBalancing)', () => {
    const svc = service('svc1', { type: 'LoadBalancer', clusterIP: '10.20.30.41', externalTrafficPolicy: 'Local', ports: p80('TCP', 3001) }, '1.2.3.4')
    const n = sync([svc], [slice('svc1', 'TCP', [['10.180.0.1', 'test-node'], ['10.180.1.1', 'other-node']])])
    expect(servers(n)).toContain('TCP 1.2.3.4:80 -> 10.180.0.1:80')
    expect(entries(n, 'KUBE-LOAD-BALANCER-LOCAL')).toEqual(['1.2.3.4,tcp:80'])
    expect(chain(n, 'nat', 'KUBE-LOAD-BALANCER')).toEqual([
      '-A KUBE-LOAD-BALANCER -m comment --comment "Kubernetes service load balancer ip + port with externalTrafficPolicy=local" -m set --match-set KUBE-LOAD-BALANCER-LOCAL dst,dst -j RETURN',
      '-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ',
    ])
    // With no local endpoint the node's own pods still reach it through the cluster's (kubernetes#97081).
    const elsewhere = sync([svc], [slice('svc1', 'TCP', [['10.180.1.1', 'other-node']])])
    expect(servers(elsewhere)).toContain('TCP 1.2.3.4:80 -> 10.180.1.1:80')
  })

  it('makes ClientIP affinity a persistent service, 10800 s unless the Service says otherwise', () => {
    const sticky = (name: string, timeoutSeconds?: number) =>
      service(name, { clusterIP: name === 'a' ? '10.20.30.41' : '10.20.30.42', sessionAffinity: 'ClientIP', ...(timeoutSeconds ? { sessionAffinityConfig: { clientIP: { timeoutSeconds } } } : {}), ports: p80() })
    const n = sync([sticky('a'), sticky('b', 60)])
    expect(n.virtualServers.map((vs) => vs.persistent)).toEqual([10800, 60])
  })

  it('gives an internal Local policy without local endpoints no real server, and binds no address a node already has', () => {
    const local = service('svc1', { clusterIP: '10.20.30.41', internalTrafficPolicy: 'Local', ports: p80() })
    const ext = service('svc2', { clusterIP: '10.20.30.42', externalIPs: ['100.101.102.103'], ports: p80() })
    const n = sync([local, ext], [slice('svc1', 'TCP', [['10.180.1.1', 'other-node']])])
    expect(servers(n)[0]).toBe('TCP 10.20.30.41:80 ->')
    expect(n.dummyAddresses).toEqual(['10.20.30.41', '10.20.30.42'])
    expect(entries(n, 'KUBE-IPVS-IPS')).toEqual(['10.20.30.41', '10.20.30.42'])
    // Reachable from outside, it uses the cluster's endpoints when none is local (UsesClusterEndpoints).
    const reachable = sync([{ ...local, spec: { ...local.spec, externalIPs: ['5.6.7.8'] } }], [slice('svc1', 'TCP', [['10.180.1.1', 'other-node']])])
    expect(servers(reachable)[0]).toBe('TCP 10.20.30.41:80 -> 10.180.1.1:80')
  })

  it('counts rules, set entries, virtual and real servers, and renders an unchanged view once', () => {
    const svcs = [service('svc1', { type: 'NodePort', clusterIP: '10.20.30.41', ports: p80('TCP', 3001) })]
    const n = sync(svcs, [slice('svc1', 'TCP', [['10.180.0.1']])])
    const rules = [...n.iptables.filter.rules.values(), ...n.iptables.nat.rules.values()].reduce((c, l) => c + l.length, 0)
    expect(ipvsRuleCount(n)).toBe(rules + 3 /* CLUSTER-IP, NODE-PORT-TCP, IPVS-IPS */ + 2 + 2)
    const view: WatchView = { services: IMap(), endpointSlices: IMap(), syncedAt: 0 }
    expect(ipvsNode(view, NODE, CIDR)).toBe(ipvsNode(view, NODE, CIDR))
  })
})
