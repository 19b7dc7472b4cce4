import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { webScenario } from '../../scenarios/webScenario'
import { MAX_VIRTUAL_MS } from '../config'
import type { Engine } from '../engine'
import { createSimulation, restoreSimulation, type Simulation, type SimulationSnapshot } from '../index'
import type { Pod } from '../model/pod'
import type { ClusterState } from '../state'
import { takeSnapshot } from './takeSnapshot'

const base = (() => {
  const sim = createSimulation({ seed: 5, workers: 2 })
  sim.apply(webScenario())
  sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } })
  sim.settle()
  sim.connect('default/client', 'web:80', { keepAlive: true })
  sim.scale('default', 'web', 4)
  sim.advance(200)
  return sim
})()

/** A fresh JSON copy of the base snapshot, to damage. */
const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(base.snapshot()))

/** The snapshot of the base cluster with its state changed (the indexes' order stays the original's). */
function withState(change: (s: ClusterState) => unknown): SimulationSnapshot {
  const engine = { state: change(base.state), rt: base.engine.rt, config: base.engine.config } as unknown as Engine
  return JSON.parse(JSON.stringify(takeSnapshot(engine)))
}

const pod = (s: ClusterState) => [...s.pods.values()].find((p) => p.metadata.name.startsWith('web-'))!
const withPod = (s: ClusterState, change: (p: Pod) => unknown) => ({ ...s, pods: s.pods.set(`default/${pod(s).metadata.name}`, change(pod(s)) as Pod) })

