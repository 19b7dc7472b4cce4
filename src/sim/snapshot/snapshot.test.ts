import fc from 'fast-check'
import { Map as IMap } from 'immutable'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { webScenario } from '../../scenarios/webScenario'
import { createSimulation, restoreSimulation, type Simulation } from '../index'
import type { Service } from '../model/service'
import { emptyState, KIND_TABLES } from '../state'
import { SNAPSHOT_VERSION } from './takeSnapshot'

/** A user's step, as data so fast-check can shrink a failing history to the shortest one. */
type Step =
  | { type: 'deploy'; app: string; replicas: number; image: string }
  | { type: 'service'; app: string; kind: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'headless'; local: boolean }
  | { type: 'scale'; app: string; replicas: number }
  | { type: 'deletePod'; index: number }
  | { type: 'deleteService'; app: string }
  | { type: 'deleteNode' }
  | { type: 'configMap'; name: string }
  | { type: 'connect'; app: string; keepAlive: boolean }
  | { type: 'external'; app: string }
  | { type: 'resolve'; name: string }
  | { type: 'advance'; ms: number }

const apps = fc.constantFrom('web', 'api', 'db')
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('deploy' as const), app: apps, replicas: fc.integer({ min: 0, max: 6 }), image: fc.constantFrom('nginx:1.27', 'registry.k8s.io/e2e-test-images/agnhost:2.53') }),
  fc.record({ type: fc.constant('service' as const), app: apps, kind: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const, 'headless' as const), local: fc.boolean() }),
  fc.record({ type: fc.constant('scale' as const), app: apps, replicas: fc.integer({ min: 0, max: 8 }) }),
  fc.record({ type: fc.constant('deletePod' as const), index: fc.nat(20) }),
  fc.record({ type: fc.constant('deleteService' as const), app: apps }),
  fc.constant({ type: 'deleteNode' as const }),
  fc.record({ type: fc.constant('configMap' as const), name: fc.constantFrom('settings', 'flags') }),
  fc.record({ type: fc.constant('connect' as const), app: apps, keepAlive: fc.boolean() }),
  fc.record({ type: fc.constant('external' as const), app: apps }),
  fc.record({ type: fc.constant('resolve' as const), name: fc.constantFrom('web', 'api.default.svc.cluster.local', 'db', 'example.com') }),
  fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
)

/** Performs a step and returns what the caller saw, as text (results, errors and thrown messages alike). */
function perform(sim: Simulation, s: Step): string {
  try {
    switch (s.type) {
      case 'deploy':
        return JSON.stringify(
          sim.apply({
            apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: s.app },
            spec: {
              replicas: s.replicas, selector: { matchLabels: { app: s.app } },
              template: { metadata: { labels: { app: s.app } }, spec: { containers: [{ name: s.app, image: s.image, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 3 } }] } },
            },
          }),
        )
      case 'service':
        sim.delete('svc', 'default', s.app)
        return JSON.stringify(
          sim.apply({
            apiVersion: 'v1', kind: 'Service', metadata: { name: s.app },
            spec: {
              selector: { app: s.app }, ports: [{ name: 'http', port: 80, targetPort: 'http' }],
              ...(s.kind === 'headless' ? { clusterIP: 'None' } : { type: s.kind }),
              ...(s.local && (s.kind === 'NodePort' || s.kind === 'LoadBalancer') ? { externalTrafficPolicy: 'Local' } : {}),
            },
          }),
        )
      case 'scale':
        return JSON.stringify(sim.scale('default', s.app, s.replicas))
      case 'deletePod': {
        const pods = sim.list('Pod', 'default').filter((p) => p.metadata.name !== 'client')
        return pods.length ? JSON.stringify(sim.delete('pod', 'default', pods[s.index % pods.length]!.metadata.name)) : 'no pod'
      }
      case 'deleteService':
        return JSON.stringify(sim.delete('svc', 'default', s.app))
      case 'deleteNode':
        return JSON.stringify(sim.delete('node', undefined, 'worker-2'))
      case 'configMap':
        return JSON.stringify(sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: s.name }, data: { at: String(sim.now) } }))
      case 'connect':
        return JSON.stringify(sim.connect('default/client', `${s.app}:80`, { keepAlive: s.keepAlive }))
      case 'external': {
        const svc = sim.get('Service', 'default', s.app) as Service | undefined
        const lb = svc?.status.loadBalancer.ingress?.[0]?.ip
        const nodePort = svc?.spec.ports?.[0]?.nodePort
        return JSON.stringify(sim.connect('external', lb ? `${lb}:80` : `172.18.0.3:${nodePort ?? 30080}`))
      }
      case 'resolve':
        return JSON.stringify(sim.resolve('default/client', s.name))
      case 'advance':
        sim.advance(s.ms)
        return String(sim.now)
    }
  } catch (e) {
    return `threw ${(e as Error).message}`
  }
}

