/**
 * Engine benchmark: cold converge, one scale event, iptables-save of one node, and heap, at the sizes of the issue
 * (S, M, L, XL = Kubernetes' own scalability limits). Prints numbers; asserts nothing.
 *
 *   npm run bench            all sizes
 *   npm run bench -- S M L   some sizes
 */
import { heap, ms, time } from './measure'
import { createSimulation, type Simulation } from '../src/sim'

interface Size {
  readonly name: string
  readonly nodes: number
  readonly pods: number
  readonly services: number
}

const SIZES: Size[] = [
  { name: 'S', nodes: 3, pods: 30, services: 10 },
  { name: 'M', nodes: 100, pods: 3_000, services: 300 },
  { name: 'L', nodes: 1_000, pods: 30_000, services: 2_000 },
  { name: 'XL', nodes: 5_000, pods: 150_000, services: 10_000 },
]

/** One Deployment and one Service per app, spread over namespaces of 50 apps each. */
function manifests(size: Size): object[] {
  const out: object[] = []
  const perApp = Math.round(size.pods / size.services)
  const namespaces = Math.ceil(size.services / 50)
  for (let n = 0; n < namespaces; n++) out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `team-${n}` } })
  for (let i = 0; i < size.services; i++) {
    const ns = `team-${Math.floor(i / 50)}`
    const app = `app-${i}`
    out.push({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: app, namespace: ns },
      spec: {
        replicas: perApp, selector: { matchLabels: { app } },
        template: { metadata: { labels: { app } }, spec: { containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 5 } }] } },
      },
    })
    out.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns }, spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } })
  }
  return out
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`


/** Scales one Deployment by +1 and measures the API call (controllers to a fixpoint) and the settle that follows. */
function scaleEvent(sim: Simulation, size: Size): { call: number; settle: number; total: number } {
  const ns = 'team-0'
  const app = 'app-0'
  const replicas = (sim.get('Deployment', ns, app)!.spec as { replicas: number }).replicas
  const [, call] = time(() => sim.scale(ns, app, replicas + 1))
  const [, settle] = time(() => sim.settle())
  void size
  return { call, settle, total: call + settle }
}

/** The scale event as the UI plays it: 16 ms of virtual time per frame (1x speed); the costliest frame and the total. */
function scaleEventByFrames(sim: Simulation): { worst: number; frames: number } {
  const ns = 'team-0'
  const app = 'app-0'
  const replicas = (sim.get('Deployment', ns, app)!.spec as { replicas: number }).replicas
  let worst = 0
  let frames = 0
  const [, first] = time(() => sim.scale(ns, app, replicas + 1))
  worst = first
  while (sim.engine.rt.nextTimerAt() !== undefined && frames < 10_000) {
    const [, t] = time(() => sim.advance(16))
    worst = Math.max(worst, t)
    frames++
  }
  return { worst, frames }
}

/** The same scale event, but every controller resyncs every object afterwards (no work queues, no indexes' help). */
function naiveScaleEvent(sim: Simulation): number {
  const engine = sim.engine
  const ns = 'team-0'
  const app = 'app-0'
  const replicas = (sim.get('Deployment', ns, app)!.spec as { replicas: number }).replicas
  const [, t] = time(() => {
    sim.scale(ns, app, replicas + 1)
    const s = engine.state
    for (const k of s.deployments.keys()) engine.rt.enqueue('deployment-controller', k)
    for (const k of s.replicaSets.keys()) engine.rt.enqueue('replicaset-controller', k)
    for (const k of s.pods.keys()) engine.rt.enqueue('kubelet', k)
    for (const k of s.services.keys()) {
      engine.rt.enqueue('endpointslice-controller', k)
      engine.rt.enqueue('endpoints-controller', k)
      engine.rt.enqueue('service-lb-controller', k)
      engine.rt.enqueue('coredns', k)
      engine.rt.enqueue('kube-proxy', k)
    }
    sim.settle()
  })
  return t
}

/**
 * Connections through rule evaluation: a client pod opens new connections to random Services by ClusterIP. Reports
 * connections per second and the rules each connection's first packet walked (on its node and the pod's node).
 */
function connections(sim: Simulation, size: Size): { perSecond: number; rulesPerConnection: number; count: number } {
  sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bench-client', namespace: 'team-0' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })
  sim.settle()
  const ips = sim.list('Service').filter((s) => s.metadata.name.startsWith('app-')).map((s) => (s.spec as { clusterIP: string }).clusterIP)
  let seed = 1
  const pick = () => ips[(seed = (seed * 48271) % 2147483647) % ips.length]!
  for (let i = 0; i < 20; i++) sim.connect('team-0/bench-client', `${pick()}:80`)
  const count = size.nodes >= 1000 ? 500 : 2000
  let rules = 0
  const [, t] = time(() => {
    for (let i = 0; i < count; i++) rules += sim.connect('team-0/bench-client', `${pick()}:80`).rulesEvaluated
  })
  return { perSecond: (count / t) * 1000, rulesPerConnection: rules / count, count }
}

/**
 * Commands a student types, through `sim.run` as the console sends them: reads (get, describe, the node's
 * iptables-save and iptables -L) and, apart, lookups and requests from a pod (which dispatch actions).
 */
function commands(sim: Simulation): { reads: number; readsPerSecond: number; execPerSecond: number; saveMs: number } {
  const reads = ['kubectl get pods -n team-0', 'kubectl get svc -A', 'kubectl describe svc app-0 -n team-0', 'kubectl get endpointslices -n team-0 -o wide', 'kubectl get deploy app-0 -n team-0 -o yaml', 'iptables -t nat -L KUBE-SERVICES -n']
  const runOne = (line: string) => sim.run(line, line.startsWith('iptables') ? { node: 'worker-1' } : {})
  for (const l of reads) runOne(l)
  const n = 30
  const [, t] = time(() => {
    for (let i = 0; i < n; i++) for (const l of reads) runOne(l)
  })
  const [, save] = time(() => sim.run('iptables-save', { node: 'worker-1' }))
  const m = 200
  const [, te] = time(() => {
    for (let i = 0; i < m; i++) sim.run(i % 2 ? 'nslookup app-1.team-0' : 'curl -s app-1.team-0', { pod: 'team-0/bench-client' })
  })
  return { reads: n * reads.length, readsPerSecond: ((n * reads.length) / t) * 1000, execPerSecond: (m / te) * 1000, saveMs: save }
}

function run(size: Size): void {
  const base = heap()
  const [sim, boot] = time(() => createSimulation({ seed: 1, workers: size.nodes - 1 }))
  const objects = manifests(size)
  const [result, applyTime] = time(() => sim.apply(objects))
  if (!result.ok) throw new Error(result.errors.slice(0, 3).map((e) => e.message).join('\n'))
  const [settled, settleTime] = time(() => sim.settle())
  const pods = sim.state.pods.size
  const slices = sim.state.endpointSlices.size
  const mem = heap() - base
  // Warm the caches once (the first sync after converge), then measure.
  scaleEvent(sim, size)
  const runs = [scaleEvent(sim, size), scaleEvent(sim, size), scaleEvent(sim, size)]
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!
  const node = 'worker-1'
  const [text, saveTime] = time(() => sim.kubeProxyRules(node)!)
  const byFrames = scaleEventByFrames(sim)
  const naive = naiveScaleEvent(sim)
  const conns = connections(sim, size)
  const incremental = median(runs.map((r) => r.total))
  const typed = commands(sim)
  console.log(
    [
      `${size.name.padEnd(2)} ${size.nodes} nodes, ${pods} pods, ${sim.state.services.size} services, ${slices} slices (${settled.settled ? 'settled' : 'NOT settled'} at t=${(settled.time / 1000).toFixed(0)}s virtual)`,
      `   bootstrap ${ms(boot)} | cold converge ${ms(applyTime + settleTime)} (apply ${ms(applyTime)} + settle ${ms(settleTime)})`,
      `   scale +1: API call to fixpoint ${ms(median(runs.map((r) => r.call)))}, until Ready and in every node's rules ${ms(incremental)} (median of 3)`,
      `   played at 1x (16 ms of virtual time per frame): worst frame ${ms(byFrames.worst)} over ${byFrames.frames} frames`,
      `   naive full resync of the same event ${ms(naive)}: ${(naive / incremental).toFixed(1)}x the incremental cost`,
      `   iptables-save ${node}: ${ms(saveTime)} for ${text.split('\n').length} lines (${(text.length / 1024).toFixed(0)} KiB), ${sim.ruleCount(node)} rules`,
      `   connect (new connections to random ClusterIPs): ${conns.perSecond.toFixed(0)}/s over ${conns.count}, ${conns.rulesPerConnection.toFixed(0)} rules evaluated per connection`,
      `   sim.run: ${typed.readsPerSecond.toFixed(0)} read commands/s over ${typed.reads} (get, describe, -o yaml, iptables -L); ${typed.execPerSecond.toFixed(0)} nslookup/curl from a pod/s; canonical iptables-save ${ms(typed.saveMs)}`,
      `   heap ${mb(mem)}`,
    ].join('\n'),
  )
}

const wanted = process.argv.slice(2).map((s) => s.toUpperCase())
for (const size of SIZES) if (wanted.length === 0 || wanted.includes(size.name)) run(size)
