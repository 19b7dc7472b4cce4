import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import { isPodRunning, type Pod } from '../model/pod'
import { webCluster } from '../testing/scenarios'

const corednsPods = (sim: ReturnType<typeof createSimulation>) => (sim.list('Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns')
const coreDnsEvents = (sim: ReturnType<typeof createSimulation>, from = 0) => sim.events().slice(from).filter((e) => e.actor === 'CoreDNS')

describe('CoreDNS is its pods', () => {
  it('says nothing before a CoreDNS pod runs; each pod starts its watch when it starts', () => {
    const sim = createSimulation({ seed: 42, workers: 2 })
    const events = sim.events()
    const stories = coreDnsEvents(sim).filter((e) => e.message.startsWith('Started its watch'))
    const started = events.filter((e) => e.reason === 'Started' && e.object.startsWith('Pod kube-system/coredns-'))
    expect(started).toHaveLength(2)
    // The first thing CoreDNS says comes when its first pod's container starts, and each pod says it once.
    expect(stories[0]!.time).toBe(Math.min(...started.map((e) => e.time)))
    expect(stories.map((e) => e.object).sort()).toEqual(started.map((e) => e.object).sort())
    for (const e of stories) expect(e.message).toMatch(/^Started its watch: listed 2 Services and 2 EndpointSlices from the API server; now answering from them$/)
  })

  it('with no CoreDNS pod running, nothing syncs or answers; a pod that starts lists the API afresh', () => {
    const sim = webCluster()
    sim.scale('kube-system', 'coredns', 0)
    sim.settle()
    expect(corednsPods(sim)).toEqual([])
    expect(coreDnsEvents(sim).at(-1)!.message).toBe('No CoreDNS pod is running: nothing answers DNS queries until one starts again')
    const from = sim.events().length
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'late' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    expect(coreDnsEvents(sim, from)).toEqual([])
    expect(sim.dnsRecords().some((r) => r.name.startsWith('late.'))).toBe(false)
    // The lookup fails as glibc sees it: kube-dns has no endpoints, its ClusterIP rejects, the resolver gives up.
    const r = sim.resolve('default/client', 'late')
    expect(r.rcode).toBe('SERVFAIL')
    expect(r.reason).toBe('connection refused: kube-system/kube-dns:dns has no endpoints')
    expect(sim.connect('default/client', 'late:80').reason).toBe('could not resolve host: late (connection refused: kube-system/kube-dns:dns has no endpoints)')

    sim.scale('kube-system', 'coredns', 1)
    sim.settle()
    const [pod] = corednsPods(sim)
    expect(pod && isPodRunning(pod)).toBe(true)
    const story = coreDnsEvents(sim, from)
    expect(story[0]).toMatchObject({ object: `Pod kube-system/${pod!.metadata.name}`, message: expect.stringMatching(/^Started its watch: listed 4 Services and 4 EndpointSlices/) })
    expect(sim.dnsRecords().some((r) => r.name === 'late.default.svc.cluster.local.')).toBe(true)
    expect(sim.resolve('default/client', 'late').rcode).toBe('NOERROR')
  })

  it('catches up in each running pod on its own watch, a moment after the write; each pod answers from its own', () => {
    const sim = webCluster()
    const from = sim.events().length
    const written = sim.now
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-2' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } })
    const pods = corednsPods(sim).map((p) => `kube-system/${p.metadata.name}`)
    const knows = (pod: string) => sim.dnsRecords(pod).some((r) => r.name === 'web-2.default.svc.cluster.local.')
    // Step from event to event: the first pod to catch up knows the name while the other still does not.
    const seen: string[][] = []
    while (pods.some((p) => !knows(p)) && sim.now < written + 1000) {
      sim.nextEvent()
      seen.push(pods.filter(knows))
    }
    expect(seen.some((k) => k.length === 1)).toBe(true)
    const caughtUp = coreDnsEvents(sim, from).filter((e) => e.message === 'Watch caught up: now answering for default/web-2')
    expect(caughtUp.map((e) => e.object).sort()).toEqual(pods.map((p) => `Pod ${p}`).sort())
    for (const e of caughtUp) expect(e.time - written).toBeGreaterThanOrEqual(100)
    expect(new Set(caughtUp.map((e) => e.time)).size).toBe(2)
  })

  it('answers a query from the view of the pod it reached: while one pod lags, some lookups fail and others do not', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-2' }, spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] } })
    const pods = corednsPods(sim).map((p) => `kube-system/${p.metadata.name}`)
    const knows = (pod: string) => sim.dnsRecords(pod).some((r) => r.name === 'web-2.default.svc.cluster.local.')
    while (!pods.some(knows)) sim.nextEvent()
    expect(pods.filter(knows)).toHaveLength(1)
    const answered = new Set<string>()
    for (let i = 0; i < 12; i++) {
      const r = sim.resolve('default/client', 'web-2.default.svc.cluster.local.')
      const server = r.hops.find((h) => h.step === 'dns' && h.at.startsWith('kube-system/coredns-'))!.at
      expect(r.rcode).toBe(knows(server) ? 'NOERROR' : 'NXDOMAIN')
      answered.add(r.rcode)
    }
    expect([...answered].sort()).toEqual(['NOERROR', 'NXDOMAIN'])
  })
})
