import { describe, expect, it } from 'vitest'
import type { EndpointSlice } from '../model/endpointSlice'
import type { Pod } from '../model/pod'
import { webCluster } from '../testing/scenarios'
import type { Simulation } from '../simulation'
import { backOffAfter } from './kubelet'

const webPods = (sim: Simulation) => (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web')
const pod = (sim: Simulation, name: string) => sim.get('Pod', 'default', name) as Pod
const ready = (p: Pod) => p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
const endpointOf = (sim: Simulation, ip: string) =>
  (sim.list('EndpointSlice', 'default') as EndpointSlice[]).flatMap((s) => s.endpoints ?? []).find((e) => e.addresses[0] === ip)

describe('a readiness probe that fails', () => {
  it('turns the pod not Ready after failureThreshold failures in a row (3 x periodSeconds 5 s), its endpoint unready, and out of the rules', () => {
    const sim = webCluster({ seed: 4 })
    const victim = webPods(sim)[0]!
    const ip = victim.status.podIP!
    const since = sim.now
    sim.dispatch({ type: 'fault', fault: 'readiness-failing', target: `default/${victim.metadata.name}` })
    // Failures at the next three ticks (each at most 5 s apart): Ready until the third.
    sim.advance(10_000)
    expect(ready(pod(sim, victim.metadata.name))).toBe(true)
    sim.advance(5000)
    const p = pod(sim, victim.metadata.name)
    expect(ready(p)).toBe(false)
    const turned = sim.events().filter((e) => e.object === `Pod default/${victim.metadata.name}` && e.reason === 'Unhealthy')
    expect(turned.length).toBe(3)
    expect(turned[0]!.message).toBe('Readiness probe failed: HTTP probe failed with statuscode: 503')
    expect(turned[2]!.time - turned[0]!.time).toBe(10_000)
    expect(turned[0]!.time - since).toBeLessThanOrEqual(5000)
    expect(p.status.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [web]' })
    sim.advance(2000)
    expect(endpointOf(sim, ip)?.conditions).toMatchObject({ ready: false, serving: false })
    for (const node of ['worker-1', 'worker-2']) expect(sim.iptablesSave(node)).not.toContain(`${ip}:8080`)
    expect(sim.run('kubectl get pods').stdout).toMatch(new RegExp(`${victim.metadata.name}\\s+0/1\\s+Running`))
    expect(sim.run(`kubectl describe pod ${victim.metadata.name}`).stdout).toMatch(/Warning\s+Unhealthy\s+.*Readiness probe failed: HTTP probe failed with statuscode: 503/)
  })

  it('is Ready again at the first passing probe after healing (successThreshold 1), and back in the rules', () => {
    const sim = webCluster({ seed: 4 })
    const victim = webPods(sim)[0]!
    sim.dispatch({ type: 'fault', fault: 'readiness-failing', target: `default/${victim.metadata.name}` })
    sim.advance(30_000)
    sim.dispatch({ type: 'heal', fault: 'readiness-failing', target: `default/${victim.metadata.name}` })
    sim.advance(5000)
    expect(ready(pod(sim, victim.metadata.name))).toBe(true)
    sim.advance(2000)
    expect(sim.iptablesSave('worker-1')).toContain(`${victim.status.podIP}:8080`)
  })

  it('cannot be failed on a pod that has no readiness probe', () => {
    const sim = webCluster({ seed: 4 })
    const r = sim.dispatch({ type: 'fault', fault: 'readiness-failing', target: 'default/client' })
    expect(r).toMatchObject({ ok: false })
    expect((r as { message: string }).message).toContain('the pod has no readiness probe')
    expect(sim.state.faults.size).toBe(0)
  })
})

describe('a container that crashes', () => {
  it('is restarted at once, then after a back-off of 10 s, 20 s, 40 s... (CrashLoopBackOff), counting restarts, not Ready meanwhile', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(backOffAfter)).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000])
    const sim = webCluster({ seed: 4 })
    const victim = webPods(sim)[0]!
    const name = victim.metadata.name
    sim.dispatch({ type: 'fault', fault: 'container-crash', target: `default/${name}` })
    expect(ready(pod(sim, name))).toBe(false)
    sim.advance(100)
    expect(pod(sim, name).status.containerStatuses![0]!.restartCount).toBe(1)
    sim.advance(1000)
    const waiting = pod(sim, name).status.containerStatuses![0]!
    expect(waiting.state['waiting']).toMatchObject({ reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=web pod=${name}_default(${victim.metadata.uid})` })
    expect(waiting.lastState).toMatchObject({ terminated: { exitCode: 1, reason: 'Error' } })
    expect(sim.run('kubectl get pods').stdout).toMatch(new RegExp(`${name}\\s+0/1\\s+CrashLoopBackOff\\s+1`))
    expect(sim.events().some((e) => e.reason === 'BackOff' && e.message === `Back-off restarting failed container web in pod ${name}_default(${victim.metadata.uid})`)).toBe(true)
    sim.advance(10_000)
    expect(pod(sim, name).status.containerStatuses![0]!.restartCount).toBe(2)
    sim.advance(1000)
    expect(pod(sim, name).status.containerStatuses![0]!.state['waiting']).toMatchObject({ reason: 'CrashLoopBackOff', message: expect.stringContaining('back-off 20s') })
    sim.advance(20_000)
    expect(pod(sim, name).status.containerStatuses![0]!.restartCount).toBe(3)
    // Healed: the next start keeps running and passes its readiness probe.
    sim.dispatch({ type: 'heal', fault: 'container-crash', target: `default/${name}` })
    const restarts = pod(sim, name).status.containerStatuses![0]!.restartCount
    sim.advance(12_000)
    expect(pod(sim, name).status.containerStatuses![0]!.restartCount).toBe(restarts)
    expect(ready(pod(sim, name))).toBe(true)
    expect(pod(sim, name).status.containerStatuses![0]!.state['running']).toBeDefined()
  })
})

describe('a kube-proxy that stalls', () => {
  it('keeps its node rules as they were: a pod gone since is still chosen from that node, and the request times out; it catches up when resumed', () => {
    const sim = webCluster({ seed: 4, replicas: 3 })
    const client = pod(sim, 'client')
    const node = client.spec.nodeName!
    const before = sim.iptablesSave(node)
    sim.dispatch({ type: 'fault', fault: 'kube-proxy-stalled', target: node })
    sim.dispatch({ type: 'scale', namespace: 'default', name: 'web', replicas: 1 })
    sim.advance(60_000)
    const rules = sim.iptablesSave(node)!
    expect(rules.replace(/on \w+ \w+ +\d+ [\d:]+ \d+/g, '')).toBe(before!.replace(/on \w+ \w+ +\d+ [\d:]+ \d+/g, ''))
    const results = Array.from({ length: 20 }, () => sim.dispatch({ type: 'connect', from: 'default/client', target: 'web:80' }) as { ok: boolean; reason?: string })
    expect(results.some((r) => !r.ok)).toBe(true)
    expect(results.some((r) => r.ok)).toBe(true)
    sim.dispatch({ type: 'heal', fault: 'kube-proxy-stalled', target: node })
    sim.advance(1000)
    expect(sim.iptablesSave(node)).not.toBe(rules)
    const after = Array.from({ length: 10 }, () => sim.dispatch({ type: 'connect', from: 'default/client', target: 'web:80' }) as { ok: boolean })
    expect(after.every((r) => r.ok)).toBe(true)
  })
})

describe('a network partition between two nodes', () => {
  it('drops the packets between them, and only those', () => {
    const sim = webCluster({ seed: 4, replicas: 4 })
    const from = pod(sim, 'client').spec.nodeName!
    const other = from === 'worker-1' ? 'worker-2' : 'worker-1'
    sim.dispatch({ type: 'fault', fault: 'partition', target: `${other},${from}` })
    expect([...sim.state.faults.keys()]).toEqual([`partition|${['worker-1', 'worker-2'].join(',')}`])
    const results = Array.from({ length: 16 }, () => sim.dispatch({ type: 'connect', from: 'default/client', target: 'web:80' }) as { ok: boolean; reason?: string })
    expect(results.filter((r) => !r.ok).every((r) => r.reason === 'connection timed out: the network between worker-1 and worker-2 is partitioned')).toBe(true)
    expect(results.some((r) => !r.ok)).toBe(true)
    sim.dispatch({ type: 'heal', fault: 'partition', target: `${from},${other}` })
    expect(sim.state.faults.size).toBe(0)
  })
})