const start = () => {
  const sim = createSimulation({ seed: 11, workers: 2 })
  sim.apply(webScenario())
  sim.settle()
  return sim
}

/** A snapshot sent through JSON, as a save or a file carries it, and restored. */
function throughJson(sim: Simulation): Simulation {
  const r = restoreSimulation(JSON.parse(JSON.stringify(sim.snapshot())))
  if (!r.ok) throw new Error(r.error)
  return r.sim
}

describe('a snapshot', () => {
  it('continues exactly: after a restore the same steps give the same results, states, names, IPs, draws and events', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 14 }), fc.array(step, { minLength: 1, maxLength: 10 }), (before, after) => {
        const original = start()
        for (const s of before) perform(original, s)
        const restored = throughJson(original)
        const kept = restored.events()
        expect(kept).toEqual(original.events().slice(-kept.length))
        for (const s of after) expect(perform(restored, s), JSON.stringify(s)).toBe(perform(original, s))
        // The whole of each, RNG, timers, memories and index order included, compared as their snapshots.
        expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(original.snapshot()))
        const tail = restored.events()
        expect(tail).toEqual(original.events().slice(-tail.length))
        expect(restored.eventCount).toBe(original.eventCount)
        expect(restored.kubeProxyRules('worker-1')).toBe(original.kubeProxyRules('worker-1'))
      }),
      { numRuns: Number(process.env['SNAPSHOT_RUNS'] ?? 30) },
    )
  }, 120_000)

  it('restored in the middle of changes (pods starting, kube-proxy about to sync, a load balancer provisioning) goes on the same', () => {
    const original = start()
    original.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } })
    original.scale('default', 'web', 6)
    original.advance(150)
    const restored = throughJson(original)
    for (const sim of [original, restored]) sim.settle()
    expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(original.snapshot()))
    expect(restored.list('Pod')).toEqual(original.list('Pod'))
    expect((restored.get('Service', 'default', 'web-lb') as Service).status).toEqual((original.get('Service', 'default', 'web-lb') as Service).status)
  })

  it('keeps what a node holds outside the API: an image pulled before the snapshot is not pulled again after it', () => {
    const sim = throughJson(start())
    sim.scale('default', 'web', 6)
    sim.settle()
    const pulls = sim.events().filter((e) => e.reason === 'Pulled' && e.message.includes('already present on machine') && e.message.includes('nginx-unprivileged'))
    expect(pulls.length).toBeGreaterThan(0)
    expect(sim.state.images.get('worker-1')?.has('nginxinc/nginx-unprivileged:1.27')).toBe(true)
  })

  it('rebuilds the indexes from the state, in the order they were built: every index equal to the original, order included', () => {
    const original = start()
    for (const s of [{ type: 'scale', app: 'web', replicas: 5 }, { type: 'deletePod', index: 2 }, { type: 'advance', ms: 4000 }, { type: 'scale', app: 'web', replicas: 2 }, { type: 'advance', ms: 9000 }] as Step[]) perform(original, s)
    const restored = throughJson(original)
    const dump = (sim: Simulation) => {
      const index = sim.engine.rt.index as unknown as Record<string, unknown>
      return Object.fromEntries(Object.keys(index).map((k) => [k, JSON.stringify(index[k], (_, v) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v))]))
    }
    expect(dump(restored)).toEqual(dump(original))
  })

  it('covers every field of the state: a cluster using them all restores each one equal (a new field must be added here)', () => {
    const sim = start()
    perform(sim, { type: 'service', app: 'web', kind: 'LoadBalancer', local: false })
    perform(sim, { type: 'configMap', name: 'settings' })
    sim.settle()
    perform(sim, { type: 'external', app: 'web' })
    perform(sim, { type: 'connect', app: 'web', keepAlive: true })
    sim.apply({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] })
    sim.settle()
    // IPVS mode: the round-robin positions and counters live in each node's net.
    expect(sim.setProxyMode('ipvs').ok).toBe(true)
    sim.settle()
    perform(sim, { type: 'connect', app: 'web', keepAlive: true })
    expect(sim.fault('kube-proxy-stalled', 'worker-1').ok).toBe(true)
    const restored = throughJson(sim)
    const empty = emptyState() as unknown as Record<string, unknown>
    const state = sim.state as unknown as Record<string, unknown>
    const again = restored.state as unknown as Record<string, unknown>
    expect(Object.keys(again)).toEqual(Object.keys(state))
    for (const field of Object.keys(empty)) {
      expect(state[field], `the scenario leaves ${field} as a new cluster has it: make it use ${field}`).not.toEqual(empty[field])
      expect(JSON.stringify(again[field]), field).toBe(JSON.stringify(state[field]))
    }
  })

  it('says which runtime fields it keeps: a new one fails here until the snapshot keeps it or it is rebuilt', () => {
    const rt = createSimulation({ workers: 0 }).engine.rt as unknown as Record<string, unknown>
    // Kept: rng, seq, timers, timerDue (with timerCounts, derived from it), queues, memories, events, now.
    // Rebuilt: index (from the state, in its order), api and config (from the snapshot's config), caches (start empty).
    // Transient: journal (kept only while a command runs, to undo it), immediate (set only while building or relisting).
    expect(Object.keys(rt).sort()).toEqual(['api', 'caches', 'config', 'events', 'immediate', 'index', 'journal', 'memories', 'now', 'queues', 'rng', 'seq', 'timerCounts', 'timerDue', 'timers'])
  })

  it('is plain JSON, and small: a classroom cluster fits in well under 200 kilobytes', () => {
    const snap = start().snapshot()
    const text = JSON.stringify(snap)
    expect(JSON.parse(text)).toEqual(snap)
    expect(text.length).toBeLessThan(160_000)
  })
})

