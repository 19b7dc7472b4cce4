import { describe, expect, it } from 'vitest'
import type { Service } from '../../../model/service'
import { defaultServiceSpec } from '../../../model/serviceAdmission'
import type { ProxyEndpoint } from '../proxyEndpoints'
import { sepChain } from './chainNames'
import { probability, servicePortRules } from './serviceRules'

function service(ns: string, name: string, spec: Partial<Service['spec']>, ingress?: string): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: defaultServiceSpec(spec),
    status: { loadBalancer: ingress ? { ingress: [{ ip: ingress }] } : {} },
  }
}

function ep(ip: string, port: number, nodeName = 'node1', ready = true): ProxyEndpoint {
  return { ip, port, endpoint: `${ip}:${port}`, ready, serving: ready, terminating: false, nodeName }
}

// testNodeIP in upstream's proxier_test.go.
const opts = { clusterCIDR: '10.0.0.0/8', largeCluster: false, nodeIP: '192.168.0.2' }
const lines = (r: ReturnType<typeof servicePortRules>, table: 'nat' | 'filter') => r.rules.filter((x) => x.table === table).map((x) => x.line)

describe('kube-proxy rules for one service port (TestOverallIPTablesRules in pkg/proxy/iptables)', () => {
  it('writes a ClusterIP service with two endpoints exactly as upstream', () => {
    const svc = service('ns4', 'svc4', { clusterIP: '172.30.0.44', ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }] })
    const r = servicePortRules(svc, svc.spec.ports![0]!, [ep('10.180.0.4', 80), ep('10.180.0.5', 80)], 'node1', opts)
    expect(lines(r, 'nat')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC',
      '-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ',
      '-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80',
      '-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80',
    ])
    expect(lines(r, 'filter')).toEqual([])
  })

  it('rejects in the filter table when a service has no endpoints, and writes no nat chains', () => {
    const svc = service('ns6', 'svc6', { clusterIP: '172.30.0.46', ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }] })
    const r = servicePortRules(svc, svc.spec.ports![0]!, [], 'node1', opts)
    expect(lines(r, 'filter')).toEqual(['-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT'])
    expect(r.natChains).toEqual([])
  })

  it('writes a LoadBalancer with source ranges and ClientIP affinity as upstream (ns5/svc5)', () => {
    const svc = service('ns5', 'svc5', {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.45',
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3002 }],
      sessionAffinity: 'ClientIP',
      loadBalancerSourceRanges: ['203.0.113.0/25'],
    }, '5.6.7.8')
    const r = servicePortRules(svc, svc.spec.ports![0]!, [ep('10.180.0.3', 80)], 'node1', opts)
    expect(lines(r, 'filter')).toEqual([
      '-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP',
    ])
    expect(lines(r, 'nat')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C',
      '-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C',
      '-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ',
      '-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN',
      '-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN',
      '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80',
    ])
  })

  it('lets a node inside a source range reach its own load balancer: one rule per VIP, after the ranges (allowFromNode)', () => {
    const spec = (ranges: string[]): Partial<Service['spec']> => ({
      type: 'LoadBalancer', clusterIP: '172.30.0.45', loadBalancerSourceRanges: ranges,
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3002 }],
    })
    const fw = (ranges: string[]) => {
      const svc = { ...service('ns5', 'svc5', spec(ranges)), status: { loadBalancer: { ingress: [{ ip: '5.6.7.8' }, { ip: '5.6.7.9' }] } } }
      return lines(servicePortRules(svc, svc.spec.ports![0]!, [ep('10.180.0.3', 80)], 'node1', opts), 'nat').filter((l) => l.startsWith('-A KUBE-FW-'))
    }
    // The node (192.168.0.2) is inside 192.168.0.0/16; a range is written as kube-proxy parses and prints it.
    expect(fw([' 203.0.113.7/25', '192.168.0.0/16'])).toEqual([
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 192.168.0.0/16 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 5.6.7.8 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 5.6.7.9 -j KUBE-EXT-NUKIZ6OKUXPJNT4C',
      '-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"',
    ])
    // A node outside every range gets no such rule.
    expect(fw(['203.0.113.0/25']).filter((l) => l.includes('-s 5.6.7.'))).toEqual([])
  })

  it('drops external traffic on a node without a local endpoint under Local policy (ns2/svc2)', () => {
    const svc = service('ns2', 'svc2', {
      type: 'LoadBalancer',
      clusterIP: '172.30.0.42',
      externalIPs: ['192.168.99.22'],
      externalTrafficPolicy: 'Local',
      healthCheckNodePort: 30000,
      ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3001 }],
    }, '1.2.3.4')
    const r = servicePortRules(svc, svc.spec.ports![0]!, [ep('10.180.0.2', 80, 'other-node')], 'node1', opts)
    expect(lines(r, 'filter')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
      '-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT',
    ])
    const nat = lines(r, 'nat')
    expect(nat).toContain('-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT')
    expect(nat).toContain('-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT')
    expect(nat.some((l) => l.includes('KUBE-SVL-'))).toBe(false)
  })

  it('sends external traffic only to local endpoints under Local policy when the node has one', () => {
    const svc = service('ns1', 'svc1', { type: 'NodePort', clusterIP: '172.30.0.41', externalTrafficPolicy: 'Local', ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 3001 }] })
    const r = servicePortRules(svc, svc.spec.ports![0]!, [ep('10.180.0.1', 80, 'remote'), ep('10.180.2.1', 80, 'node1')], 'node1', opts)
    const nat = lines(r, 'nat')
    expect(nat).toContain('-A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVL-XPGD46QRK7WJZT7O')
    expect(nat).toContain('-A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.2.1:80" -j KUBE-SEP-ZX7GRIZKSNUQ3LAJ')
    expect(nat).toContain('-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-SXIVWICOYRO3J4NJ')
  })

  it('drops comments on endpoint rules in large clusters, as upstream does above 1000 endpoints', () => {
    const svc = service('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }] })
    const r = servicePortRules(svc, svc.spec.ports![0]!, [ep('10.0.0.0', 80)], 'node1', { ...opts, largeCluster: true })
    expect(lines(r, 'nat')).toContain('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80')
  })

  it('uses serving terminating endpoints only when none is ready', () => {
    const svc = service('ns1', 'svc1', { clusterIP: '172.30.0.41', ports: [{ name: 'p80', port: 80, protocol: 'TCP', targetPort: 80 }] })
    const terminating: ProxyEndpoint = { ...ep('10.180.0.9', 80), ready: false, serving: true, terminating: true }
    const withReady = servicePortRules(svc, svc.spec.ports![0]!, [ep('10.180.0.1', 80), terminating], 'node1', opts)
    expect(lines(withReady, 'nat').some((l) => l.includes('10.180.0.9'))).toBe(false)
    const onlyTerminating = servicePortRules(svc, svc.spec.ports![0]!, [terminating], 'node1', opts)
    const sep = sepChain('ns1/svc1:p80', 'tcp', '10.180.0.9:80')
    expect(lines(onlyTerminating, 'nat')).toContain(`-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.9:80" -j ${sep}`)
  })

  it('prints probabilities with 10 decimals', () => {
    expect([3, 2, 1].map(probability)).toEqual(['0.3333333333', '0.5000000000', '1.0000000000'])
    expect(probability(100001)).toBe('0.0000099999')
  })
})

