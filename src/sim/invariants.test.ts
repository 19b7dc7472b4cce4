import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nodeTables } from './controllers/kubeProxy/nodeTables'
import { endpointPortsFor } from './controllers/endpointPorts'
import { createSimulation, type Simulation } from './index'
import type { EndpointSlice } from './model/endpointSlice'
import { matchesLabels } from './model/meta'
import { isPodReady, isPodTerminating, type Pod } from './model/pod'
import { hasClusterIP, hasSelector, type Service } from './model/service'

/** A user's action, as data so fast-check can shrink a failing sequence to the shortest one. */
type Action =
  | { type: 'deploy'; app: string; replicas: number; port: number }
  | { type: 'service'; app: string; kind: 'ClusterIP' | 'NodePort' | 'headless'; local: boolean }
  | { type: 'scale'; app: string; replicas: number }
  | { type: 'deletePod'; index: number }
  | { type: 'deleteService'; app: string }
  | { type: 'advance'; ms: number }

const apps = fc.constantFrom('web', 'api', 'db')
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('deploy' as const), app: apps, replicas: fc.integer({ min: 0, max: 6 }), port: fc.constantFrom(80, 8080) }),
  fc.record({ type: fc.constant('service' as const), app: apps, kind: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'headless' as const), local: fc.boolean() }),
  fc.record({ type: fc.constant('scale' as const), app: apps, replicas: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ type: fc.constant('deletePod' as const), index: fc.nat(20) }),
  fc.record({ type: fc.constant('deleteService' as const), app: apps }),
  fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 15_000 }) }),
)

function perform(sim: Simulation, a: Action): void {
  switch (a.type) {
    case 'deploy':
      sim.apply({
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: a.app },
        spec: {
          replicas: a.replicas, selector: { matchLabels: { app: a.app } },
          template: { metadata: { labels: { app: a.app } }, spec: { containers: [{ name: a.app, image: `img/${a.app}:${a.port}`, ports: [{ name: 'http', containerPort: a.port }], readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 3 } }] } },
        },
      })
      break
    case 'service':
      sim.delete('svc', 'default', a.app)
      sim.apply({
        apiVersion: 'v1', kind: 'Service', metadata: { name: a.app },
        spec: {
          selector: { app: a.app },
          ports: [{ name: 'http', port: 80, targetPort: 'http' }],
          ...(a.kind === 'headless' ? { clusterIP: 'None' } : { type: a.kind }),
          ...(a.kind === 'NodePort' && a.local ? { externalTrafficPolicy: 'Local' } : {}),
        },
      })
      break
    case 'scale':
      sim.scale('default', a.app, a.replicas)
      break
    case 'deletePod': {
      const pods = sim.list('Pod', 'default').filter((p) => p.metadata.name !== 'probe')
      if (pods.length) sim.delete('pod', 'default', pods[a.index % pods.length]!.metadata.name)
      break
    }
    case 'deleteService':
      sim.delete('svc', 'default', a.app)
      break
    case 'advance':
      sim.advance(a.ms)
  }
}

/** Invariants that hold whenever the controllers are at their fixpoint. */
function checkEndpoints(sim: Simulation): void {
  const pods = sim.list('Pod') as Pod[]
  const slices = sim.list('EndpointSlice') as EndpointSlice[]
  for (const slice of slices) expect(slice.endpoints?.length ?? 0).toBeLessThanOrEqual(100)
  for (const svc of sim.list('Service') as Service[]) {
    if (!hasSelector(svc)) continue
    const mine = slices.filter((s) => s.metadata.namespace === svc.metadata.namespace && s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
    const readyEndpoints = mine.flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions.ready).map((e) => e.targetRef!.name)).sort()
    const readyPods = pods
      .filter((p) => p.metadata.namespace === svc.metadata.namespace && matchesLabels(svc.spec.selector!, p.metadata.labels) && p.status.podIP && isPodReady(p) && !isPodTerminating(p))
      .map((p) => p.metadata.name)
      .sort()
    expect(readyEndpoints, `ready endpoints of ${svc.metadata.name}`).toEqual(readyPods)
  }
  const podIPs = pods.filter((p) => !p.spec.hostNetwork && p.status.podIP).map((p) => p.status.podIP)
  expect(new Set(podIPs).size).toBe(podIPs.length)
  const clusterIPs = (sim.list('Service') as Service[]).filter(hasClusterIP).map((s) => s.spec.clusterIP)
  expect(new Set(clusterIPs).size).toBe(clusterIPs.length)
  const nodePorts = (sim.list('Service') as Service[]).flatMap((s) => (s.spec.ports ?? []).map((p) => p.nodePort).filter(Boolean))
  expect(new Set(nodePorts).size).toBe(nodePorts.length)
}

