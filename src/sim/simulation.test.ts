import { describe, expect, it } from 'vitest'
import { createSimulation } from './index'
import type { EndpointSlice } from './model/endpointSlice'
import type { Service } from './model/service'
import { expectGolden } from './testing/golden'
import { webCluster } from './testing/scenarios'

const golden = (name: string, text: string) => expectGolden(`${__dirname}/__golden__/${name}`, text)

describe('a fresh kubeadm cluster', () => {
  it('has a tainted control plane, workers with a /24 each, and the two system Services at their fixed IPs', () => {
    const sim = createSimulation({ seed: 42, workers: 2 })
    const nodes = sim.list('Node')
    expect(nodes.map((n) => [n.metadata.name, (n.spec as { podCIDR: string }).podCIDR])).toEqual([
      ['control-plane', '10.244.0.0/24'], ['worker-1', '10.244.1.0/24'], ['worker-2', '10.244.2.0/24'],
    ])
    expect((nodes[0]!.spec as { taints: unknown }).taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }])
    const kubernetes = sim.get('Service', 'default', 'kubernetes')!.spec as { clusterIP: string; ports: unknown }
    expect(kubernetes.clusterIP).toBe('10.96.0.1')
    expect(kubernetes.ports).toEqual([{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }])
    const apiSlice = sim.get('EndpointSlice', 'default', 'kubernetes') as EndpointSlice
    expect(apiSlice.endpoints).toEqual([{ addresses: ['172.18.0.2'], conditions: { ready: true } }])
    expect((sim.get('Service', 'kube-system', 'kube-dns')!.spec as { clusterIP: string }).clusterIP).toBe('10.96.0.10')
    const coredns = sim.list('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('coredns-'))
    expect(coredns).toHaveLength(2)
    expect(sim.list('Pod', 'kube-system').filter((p) => p.metadata.name.startsWith('kube-proxy-'))).toHaveLength(3)
  })

  it('writes the bootstrap rules on every node, and flannel its masquerade for the node\'s pod CIDR (golden iptables-save)', () => {
    const sim = createSimulation({ seed: 42, workers: 2 })
    const text = sim.kubeProxyRules('worker-1')!
    expect(text).toContain('-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y')
    expect(text).toContain('-A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN')
    // kube-proxy writes the same rules everywhere; flannel's name each node's own pod CIDR.
    expect(sim.kubeProxyRules('control-plane')).toBe(text.replaceAll('10.244.1.0/24', '10.244.0.0/24'))
    golden('iptables-bootstrap.txt', text)
  })

  it('writes a Service with 3 endpoints (golden iptables-save) and counts its rules', () => {
    const sim = webCluster()
    const text = sim.kubeProxyRules('worker-2')!
    expect(text).toContain('--probability 0.3333333333')
    // The count is kube-proxy's: flannel's rules (commented "flanneld ...") are not in it.
    expect(sim.ruleCount('worker-2')).toBe(text.split('\n').filter((l) => l.startsWith('-A ') && !l.includes('"flanneld ')).length)
    golden('iptables-web-3.txt', text)
  })

  it('writes a load balancer whose source ranges hold the node, and its NodePort on localhost too (golden iptables-save)', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ['172.18.0.0/16', '198.51.100.0/25'], selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } })
    sim.settle()
    const text = sim.kubeProxyRules('worker-1')!
    const vip = (sim.get('Service', 'default', 'lb') as Service).status.loadBalancer.ingress![0]!.ip
    const fw = text.split('\n').filter((l) => l.startsWith('-A KUBE-FW-'))
    expect(fw.map((l) => l.split(' -j ')[0]!.split(' -s ')[1])).toEqual(['172.18.0.0/16', '198.51.100.0/25', vip, undefined])
    expect(text).toContain('-A KUBE-NODEPORTS -m comment --comment default/lb -m tcp -p tcp -d 127.0.0.0/8 --dport 30080 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-')
    expect(sim.ruleCount('worker-1')).toBe(text.split('\n').filter((l) => l.startsWith('-A ') && !l.includes('"flanneld ')).length)
    golden('iptables-lb-source-ranges.txt', text)
  })

  it('answers DNS from the records CoreDNS last synced (golden record table)', () => {
    const sim = webCluster()
    sim.apply([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'search' }, spec: { type: 'ExternalName', externalName: 'search.example.com' } },
    ])
    expect(sim.dnsRecords().some((r) => r.name.startsWith('search.'))).toBe(false)
    sim.settle()
    const records = sim.dnsRecords()
    expect(records).toContainEqual({ name: 'search.default.svc.cluster.local.', type: 'CNAME', ttl: 30, data: 'search.example.com.' })
    expect(records.filter((r) => r.name === 'web-headless.default.svc.cluster.local.' && r.type === 'A')).toHaveLength(3)
    golden('dns-records.txt', records.map((r) => `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`).join('\n') + '\n')
  })
})

