import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ConnectResult } from './commands/connect'
import { DEFAULT_CONFIG } from './config'
import { nodeTables } from './controllers/kubeProxy/iptables/nodeTables'
import { endpointPortsFor } from './controllers/endpointPorts'
import { listensOn } from './dataplane/topology'
import { createSimulation, type Simulation } from './index'
import { catchUp } from './testing/scenarios'
import type { EndpointSlice } from './model/endpointSlice'
import { matchesLabels } from './model/meta'
import { isControlPlane, type Node } from './model/node'
import { FAULT_KINDS, FAULT_TARGETS } from './model/fault'
import { isPodReady, isPodRunning, isPodTerminating, type Pod } from './model/pod'
import { hasClusterIP, hasSelector, type Service } from './model/service'
import { cidrContains } from './runtime/ip'

/** A user's action, as data so fast-check can shrink a failing sequence to the shortest one. */
type Action =
  | { type: 'deploy'; app: string; replicas: number; port: number }
  | { type: 'service'; app: string; kind: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'headless'; local: boolean }
  | { type: 'scale'; app: string; replicas: number }
  | { type: 'deletePod'; index: number }
  | { type: 'deleteService'; app: string }
  | { type: 'advance'; ms: number }

const apps = fc.constantFrom('web', 'api', 'db')
const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ type: fc.constant('deploy' as const), app: apps, replicas: fc.integer({ min: 0, max: 6 }), port: fc.constantFrom(80, 8080) }),
  fc.record({ type: fc.constant('service' as const), app: apps, kind: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const, 'headless' as const), local: fc.boolean() }),
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
          ...(a.kind !== 'headless' && a.kind !== 'ClusterIP' && a.local ? { externalTrafficPolicy: 'Local' } : {}),
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

/** Invariants that hold whenever the controllers are at their fixpoint (they have taken in every write). */
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
    const tables = nodeTables(sim.state.proxies.get(node.metadata.name)!, { name: node.metadata.name, ip: (node as Node).status.addresses[0]!.address }, '10.244.0.0/16')
    const portals = [...(tables.nat.rules.get('KUBE-SERVICES') ?? []), ...(tables.filter.rules.get('KUBE-SERVICES') ?? [])]
      .filter((r) => !r.line.includes(' loadbalancer IP"') && !r.line.includes(' external IP"'))
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
    expectAnswered(sim, r, `${svc.metadata.name} by ClusterIP`)
    const served = ready.find((p) => `default/${p.metadata.name}` === r.pod)
    expect(served, `${svc.metadata.name} served by a ready pod it selects`).toBeDefined()
    expect(r.endpoint).toBe(`${served!.status.podIP}:${endpointPortsFor(svc, served!)[0]!.port}`)
    expect(r.hops.filter((h) => h.phase === 'reply').at(-1)!.after.src).toBe(`${svc.spec.clusterIP}:80`)
  }
}

/** Addresses of the cluster's own ranges: a connection to one that succeeds must have reached a pod there. */
function insideCluster(ip: string): boolean {
  const [first, last] = DEFAULT_CONFIG.loadBalancerPool.map((a) => Number(a.split('.')[3]))
  const lb = ip.startsWith('203.0.113.') && Number(ip.split('.')[3]) >= first! && Number(ip.split('.')[3]) <= last!
  return lb || [DEFAULT_CONFIG.podCIDR, DEFAULT_CONFIG.serviceCIDR, DEFAULT_CONFIG.nodeNetwork].some((c) => cidrContains(c, ip) && ip !== '172.18.0.1')
}

/**
 * No phantom successes: a connection that succeeded names the pod that answered, and that pod exists, is running,
 * holds the address the connection reached and listens on its port (kube-proxy's health check server answers a Local
 * load balancer's healthCheckNodePort); one that names no pod left the cluster. A DNS answer came from a running
 * CoreDNS pod.
 */
function expectAnswered(sim: Simulation, r: ConnectResult, what: string): void {
  for (const h of r.hops) {
    if (h.step !== 'dns' || !h.at.startsWith('kube-system/coredns-')) continue
    const dns = sim.get('Pod', 'kube-system', h.at.split('/')[1]!) as Pod | undefined
    expect(dns && isPodRunning(dns), `${what}: DNS answered by ${h.at}, a running CoreDNS pod`).toBe(true)
  }
  if (!r.ok) return
  const [ip, port] = r.endpoint!.split(':') as [string, string]
  if (!r.pod) {
    expect(insideCluster(ip), `${what}: success with no pod is only for addresses beyond the cluster (${r.endpoint})`).toBe(false)
    return
  }
  const [ns, name] = r.pod.split('/') as [string, string]
  const pod = sim.get('Pod', ns, name) as Pod | undefined
  expect(pod, `${what}: ${r.pod} exists`).toBeDefined()
  expect(isPodRunning(pod!), `${what}: ${r.pod} is running`).toBe(true)
  expect(pod!.status.podIP, `${what}: ${r.pod} holds ${ip}`).toBe(ip)
  const proto = r.hops.find((h) => h.phase === 'request')!.before.proto
  const healthCheck = (sim.list('Service') as Service[]).some((s) => s.spec.healthCheckNodePort === Number(port))
  expect(listensOn(pod!, Number(port), proto) || (healthCheck && pod!.metadata.labels?.['k8s-app'] === 'kube-proxy'), `${what}: ${r.pod} listens on ${port}/${proto}`).toBe(true)
}

