import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'
import { candidateNames } from './resolve'
import type { Service } from '../model/service'

const search = ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local']

describe('the pod resolver', () => {
  it('tries each search suffix first for names with fewer than 5 dots, as is first otherwise, and only as is when absolute', () => {
    expect(candidateNames('web', search, 5)).toEqual(['web.default.svc.cluster.local.', 'web.svc.cluster.local.', 'web.cluster.local.', 'web.'])
    expect(candidateNames('a.b.c.d.e.f', search, 5)[0]).toBe('a.b.c.d.e.f.')
    expect(candidateNames('example.com.', search, 5)).toEqual(['example.com.'])
  })

  it('finds web.other through the second suffix after an NXDOMAIN for the first', () => {
    const sim = webCluster()
    sim.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'other' }, spec: { ports: [{ port: 80 }] } },
    ])
    sim.settle()
    const r = sim.resolve('default/client', 'web.other')
    expect(r.queries).toEqual(['web.other.default.svc.cluster.local.', 'web.other.svc.cluster.local.'])
    expect(r.answers).toEqual([{ name: 'web.other.svc.cluster.local.', type: 'A', ttl: 30, data: (sim.get('Service', 'other', 'web')!.spec as Service['spec']).clusterIP }])
  })

  it('answers NXDOMAIN after trying every candidate; cluster names carry the cluster SOA, the last (upstream) the root SOA', () => {
    const sim = webCluster()
    const r = sim.resolve('default/client', 'nope')
    expect(r.rcode).toBe('NXDOMAIN')
    expect(r.queries).toHaveLength(4)
    expect(r.authority[0]!.name).toBe('.')
    const inCluster = sim.resolve('default/client', 'nope.default.svc.cluster.local.')
    expect(inCluster.rcode).toBe('NXDOMAIN')
    expect(inCluster.authority[0]).toMatchObject({ name: 'cluster.local.', type: 'SOA', ttl: 30 })
    expect(inCluster.authority[0]!.data).toMatch(/^ns\.dns\.cluster\.local\. hostmaster\.cluster\.local\. \d+ 7200 1800 86400 30$/)
  })

  it('answers NOERROR with no records for a type the name does not have (AAAA of an IPv4 Service)', () => {
    const r = webCluster().resolve('default/client', 'web.default.svc.cluster.local', 'AAAA')
    expect(r.rcode).toBe('NOERROR')
    expect(r.answers).toEqual([])
  })

  it('serves SRV for named ports, PTR for ClusterIPs and A for pod names', () => {
    const sim = webCluster()
    const ip = (sim.get('Service', 'default', 'web')!.spec as Service['spec']).clusterIP!
    expect(sim.resolve('default/client', '_http._tcp.web.default.svc.cluster.local', 'SRV').answers.map((a) => a.data)).toEqual(['0 100 80 web.default.svc.cluster.local.'])
    const ptr = sim.resolve('default/client', `${ip.split('.').reverse().join('.')}.in-addr.arpa.`, 'PTR')
    expect(ptr.answers.map((a) => a.data)).toEqual(['web.default.svc.cluster.local.'])
    expect(sim.resolve('default/client', '10-244-1-7.default.pod.cluster.local', 'A').answers.map((a) => a.data)).toEqual(['10.244.1.7'])
  })

  it('answers a ClusterIP even with no endpoints, and an empty headless Service with nothing', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432 }] } })
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'db-headless' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 5432 }] } })
    sim.settle()
    expect(sim.resolve('default/client', 'db').answers).toHaveLength(1)
    // A headless name has no records until a pod behind it is ready: NXDOMAIN, as CoreDNS answers.
    expect(sim.resolve('default/client', 'db-headless.default.svc.cluster.local.').rcode).toBe('NXDOMAIN')
  })

  it('answers NXDOMAIN for a Service in the wrong namespace, all the way to the upstream resolver', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } })
    sim.settle()
    const r = sim.resolve('default/client', 'web.other')
    expect(r.rcode).toBe('NXDOMAIN')
    expect(r.queries.at(-1)).toBe('web.other.')
    expect(sim.connect('default/client', 'web.other:80').reason).toBe('could not resolve host: web.other')
  })

  it('follows an ExternalName that points inside the cluster to the ClusterIP', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'alias' }, spec: { type: 'ExternalName', externalName: 'web.default.svc.cluster.local' } })
    sim.settle()
    const ip = (sim.get('Service', 'default', 'web')!.spec as Service['spec']).clusterIP
    expect(sim.resolve('default/client', 'alias').answers.map((a) => `${a.type} ${a.data}`)).toEqual(['CNAME web.default.svc.cluster.local.', `A ${ip}`])
    expect(sim.connect('default/client', 'alias:80').pod).toMatch(/^default\/web-/)
  })

  it('answers a bare-name SRV query for every port, named or not, and PTR for a pod behind any Service', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'plain' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } })
    sim.settle()
    expect(sim.resolve('default/client', 'plain.default.svc.cluster.local', 'SRV').answers.map((a) => a.data)).toEqual(['0 100 8080 plain.default.svc.cluster.local.'])
    const pod = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!
    const ip = (pod.status as { podIP: string }).podIP
    const ptr = sim.resolve('default/client', `${ip.split('.').reverse().join('.')}.in-addr.arpa.`, 'PTR')
    expect(ptr.answers.map((a) => a.data).sort()).toEqual([`${ip.replace(/\./g, '-')}.plain.default.svc.cluster.local.`, `${ip.replace(/\./g, '-')}.web.default.svc.cluster.local.`])
  })

  it('sends each query of one lookup from its own socket (glibc): each walks the rules and is DNAT-ed afresh', () => {
    const r = webCluster().resolve('default/client', 'nope')
    expect(r.queries).toHaveLength(4)
    const sent = r.hops.filter((h) => h.step === 'netfilter' && h.rule?.includes('DNAT'))
    expect(sent).toHaveLength(4)
    expect(new Set(sent.map((h) => h.before.src)).size).toBe(4)
    expect(r.hops.filter((h) => h.phase === 'dns' && h.step === 'conntrack')).toEqual([])
  })

  it('fails when the DNS Service has no endpoints: the query is refused', () => {
    const sim = webCluster()
    sim.scale('kube-system', 'coredns', 0)
    sim.settle()
    const r = sim.resolve('default/client', 'web')
    expect(r.rcode).toBe('SERVFAIL')
    expect(r.reason).toBe('connection refused: kube-system/kube-dns:dns has no endpoints')
  })

  it("resolves the name a PTR gives back: an endpoint of a ClusterIP Service by its dashed IP", () => {
    const sim = webCluster()
    const pod = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!
    const ip = (pod.status as { podIP: string }).podIP
    const ptr = sim.resolve('default/client', `${ip.split('.').reverse().join('.')}.in-addr.arpa.`, 'PTR').answers[0]!.data
    expect(sim.resolve('default/client', ptr, 'A').answers.map((a) => a.data)).toEqual([ip])
  })

  it('hands an address the cluster does not know upstream (fallthrough in-addr.arpa): NXDOMAIN with the root SOA', () => {
    const r = webCluster().resolve('default/client', '99.99.99.10.in-addr.arpa.', 'PTR')
    expect(r.rcode).toBe('NXDOMAIN')
    expect(r.authority[0]).toMatchObject({ name: '.', type: 'SOA' })
  })

  it("shuffles a headless Service's A records in every answer (loadbalance), so clients that take the first spread", () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'direct' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 8080 }] } })
    sim.settle()
    const firsts = new Set<string>()
    for (let i = 0; i < 30; i++) {
      const answers = sim.resolve('default/client', 'direct', 'A').answers.map((a) => a.data)
      expect([...answers].sort()).toHaveLength(3)
      firsts.add(answers[0]!)
    }
    expect(firsts.size).toBe(3)
    expect(new Set(Array.from({ length: 30 }, () => sim.connect('default/client', 'direct:8080').pod)).size).toBeGreaterThan(1)
  })
})
