import { describe, expect, it } from 'vitest'
import type { EndpointSlice } from '../model/endpointSlice'
import type { Node } from '../model/node'
import type { Pod } from '../model/pod'
import { fromTimestamp } from '../runtime/time'
import { webCluster } from '../testing/scenarios'
import type { Simulation } from '../simulation'
import { lastRenewal, unknownAt } from './nodeLifecycleController'

const webPods = (sim: Simulation) => (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web')
const ready = (p: Pod) => p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
const readyCondition = (n: Node) => n.status.conditions.find((c) => c.type === 'Ready')!
const webEndpoints = (sim: Simulation) => (sim.list('EndpointSlice', 'default') as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web').flatMap((s) => s.endpoints ?? [])

describe('a node that goes down', () => {
  it('is Unknown after the grace period (50 s without a heartbeat), tainted unreachable, its pods not Ready and out of the rules; after 300 s they are replaced elsewhere', () => {
    const sim = webCluster({ seed: 11, replicas: 4 })
    const victim = 'worker-1'
    const onVictim = webPods(sim).filter((p) => p.spec.nodeName === victim)
    expect(onVictim.length).toBeGreaterThan(0)
    const since = sim.now
    expect(sim.dispatch({ type: 'fault', fault: 'node-down', target: victim })).toMatchObject({ ok: true })
    const at = unknownAt(sim.get('Node', undefined, victim) as Node, since)
    // More than the 50 s grace after the last renewal the controller saw (renewals every 10 s, looks every 5 s): so
    // 40 s to 65 s after the kubelet stopped.
    const renewed = lastRenewal(sim.get('Node', undefined, victim) as Node, since)
    expect(at - renewed).toBeGreaterThan(50_000)
    expect(at - renewed).toBeLessThanOrEqual(65_000)
    expect(at - since).toBeGreaterThan(40_000)
    sim.advance(at - sim.now - 1)
    expect(readyCondition(sim.get('Node', undefined, victim) as Node).status).toBe('True')
    expect(onVictim.every((p) => ready(sim.get('Pod', 'default', p.metadata.name) as Pod))).toBe(true)
    sim.advance(1)
    const node = sim.get('Node', undefined, victim) as Node
    expect(readyCondition(node)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' })
    expect(node.spec.taints).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }), expect.objectContaining({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' })]))
    expect(sim.kubectlGet('nodes')).toMatch(new RegExp(`${victim}\\s+NotReady`))
    for (const p of onVictim) expect(ready(sim.get('Pod', 'default', p.metadata.name) as Pod)).toBe(false)
    sim.advance(2000)
    const ips = new Set(onVictim.map((p) => p.status.podIP))
    for (const e of webEndpoints(sim).filter((e) => ips.has(e.addresses[0]!))) expect(e.conditions).toMatchObject({ ready: false, serving: false })
    // kube-proxy on the other nodes drops them: only pods of the healthy nodes remain in their rules.
    const rules = sim.iptablesSave('worker-2')!
    for (const ip of ips) expect(rules).not.toContain(`${ip}:8080`)
    expect(sim.events().some((e) => e.reason === 'NodeNotReady' && e.message === `Node ${victim} status is now: NodeNotReady`)).toBe(true)
    // The toleration: 300 s after the NoExecute taint, the pods are evicted and replaced on the other node.
    const taintedAt = fromTimestamp(node.spec.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded!)
    sim.advance(taintedAt + 300_000 - sim.now - 1000)
    expect(webPods(sim).filter((p) => p.metadata.deletionTimestamp)).toEqual([])
    sim.advance(1000)
    for (const p of onVictim) expect((sim.get('Pod', 'default', p.metadata.name) as Pod).metadata.deletionTimestamp).toBeDefined()
    expect(sim.events().filter((e) => e.reason === 'TaintManagerEviction').map((e) => e.message)).toEqual(expect.arrayContaining(onVictim.map((p) => `Marking for deletion Pod default/${p.metadata.name}`)))
    sim.advance(30_000)
    const live = webPods(sim).filter((p) => !p.metadata.deletionTimestamp)
    expect(live).toHaveLength(4)
    expect(live.every((p) => p.spec.nodeName !== victim && ready(p))).toBe(true)
    // With the kubelet gone, the evicted pods stay Terminating.
    expect(sim.kubectlGet('pods')).toContain('Terminating')
    // The Service kept working throughout: requests from the client reach the remaining pods.
    for (let i = 0; i < 5; i++) expect(sim.dispatch({ type: 'connect', from: 'default/client', target: 'web:80' })).toMatchObject({ ok: true })
  })

  it('rejoins when healed: Ready again, the taints gone at the controller next look, the terminating pods finished by its kubelet', () => {
    const sim = webCluster({ seed: 11, replicas: 4 })
    sim.dispatch({ type: 'fault', fault: 'node-down', target: 'worker-1' })
    sim.advance(400_000)
    sim.dispatch({ type: 'heal', fault: 'node-down', target: 'worker-1' })
    expect(readyCondition(sim.get('Node', undefined, 'worker-1') as Node).status).toBe('True')
    sim.advance(6000)
    expect((sim.get('Node', undefined, 'worker-1') as Node).spec.taints ?? []).toEqual([])
    sim.advance(5000)
    expect(webPods(sim).filter((p) => p.metadata.deletionTimestamp)).toEqual([])
    expect(webPods(sim)).toHaveLength(4)
  })

  it('keeps its pods if it comes back within their toleration: they turn Ready again and the evictions are cancelled', () => {
    const sim = webCluster({ seed: 11, replicas: 4 })
    const before = webPods(sim).map((p) => p.metadata.name).sort()
    sim.dispatch({ type: 'fault', fault: 'node-down', target: 'worker-1' })
    sim.advance(120_000)
    sim.dispatch({ type: 'heal', fault: 'node-down', target: 'worker-1' })
    sim.advance(10_000)
    expect(webPods(sim).map((p) => p.metadata.name).sort()).toEqual(before)
    expect(webPods(sim).every(ready)).toBe(true)
    expect(sim.events().some((e) => e.message.startsWith('Cancelling deletion of Pod default/'))).toBe(true)
  })

  it('loses the packets sent to it: a request routed to one of its pods before the rules catch up times out', () => {
    const sim = webCluster({ seed: 11, replicas: 4 })
    const victim = (sim.get('Pod', 'default', 'client') as Pod).spec.nodeName === 'worker-1' ? 'worker-2' : 'worker-1'
    sim.dispatch({ type: 'fault', fault: 'node-down', target: victim })
    const results = Array.from({ length: 12 }, () => sim.dispatch({ type: 'connect', from: 'default/client', target: 'web:80' }) as { ok: boolean; reason?: string })
    expect(results.some((r) => !r.ok && r.reason === `connection timed out: ${victim} is down`)).toBe(true)
    expect(results.some((r) => r.ok)).toBe(true)
  })
})