/** A fault: something deleted that a real cluster loses now and then, or a node joining. */
type Fault =
  | { type: 'deleteNode'; index: number }
  | { type: 'joinNode' }
  | { type: 'deleteSlice'; index: number }
  | { type: 'deleteSystem'; what: 'default/kubernetes' | 'kube-system/kube-dns' | 'coredns pod' | 'kube-proxy pod'; index: number }
  | { type: 'request'; to: 'name' | 'clusterIP' | 'nodePort' | 'loadBalancer'; index: number; keepAlive: boolean }

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.record({ type: fc.constant('deleteNode' as const), index: fc.nat(3) }),
  fc.record({ type: fc.constant('joinNode' as const) }),
  fc.record({ type: fc.constant('deleteSlice' as const), index: fc.nat(10) }),
  fc.record({ type: fc.constant('deleteSystem' as const), what: fc.constantFrom('default/kubernetes' as const, 'kube-system/kube-dns' as const, 'coredns pod' as const, 'kube-proxy pod' as const), index: fc.nat(3) }),
  fc.record({ type: fc.constant('request' as const), to: fc.constantFrom('name' as const, 'clusterIP' as const, 'nodePort' as const, 'loadBalancer' as const), index: fc.nat(5), keepAlive: fc.boolean() }),
)

const PROBE = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }

/** Applies a fault; a request is checked for phantom success at once. */
function inject(sim: Simulation, f: Fault, joined: { n: number }): void {
  const pick = <T>(list: readonly T[], i: number) => (list.length ? list[i % list.length] : undefined)
  switch (f.type) {
    case 'deleteNode': {
      const node = pick(sim.list('Node'), f.index)
      if (node) sim.delete('node', undefined, node.metadata.name)
      break
    }
    case 'joinNode':
      sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: `joined-${joined.n++}` } })
      break
    case 'deleteSlice': {
      const slice = pick(sim.list('EndpointSlice'), f.index)
      if (slice) sim.delete('endpointslice', slice.metadata.namespace, slice.metadata.name)
      break
    }
    case 'deleteSystem': {
      if (f.what === 'default/kubernetes' || f.what === 'kube-system/kube-dns') {
        const [ns, name] = f.what.split('/') as [string, string]
        if (sim.get('Service', ns, name)) sim.delete('svc', ns, name)
        break
      }
      const label = f.what === 'coredns pod' ? 'kube-dns' : 'kube-proxy'
      const pod = pick((sim.list('Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.labels?.['k8s-app'] === label), f.index)
      if (pod) sim.delete('pod', 'kube-system', pod.metadata.name)
      break
    }
    case 'request': {
      if (!sim.get('Pod', 'default', 'probe')) sim.apply(PROBE)
      const services = (sim.list('Service', 'default') as Service[]).filter((s) => s.metadata.name !== 'kubernetes')
      const svc = pick(services, f.index)
      if (!svc) break
      const port = svc.spec.ports![0]!
      const nodes = sim.list('Node') as Node[]
      let r: ConnectResult | undefined
      if (f.to === 'name') r = sim.connect('default/probe', `${svc.metadata.name}:${port.port}`, { keepAlive: f.keepAlive })
      else if (f.to === 'clusterIP' && hasClusterIP(svc)) r = sim.connect('default/probe', `${svc.spec.clusterIP}:${port.port}`, { keepAlive: f.keepAlive })
      else if (f.to === 'nodePort' && port.nodePort && nodes.length) r = sim.connect('external', `${pick(nodes, f.index)!.status.addresses[0]!.address}:${port.nodePort}`)
      else if (f.to === 'loadBalancer' && svc.status.loadBalancer.ingress?.[0]?.ip) r = sim.connect('external', `${svc.status.loadBalancer.ingress[0].ip}:${port.port}`)
      if (r) expectAnswered(sim, r, `${f.to} request to ${svc.metadata.name}`)
    }
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
          // The controllers take a write in a moment after it: check once they have.
          catchUp(sim)
          checkEndpoints(sim)
        }
        expect(sim.settle().settled).toBe(true)
        checkEndpoints(sim)
        checkRules(sim)
        checkDataplane(sim)
      }),
      { seed: 20260105, numRuns: 150 },
    )
  }, 60_000)

  it('no request succeeds without a live pod behind it, through faults of deletion (seeded fuzz: 20260107)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(fc.oneof(action, fault, fault), { minLength: 1, maxLength: 12 }), (seed, steps) => {
        // A running application to lose things under: web behind a load balancer, three pods spread over the workers.
        const sim = createSimulation({ seed, workers: 2 })
        sim.apply(PROBE)
        perform(sim, { type: 'deploy', app: 'web', replicas: 3, port: 8080 })
        perform(sim, { type: 'service', app: 'web', kind: 'LoadBalancer', local: seed % 2 === 0 })
        sim.settle()
        const joined = { n: 1 }
        for (const step of steps) {
          if (step.type === 'deleteNode' || step.type === 'joinNode' || step.type === 'deleteSlice' || step.type === 'deleteSystem' || step.type === 'request') inject(sim, step, joined)
          else perform(sim, step)
          // Right after a fault, before the controllers and kube-proxy catch up, is when stale rules send traffic astray.
          if (step.type !== 'request' && step.type !== 'advance') for (const to of ['clusterIP', 'loadBalancer'] as const) inject(sim, { type: 'request', to, index: step.type === 'deleteNode' || step.type === 'deleteSlice' ? step.index : 0, keepAlive: false }, joined)
        }
        expect(sim.settle()).toMatchObject({ settled: true })
        for (const to of ['name', 'clusterIP', 'nodePort', 'loadBalancer'] as const) for (let index = 0; index < 3; index++) inject(sim, { type: 'request', to, index, keepAlive: false }, joined)
      }),
      {
        seed: 20260107,
        numRuns: 30,
        // Counterexamples this property found in the dataplane before every delivery needed a live pod: a request
        // right after the Node holding web's pods was deleted, and a load balancer sending to a node just joined.
        examples: [
          [1, [{ type: 'deleteNode', index: 0 }, { type: 'deleteNode', index: 0 }, { type: 'advance', ms: 0 }]],
          [1, [{ type: 'joinNode' }, { type: 'deleteSystem', what: 'default/kubernetes', index: 0 }]],
        ],
      },
    )
  }, 60_000)

  it('after faults on purpose are healed and the cluster settles, every invariant holds again (seeded fuzz: 20261203)', () => {
    const injected = fc.record({
      type: fc.constant('fault' as const),
      fault: fc.constantFrom(...FAULT_KINDS),
      index: fc.nat(8),
      other: fc.nat(3),
    })
    // Which kinds of fault the runs managed to inject (some are refused: a probe fault on a pod without a probe).
    const accepted = new Set<string>()
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(fc.oneof(action, injected, injected), { minLength: 1, maxLength: 12 }), (seed, steps) => {
        const sim = createSimulation({ seed, workers: 2 })
        sim.apply(PROBE)
        perform(sim, { type: 'deploy', app: 'web', replicas: 3, port: 8080 })
        perform(sim, { type: 'service', app: 'web', kind: 'NodePort', local: false })
        sim.settle()
        const joined = { n: 1 }
        for (const step of steps) {
          if (step.type !== 'fault') {
            perform(sim, step)
            continue
          }
          const workers = (sim.list('Node') as Node[]).filter((n) => !isControlPlane(n)).map((n) => n.metadata.name)
          const pods = (sim.list('Pod') as Pod[]).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)
          const nodes = (sim.list('Node') as Node[]).map((n) => n.metadata.name)
          const target =
            FAULT_TARGETS[step.fault] === 'pod' ? pods[step.index % pods.length]
            : FAULT_TARGETS[step.fault] === 'node' ? workers[step.index % Math.max(1, workers.length)]
            : `${nodes[step.index % nodes.length]},${nodes[(step.index + 1 + step.other) % nodes.length]}`
          if (target && (sim.dispatch({ type: 'fault', fault: step.fault, target }) as { ok: boolean }).ok) accepted.add(step.fault)
          // While broken, no request may succeed without a live pod behind it.
          inject(sim, { type: 'request', to: 'name', index: 0, keepAlive: false }, joined)
          // Long enough, now and then, for a node down to be noticed and its pods evicted (50 s, then 300 s).
          sim.advance(step.other % 2 === 0 ? 20_000 : 400_000)
        }
        for (const f of [...sim.state.faults.values()]) expect(sim.dispatch({ type: 'heal', fault: f.fault, target: f.target })).toMatchObject({ ok: true })
        expect(sim.settle().settled).toBe(true)
        // A bare pod evicted from a node that was down is gone for good (nothing replaces it): the checks send from a new one.
        if (!sim.get('Pod', 'default', 'probe')) {
          sim.apply(PROBE)
          expect(sim.settle().settled).toBe(true)
        }
        checkEndpoints(sim)
        checkRules(sim)
        checkDataplane(sim)
      }),
      { seed: 20261203, numRuns: 60 },
    )
    expect([...accepted].sort()).toEqual([...FAULT_KINDS].sort())
  }, 120_000)

  it('the same seed and actions reproduce the same state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(action, { minLength: 1, maxLength: 8 }), (seed, actions) => {
        const once = () => {
          const sim = createSimulation({ seed, workers: 2 })
          for (const a of actions) perform(sim, a)
          sim.settle()
          return { pods: sim.list('Pod'), services: sim.list('Service'), slices: sim.list('EndpointSlice'), rules: sim.kubeProxyRules('worker-1') }
        }
        expect(once()).toEqual(once())
      }),
      { seed: 20260106, numRuns: 15 },
    )
  })
})