const CORPUS: [string, () => unknown, string][] = [
  ['not an object', () => 'snapshot', 'it is not a snapshot of this simulator'],
  ['null', () => null, 'it is not a snapshot of this simulator'],
  ['a save instead of a snapshot', () => ({ version: 1, seed: 1, actions: [] }), 'it is not a snapshot of this simulator'],
  ['a newer version', () => ({ ...good(), version: 99 }), 'made by a newer version of the simulator (snapshot format 99; this one reads 1 to 5)'],
  ['an unknown version', () => ({ ...good(), version: 'one' }), 'made by another version of the simulator'],
  ['a config CIDR that is not one', () => ({ ...good(), config: { ...(good()['config'] as object), podCIDR: '10.244/16' } }), 'its config is damaged: podCIDR: must be a CIDR such as 10.244.0.0/16'],
  ['a negative config number', () => ({ ...good(), config: { ...(good()['config'] as object), maxPods: -1 } }), 'maxPods: must be a non-negative integer'],
  ['a config pair cut short', () => ({ ...good(), config: { ...(good()['config'] as object), nodePortRange: [30000] } }), 'nodePortRange: must be a pair'],
  ['an RNG of one stream (a version-1 RNG)', () => ({ ...good(), rng: [1, 2, 3, 4] }), 'rng: must hold the streams names, scheduler, ipam, kubelet and packets, each four 32-bit integers'],
  ['an RNG stream of three words', () => ({ ...good(), rng: { ...(good().rng as object), packets: [1, 2, 3] } }), 'rng: must hold the streams'],
  ['an RNG word too big', () => ({ ...good(), rng: { ...(good().rng as object), names: [1, 2, 3, 2 ** 40] } }), 'rng: must hold the streams'],
  ['an RNG stream too many', () => ({ ...good(), rng: { ...(good().rng as object), extra: [1, 2, 3, 4] } }), 'rng: must hold the streams'],
  ['no value table', () => ({ ...good(), rows: 'lost' }), 'its value table is not a list'],
  ['a row that refers forward', () => { const s = good(); (s['rows'] as unknown[])[0] = ['a', [5]]; return s }, 'row 0 of its value table holds [5]'],
  ['a row with an unknown tag', () => { const s = good(); (s['rows'] as unknown[])[3] = ['?']; return s }, 'row 3 of its value table has an unknown tag'],
  ['a root outside the table', () => ({ ...good(), state: [1e9] }), 'refers to a value its table does not hold'],
  ['a clock of 1e300', () => withState((s) => ({ ...s, now: 1e300 })), `now: must be a virtual time from 0 to ${MAX_VIRTUAL_MS.toLocaleString('en-US')} ms (100 years)`],
  ['a negative clock', () => withState((s) => ({ ...s, now: -5 })), 'now: must be a virtual time'],
  ['a clock that is not a number', () => withState((s) => ({ ...s, now: NaN })), 'now: must be a virtual time'],
  ['a clock that disagrees with the state', () => ({ ...good(), now: 12 }), 'its clock (now) disagrees with its state'],
  ['a resourceVersion as text', () => withState((s) => ({ ...s, resourceVersion: '1000' })), 'resourceVersion: must be a positive integer'],
  ['a state field missing', () => withState((s) => { const { images: _, ...rest } = s; return rest }), 'the state lacks its images field'],
  ['a state field unknown', () => withState((s) => ({ ...s, secrets: 1 })), 'the state has a field this simulator does not know: secrets'],
  ['a table that is not one', () => withState((s) => ({ ...s, pods: {} })), 'pods: must be a table of objects'],
  ['a pod under another key', () => withState((s) => ({ ...s, pods: s.pods.set('default/elsewhere', pod(s)) })), 'is stored under the wrong key'],
  ['a pod of the wrong kind', () => withState((s) => withPod(s, (p) => ({ ...p, kind: 'Service' }))), 'kind: must be Pod'],
  ['a pod without containers', () => withState((s) => withPod(s, (p) => ({ ...p, spec: { ...p.spec, containers: [] } }))), 'spec.containers: Required value'],
  ['a pod whose containers are text', () => withState((s) => withPod(s, (p) => ({ ...p, spec: { ...p.spec, containers: 'web' } }))), 'spec.containers'],
  ['a pod with an unknown field', () => withState((s) => withPod(s, (p) => ({ ...p, spec: { ...p.spec, colour: 'red' } }))), 'unknown field "spec.colour"'],
  ['a pod IP that is not one', () => withState((s) => withPod(s, (p) => ({ ...p, status: { ...p.status, podIP: 'not-an-ip' } }))), 'status.podIP: must be an IPv4 address'],
  ['a pod on a node that is a number', () => withState((s) => withPod(s, (p) => ({ ...p, spec: { ...p.spec, nodeName: 5e-324 } }))), 'spec.nodeName: cannot unmarshal number into Go struct field PodSpec.spec.nodeName of type string'],
  ['a running pod on no node of the cluster', () => withState((s) => withPod(s, (p) => ({ ...p, spec: { ...p.spec, nodeName: 'worker-9' } }))), 'has an address but runs on no node of the cluster'],
  ['a container state that is null', () => withState((s) => withPod(s, (p) => ({ ...p, status: { ...p.status, containerStatuses: [{ ...p.status.containerStatuses![0]!, state: null as never }] } }))), 'status.containerStatuses[0].state: must be an object'],
  ['a pod condition without its type', () => withState((s) => withPod(s, (p) => ({ ...p, status: { ...p.status, conditions: [{ status: 'True' } as never] } }))), 'status.conditions[0].type: must be a string'],
  ['a pod newer than the cluster', () => withState((s) => withPod(s, (p) => ({ ...p, metadata: { ...p.metadata, resourceVersion: '99999999' } }))), 'metadata.resourceVersion: must be a number no greater than'],
  ['a pod without a uid', () => withState((s) => withPod(s, (p) => ({ ...p, metadata: { ...p.metadata, uid: undefined } }))), 'metadata.uid: must be a non-empty string'],
  ['a pod with numeric labels', () => withState((s) => withPod(s, (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 7 } } }))), 'metadata.labels'],
  ['a Service with a port as text', () => withState((s) => ({ ...s, services: s.services.set('default/web', { ...s.services.get('default/web')!, spec: { ...s.services.get('default/web')!.spec, ports: '80' as never } }) })), 'Service "default/web"'],
  ['a slice endpoint without addresses', () => withState((s) => { const [k, sl] = [...s.endpointSlices].find(([, x]) => x.metadata.namespace === 'default')!; return { ...s, endpointSlices: s.endpointSlices.set(k, { ...sl, endpoints: [{ conditions: {} } as never] }) } }), 'endpoints[0].addresses: must be a non-empty list of addresses'],
  ['a container record without its node', () => withState((s) => ({ ...s, containers: s.containers.set('default/client', { startedAt: 1 } as never) })), 'containers["default/client"]: must name the node running it'],
  ['a pod IP lease of a non-address', () => withState((s) => ({ ...s, ipam: s.ipam.set('worker-1', { next: 3, used: s.ipam.get('worker-1')!.used.set('x', 'default/a') }) })), 'must map an IPv4 address to a pod'],
  ['a NodePort that is not a port', () => withState((s) => ({ ...s, nodePorts: s.nodePorts.set(70000, 'default/x') })), 'nodePorts[70000]: the key must be a port number'],
  ['a watch view without its sync time', () => withState((s) => ({ ...s, dns: s.dns.set(s.dns.keySeq().first()!, { ...s.dns.first()!, syncedAt: 'never' as never }) })), 'syncedAt: must be a virtual time'],
  ['a conntrack entry without tuples', () => withState((s) => { const net = s.net.first()!; return { ...s, net: s.net.set(s.net.keySeq().first()!, { ...net, conntrack: net.conntrack.set('x', { entry: {}, dir: 'orig' } as never) }) } }), 'must hold the original and reply tuples'],
  ['a timer at no time', () => { const s = good(); (s['timers'] as unknown[][])[0]![0] = null; return s }, 'timers[0]: must be [virtual ms'],
  ['a timer of an unknown controller', () => { const s = good(); (s['timers'] as unknown[][])[0]![2] = 'cron'; return s }, 'timers[0]: must be'],
  ['a timer numbered past the counter', () => ({ ...good(), timerSeq: 0 }), 'a sequence number below timerSeq'],
  ['a due timer the heap does not hold', () => { const s = good(); (s['due'] as unknown[][])[0]![2] = 123456789; return s }, 'due[0]: no timer in the heap fires then'],
  ['work queued for an unknown controller', () => ({ ...good(), queues: [['cron', ['x']]] }), 'queues[0]: must be [a controller listed once, its keys]'],
  ['a memory of the wrong shape', () => { const s = good(); const rows = s['rows'] as unknown[][]; const [, ref] = (s['memories'] as [string, [number]][]).find(([c]) => c === 'kube-proxy')!; const row = rows[ref[0]]!; row[row.indexOf('base') + 1] = 'zero'; return s }, 'the memory of kube-proxy has a string where a number belongs at base'],
  ['a memory with a field it never had', () => { const s = good(); const rows = s['rows'] as unknown[][]; const [, ref] = (s['memories'] as [string, [number]][]).find(([c]) => c === 'default-scheduler')!; rows[ref[0]]!.push('extra', 1); return s }, 'the memory of default-scheduler has a field it does not know: extra'],
  ['a memory of a controller that keeps none', () => { const s = good(); (s['memories'] as unknown[]).push(['kubelet', 1]); return s }, 'the memory of kubelet is unknown'],
  ['an event without a message', () => withEvents((e) => [...e.slice(0, -1), { ...e.at(-1)!, message: undefined }]), 'must have a time, an actor, an action, an object and a message'],
  ['an event count below the events kept', () => ({ ...good(), eventTotal: 3 }), 'eventTotal: must count at least the events kept'],
  ['an index order that leaves an object out', () => ({ ...good(), indexOrder: (good()['indexOrder'] as string[]).slice(1) }), 'its index order is damaged: it leaves out'],
  ['an index order naming a ghost', () => ({ ...good(), indexOrder: [...(good()['indexOrder'] as string[]), 'Pod|default/ghost'] }), 'it lists Pod|default/ghost, which the state does not hold'],
  ['index keys in another set than the state gives', () => ({ ...good(), indexKeys: { ...(good()['indexKeys'] as object), podsByNode: ['worker-9'] } }), 'its index order is damaged: podsByNode'],
  ['index keys missing', () => ({ ...good(), indexKeys: undefined }), 'its index order is damaged: indexKeys: missing'],
  ['an index order listing an object twice', () => { const o = good()['indexOrder'] as string[]; return { ...good(), indexOrder: [...o, o[0]] } }, 'an object is listed twice'],
]