describe('the story of a new Service (reference, section 9)', () => {
  it('goes API server, etcd, EndpointSlice controller, CoreDNS, then kube-proxy on every node', () => {
    const sim = webCluster()
    const from = sim.eventCount
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-2' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } })
    sim.settle()
    const story = sim.events({ writes: true }).slice(-(sim.eventCount - from)).filter((e) => e.object.includes('web-2') || e.message.includes('web-2'))
    const actors = story.map((e) => (e.write ? 'etcd' : e.actor))
    const first = (a: string) => actors.findIndex((x) => x.startsWith(a))
    expect(story[0]!.message).toMatch(/^Allocated ClusterIP 10\.\d+\.\d+\.\d+ to Service default\/web-2$/)
    expect(story[1]!.write).toMatchObject({ by: 'kubectl', verb: 'create', key: '/registry/services/specs/default/web-2' })
    expect(first('API server')).toBeLessThan(first('etcd'))
    expect(first('etcd')).toBeLessThan(first('endpointslice-controller'))
    expect(first('endpointslice-controller')).toBeLessThan(first('CoreDNS'))
    expect(first('CoreDNS')).toBeLessThan(first('kube-proxy/'))
    expect(new Set(actors.filter((a) => a.startsWith('kube-proxy/')))).toEqual(new Set(['kube-proxy/control-plane', 'kube-proxy/worker-1', 'kube-proxy/worker-2']))
    expect(story.every((e, i) => i === 0 || e.time >= story[i - 1]!.time)).toBe(true)
  })

  it('prints an object as kubectl get -o yaml does', () => {
    const yaml = webCluster().yaml('svc', 'default', 'web')!
    // kubectl apply's record of what it applied comes first, as a block scalar of one JSON line (Go's sorted keys).
    expect(yaml).toMatch(
      /^apiVersion: v1\nkind: Service\nmetadata:\n {2}annotations:\n {4}kubectl\.kubernetes\.io\/last-applied-configuration: \|\n {6}\{"apiVersion":"v1","kind":"Service","metadata":\{"annotations":\{\},"name":"web","namespace":"default"\},"spec":\{.*\}\}\n {2}creationTimestamp: "2026-01-05T09:00:\d\dZ"\n/,
    )
    expect(yaml).toContain('  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n    targetPort: http\n')
  })

  it('returns a deleted namespace\'s Service addresses to the pool', () => {
    const sim = createSimulation({ seed: 1 })
    sim.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'cart', namespace: 'shop' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } }])
    const ip = (sim.get('Service', 'shop', 'cart')!.spec as { clusterIP: string }).clusterIP
    sim.delete('namespace', undefined, 'shop')
    sim.settle()
    expect(sim.state.clusterIPs.has(ip)).toBe(false)
    expect(sim.state.nodePorts.size).toBe(0)
  })
})

describe('the events of the last moment', () => {
  it('are exactly those at or after the time asked, oldest first', () => {
    const sim = webCluster()
    const at = sim.now
    sim.scale('default', 'web', 4)
    sim.advance(1500)
    const since = sim.eventsSince(at + 400)
    expect(since.length).toBeGreaterThan(0)
    expect(since).toEqual(sim.events().filter((e) => e.time >= at + 400))
    expect(sim.eventsSince(sim.now + 1)).toEqual([])
  })
})

describe('kube-proxy on each node', () => {
  it('drops external traffic for a Local NodePort on nodes without an endpoint, and forwards it where there is one', () => {
    const sim = webCluster({ replicas: 1 })
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-local' }, spec: { type: 'NodePort', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    const node = (sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.spec as { nodeName: string }).nodeName
    const other = node === 'worker-1' ? 'worker-2' : 'worker-1'
    const nodePort = (sim.get('Service', 'default', 'web-local')!.spec as { ports: { nodePort: number }[] }).ports[0]!.nodePort
    expect(sim.kubeProxyRules(other)).toContain(`-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web-local has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport ${nodePort} -j DROP`)
    expect(sim.kubeProxyRules(node)).toMatch(/-A KUBE-EXT-\w+ -j KUBE-SVL-\w+/)
    expect(sim.kubeProxyRules(node)).not.toContain('default/web-local has no local endpoints')
  })

  it('rejects connections to a Service without endpoints', () => {
    const sim = webCluster()
    sim.scale('default', 'web', 0)
    sim.settle()
    const ip = (sim.get('Service', 'default', 'web')!.spec as { clusterIP: string }).clusterIP
    expect(sim.kubeProxyRules('worker-1')).toContain(`-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d ${ip} --dport 80 -j REJECT`)
  })

  it('rewrites its rules a moment after a change, not at once: a Ready pod is briefly not in the rules', () => {
    const sim = webCluster()
    const before = sim.ruleCount('worker-1')!
    sim.scale('default', 'web', 4)
    let readyAt: number | undefined
    while (!readyAt && sim.now < 120_000) {
      sim.advance(50)
      const slice = sim.list('EndpointSlice', 'default').find((s) => s.metadata.name.startsWith('web-')) as EndpointSlice
      if (slice.endpoints!.filter((e) => e.conditions.ready).length === 4) readyAt = sim.now
    }
    expect(sim.ruleCount('worker-1')).toBe(before)
    sim.advance(1200)
    expect(sim.ruleCount('worker-1')).toBe(before + 3)
  })
})

describe('determinism', () => {
  const run = (seed: number) => {
    const sim = webCluster({ seed })
    sim.scale('default', 'web', 7)
    sim.advance(3000)
    sim.delete('pod', 'default', sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name)
    sim.settle()
    return { pods: sim.list('Pod'), rules: sim.kubeProxyRules('worker-1'), events: sim.events() }
  }

  it('replays exactly from the same seed and the same calls', () => {
    expect(run(9)).toEqual(run(9))
  })

  it('differs with another seed', () => {
    expect(run(9).rules).not.toBe(run(10).rules)
  })
})