/** Once settled, every node's rules list exactly the Services with a ClusterIP and exactly their usable endpoints. */
function checkRules(sim: Simulation): void {
  const services = (sim.list('Service') as Service[]).filter(hasClusterIP)
  const pods = sim.list('Pod') as Pod[]
  for (const node of sim.list('Node')) {
    const story = sim.events().filter((e) => e.actor === `kube-proxy/${node.metadata.name}`).at(-1)!
    expect(story.message, 'the rule count kube-proxy reports').toContain(`: ${sim.ruleCount(node.metadata.name)} rules`)
    const tables = nodeTables(sim.state.proxies.get(node.metadata.name)!, node.metadata.name, '10.244.0.0/16')
    const portals = [...(tables.nat.rules.get('KUBE-SERVICES') ?? []), ...(tables.filter.rules.get('KUBE-SERVICES') ?? [])]
      .map((r) => /-d (\S+) --dport (\d+)/.exec(r.line)).filter(Boolean).map((m) => `${m![1]}:${m![2]}`)
    const expected = services.flatMap((s) => s.spec.ports!.map((p) => `${s.spec.clusterIP}:${p.port}`))
    expect(new Set(portals)).toEqual(new Set(expected))
    for (const svc of services.filter((s) => hasSelector(s) && s.spec.ports?.[0]?.name === 'http')) {
      const usable = pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && matchesLabels(svc.spec.selector!, p.metadata.labels) && p.status.podIP && isPodReady(p) && !isPodTerminating(p))
      const want = usable.map((p) => `${p.status.podIP}:${endpointPortsFor(svc, p)[0]?.port}`).sort()
      const dnat = [...tables.nat.rules.values()].flat().map((r) => r.line)
        .filter((l) => l.includes(`--comment ${svc.metadata.namespace}/${svc.metadata.name}:http -m`) && l.includes('DNAT'))
        .map((l) => l.split('--to-destination ')[1]!).sort()
      const local = svc.spec.externalTrafficPolicy === 'Local'
      // Under Local policy a node also writes its own endpoints for the SVL chain; they are a subset of all endpoints.
      if (!local) expect(dnat, `DNAT targets of ${svc.metadata.name} on ${node.metadata.name}`).toEqual(want)
      else expect(want).toEqual(expect.arrayContaining(dnat))
    }
  }
}

/** Once settled: connections to a Service land on one of its ready pods, replies come from the ClusterIP, DNS agrees. */
function checkDataplane(sim: Simulation): void {
  const pods = sim.list('Pod') as Pod[]
  for (const svc of (sim.list('Service', 'default') as Service[]).filter(hasSelector)) {
    const ready = pods.filter((p) => p.metadata.namespace === 'default' && matchesLabels(svc.spec.selector!, p.metadata.labels) && p.status.podIP && isPodReady(p) && !isPodTerminating(p))
    const dns = sim.resolve('default/probe', svc.metadata.name)
    if (hasClusterIP(svc)) expect(dns.answers.map((a) => a.data)).toEqual([svc.spec.clusterIP])
    else expect(dns.answers.map((a) => a.data).sort()).toEqual(ready.map((p) => p.status.podIP).sort())
    if (!hasClusterIP(svc)) continue
    const r = sim.connect('default/probe', `${svc.spec.clusterIP}:80`)
    if (ready.length === 0) {
      expect(r.ok).toBe(false)
      continue
    }
    expect(r.ok, r.reason).toBe(true)
    const served = ready.find((p) => `default/${p.metadata.name}` === r.pod)
    expect(served, `${svc.metadata.name} served by a ready pod it selects`).toBeDefined()
    expect(r.endpoint).toBe(`${served!.status.podIP}:${endpointPortsFor(svc, served!)[0]!.port}`)
    expect(r.hops.filter((h) => h.phase === 'reply').at(-1)!.after.src).toBe(`${svc.spec.clusterIP}:80`)
  }
}

describe('invariants under random sequences of user actions', () => {
  it('endpoints, slices, IPs and rules stay consistent (seeded fuzz: 20260105)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(action, { minLength: 1, maxLength: 14 }), (seed, actions) => {
        const sim = createSimulation({ seed, workers: 2 })
        sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })
        for (const a of actions) {
          perform(sim, a)
          checkEndpoints(sim)
        }
        expect(sim.settle().settled).toBe(true)
        checkEndpoints(sim)
        checkRules(sim)
        checkDataplane(sim)
      }),
      { seed: 20260105, numRuns: 150 },
    )
    // 150 clusters: on a busy machine this takes longer than vitest's default 5 s, which would make it a timing test.
  }, 60_000)

  it('the same seed and actions reproduce the same state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(action, { minLength: 1, maxLength: 8 }), (seed, actions) => {
        const once = () => {
          const sim = createSimulation({ seed, workers: 2 })
          for (const a of actions) perform(sim, a)
          sim.settle()
          return { pods: sim.list('Pod'), services: sim.list('Service'), slices: sim.list('EndpointSlice'), rules: sim.iptablesSave('worker-1') }
        }
        expect(once()).toEqual(once())
      }),
      { seed: 20260106, numRuns: 15 },
    )
  })
})