/**
 * The shape of values, merged over all of them: a table's key kinds and its values' shape, an object's fields; API
 * objects are "KubeObject" (their shape is Kubernetes' own) and string-to-string maps "strings" (their keys are data).
 */
function shape(values: readonly unknown[], depth = 0): string {
  if (values.length === 0) return '?'
  if (depth > 5) return '…'
  const keysOf = (maps: readonly Map<unknown, unknown>[]) => [...new Set(maps.flatMap((m) => [...m.keys()].map((k) => typeof k)))].sort().join('|') || '?'
  if (values.every((v) => IMap.isMap(v) || v instanceof Map)) {
    const maps = values as Map<unknown, unknown>[]
    return `${values[0] instanceof Map ? 'Map' : 'Table'}<${keysOf(maps)}, ${shape(maps.flatMap((m) => [...m.values()]), depth + 1)}>`
  }
  if (values.every((v) => v instanceof Set)) return `Set<${[...new Set(values.flatMap((v) => [...(v as Set<unknown>)].map((x) => typeof x)))].sort().join('|') || '?'}>`
  if (values.every(Array.isArray)) return `list<${shape(values.flat(), depth + 1)}>`
  if (values.every((v) => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype)) {
    const objects = values as Record<string, unknown>[]
    if (objects.every((o) => typeof o['apiVersion'] === 'string')) return 'KubeObject'
    if (objects.every((o) => Object.values(o).every((x) => typeof x === 'string'))) return 'strings'
    const fields = new Map<string, unknown[]>()
    for (const o of objects) for (const [k, x] of Object.entries(o)) fields.set(k, [...(fields.get(k) ?? []), x])
    return `{${[...fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, xs]) => `${k}${xs.length < objects.length ? '?' : ''}: ${shape(xs, depth + 1)}`).join(', ')}}`
  }
  return [...new Set(values.map((v) => (v === null ? 'null' : typeof v)))].sort().join('|')
}

describe('the snapshot format', () => {
  it('changes shape only with a new SNAPSHOT_VERSION (saves of the old version are then refused, never misread)', () => {
    const sim = start()
    perform(sim, { type: 'service', app: 'web', kind: 'LoadBalancer', local: false })
    sim.settle()
    perform(sim, { type: 'connect', app: 'web', keepAlive: true })
    const snap = sim.snapshot()
    const state = sim.state as unknown as Record<string, unknown>
    const lines = [`snapshot fields: ${Object.keys(snap).join(', ')}`]
    const apiTables = new Set<string>(Object.values(KIND_TABLES))
    for (const [field, value] of Object.entries(state)) {
      // The API objects' shape is Kubernetes' own, versioned by their apiVersion.
      lines.push(`state.${field}: ${apiTables.has(field) || field === 'others' ? `Table<string, ${Object.entries(KIND_TABLES).find(([, t]) => t === field)?.[0] ?? 'KubeObject'}>` : shape([value])}`)
    }
    const rt = sim.engine.rt.save({ stories: 0, writes: 0 })
    // By controller: the order memories are first made in is not part of the shape.
    for (const [controller, memory] of [...rt.memories].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`memory ${controller}: ${shape([memory])}`)
    const text = `version ${SNAPSHOT_VERSION}\n${lines.join('\n')}\n`
    const golden = `${__dirname}/__golden__/snapshot-shape-v${SNAPSHOT_VERSION}.txt`
    if (process.env['UPDATE_GOLDEN'] && !existsSync(golden)) writeFileSync(golden, text)
    expect(existsSync(golden), `no golden for snapshot version ${SNAPSHOT_VERSION}: run UPDATE_GOLDEN=1 and review it`).toBe(true)
    expect(text, 'the snapshot shape changed: bump SNAPSHOT_VERSION in takeSnapshot.ts (a new golden is then written)').toBe(readFileSync(golden, 'utf8'))
  })
})
