import { describe, expect, it } from 'vitest'
import type { Pod } from '../model/pod'
import { webCluster } from '../testing/scenarios'
import type { Simulation } from '../simulation'
import type { ResolveResult } from './resolve'

const coreDnsPods = (sim: Simulation) => (sim.list('Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns').map((p) => `kube-system/${p.metadata.name}`)
const lookUp = (sim: Simulation) => sim.dispatch({ type: 'resolve', pod: 'default/client', name: 'web' }) as ResolveResult

describe('CoreDNS pods that fail', () => {
  it('one of two crashed: a query sent to it gets no answer and the resolver tries again (attempts:2), most lookups answered by the other pod, all once its endpoint is gone', () => {
    const sim = webCluster({ seed: 9 })
    const [first] = coreDnsPods(sim)
    sim.dispatch({ type: 'fault', fault: 'container-crash', target: first! })
    const results = Array.from({ length: 16 }, () => lookUp(sim))
    // Until its endpoint leaves the rules, a try goes to either pod; a lookup fails only when both tries hit the crashed one.
    expect(results.filter((r) => r.rcode === 'NOERROR').length).toBeGreaterThan(results.length / 2)
    // Some first tries went to the crashed pod (refused at once: ICMP), and were tried again.
    expect(results.some((r) => r.hops.some((h) => h.note?.startsWith('No answer') && h.note.includes('try 2 of 2')))).toBe(true)
    // Once its endpoint is out of the rules, every query goes to the pod that is left.
    sim.advance(3000)
    const later = Array.from({ length: 8 }, () => lookUp(sim))
    expect(later.every((r) => r.rcode === 'NOERROR' && !r.hops.some((h) => h.note?.includes('try 2 of 2')))).toBe(true)
  })

  it('all crashed: no server is left, and nslookup says so as BIND 9.9 does', () => {
    const sim = webCluster({ seed: 9 })
    for (const p of coreDnsPods(sim)) sim.dispatch({ type: 'fault', fault: 'container-crash', target: p })
    sim.advance(3000)
    const r = lookUp(sim)
    expect(r.rcode).toBe('SERVFAIL')
    const out = sim.run('nslookup web', { pod: 'default/client' })
    expect(out.stdout).toBe(';; connection timed out; no servers could be reached\n\n')
    expect(out.exitCode).toBe(1)
    for (const p of coreDnsPods(sim)) sim.dispatch({ type: 'heal', fault: 'container-crash', target: p })
    sim.advance(120_000)
    expect(lookUp(sim).rcode).toBe('NOERROR')
  })

  it('waits out the timeouts resolv.conf sets when the packets are lost (a partition between the client and the CoreDNS node)', () => {
    const sim = webCluster({ seed: 9 })
    const client = (sim.get('Pod', 'default', 'client') as Pod).spec.nodeName!
    sim.dispatch({ type: 'fault', fault: 'partition', target: `${client},control-plane` })
    const r = lookUp(sim)
    expect(r.rcode).toBe('SERVFAIL')
    expect(r.waitedMs).toBe(10_000)
  })
})