describe('every jump goes to a chain that is declared (iptables-restore would refuse the whole input otherwise)', () => {
  it('holds for every combination of traffic policies and Service types, on every node', async () => {
    const { webCluster } = await import('../../../testing/scenarios')
    const sim = webCluster()
    const services = []
    for (const type of ['ClusterIP', 'NodePort', 'LoadBalancer'] as const) {
      for (const itp of ['Cluster', 'Local'] as const) {
        for (const etp of type === 'ClusterIP' ? [undefined] : (['Cluster', 'Local'] as const)) {
          const name = `s-${type.toLowerCase()}-${itp.toLowerCase()}${etp ? `-${etp.toLowerCase()}` : ''}`
          services.push({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, internalTrafficPolicy: itp, ...(etp ? { externalTrafficPolicy: etp } : {}), selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } })
        }
      }
    }
    expect(sim.apply(services).ok).toBe(true)
    sim.settle()
    for (const node of ['control-plane', 'worker-1', 'worker-2']) {
      for (const table of sim.kubeProxyRules(node)!.split('COMMIT').filter((t) => t.trim())) {
        const declared = new Set([...table.matchAll(/^:(\S+)/gm)].map((m) => m[1]))
        for (const [, target] of table.matchAll(/ -j (KUBE-\S+)/g)) expect(declared.has(target), `${node}: -j ${target} without :${target}`).toBe(true)
      }
    }
  })
})