function withEvents(change: (events: Record<string, unknown>[]) => unknown[]): unknown {
  const engine = base.engine
  const save = engine.rt.save.bind(engine.rt)
  const rt = Object.create(engine.rt) as typeof engine.rt
  rt.save = (n) => {
    const s = save(n)
    return { ...s, events: change(s.events as unknown as Record<string, unknown>[]) as never }
  }
  return JSON.parse(JSON.stringify(takeSnapshot({ state: engine.state, rt, config: engine.config } as unknown as Engine)))
}

describe('a damaged, foreign or other-version snapshot', () => {
  it.each(CORPUS)('is refused with the reason, in plain words: %s', (_, make, reason) => {
    const r = restoreSimulation(make())
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error).toContain(reason)
    expect(r.error).not.toMatch(/TypeError|ReferenceError|SyntaxError|is not a function|Cannot read|undefined is not/)
  })

  it('a version-1 snapshot (one random stream) restores as the same cluster, and runs on', () => {
    const v2 = good()
    const v1 = { ...v2, version: 1, rng: (v2['rng'] as Record<string, number[]>)['names'] }
    const r = restoreSimulation(v1)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const same = restoreSimulation(v2)
    if (!same.ok) throw new Error(same.error)
    expect(r.sim.state).toEqual(same.sim.state)
    expect(r.sim.scale('default', 'web', 4).ok).toBe(true)
    expect(r.sim.settle().settled).toBe(true)
  })

  it('a version-2 snapshot (one DNS view shared by the CoreDNS pods) restores with a view per pod, and its pending change reaches each', () => {
    // Taken by version 2 of the simulator: web settled, then Service "late" applied and 50 ms run, so CoreDNS's one
    // shared sync was still pending.
    const v2 = JSON.parse(readFileSync(`${__dirname}/__fixtures__/snapshot-v2.json`, 'utf8')) as unknown
    const r = restoreSimulation(v2)
    if (!r.ok) throw new Error(r.error)
    const pods = [...r.sim.state.dns.keys()]
    expect(pods).toHaveLength(2)
    for (const pod of pods) expect(r.sim.dnsRecords(pod).some((rec) => rec.name.startsWith('late.'))).toBe(false)
    r.sim.advance(200)
    for (const pod of pods) expect(r.sim.dnsRecords(pod).some((rec) => rec.name === 'late.default.svc.cluster.local.')).toBe(true)
    expect(r.sim.resolve('default/client', 'late').rcode).toBe('NOERROR')
    expect(restoreSimulation(r.sim.snapshot()).ok).toBe(true)
  })

  it('the base snapshot itself restores (so each refusal above is for its own damage)', () => {
    expect(restoreSimulation(good()).ok).toBe(true)
  })

  it('damaged anywhere at random: never throws, and what it accepts runs on without breaking', () => {
    const snapshot = good()
    const rows = snapshot['rows'] as unknown[][]
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.nat(rows.length + 5).map((n) => [n]), fc.constant([]), fc.constant({}))
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(rows.length - 1), fc.nat(40), value), { minLength: 1, maxLength: 3 }), (damage) => {
        const copy = JSON.parse(JSON.stringify(snapshot)) as Record<string, unknown>
        const table = copy['rows'] as unknown[][]
        for (const [row, at, v] of damage) {
          const r = table[row]!
          r[Math.min(r.length - 1, at)] = v
        }
        let result: ReturnType<typeof restoreSimulation> | undefined
        expect(() => (result = restoreSimulation(copy))).not.toThrow()
        if (!result!.ok) {
          expect(result!.error).not.toMatch(/TypeError|ReferenceError|is not a function|Cannot read/)
          return
        }
        const sim: Simulation = result!.sim
        sim.advance(20_000)
        sim.scale('default', 'web', 2)
        sim.settle()
        sim.connect('default/client', 'web:80')
        sim.kubectlGet('pods', { allNamespaces: true })
      }),
      { numRuns: Number(process.env['SNAPSHOT_RUNS'] ?? 150) },
    )
  }, 120_000)
})
