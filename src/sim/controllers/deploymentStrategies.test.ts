import { describe, expect, it } from 'vitest'
import { createSimulation, type Simulation } from '../index'
import { isPodActive, isPodReady, type Pod } from '../model/pod'
import { catchUp } from '../testing/scenarios'
import type { Deployment, ReplicaSet } from '../model/workloads'

const OLD = 'nginxinc/nginx-unprivileged:1.27'
const NEW = 'nginxinc/nginx-unprivileged:1.28'

/** Deployment `web` with the given strategy (left out when undefined) and image. */
function web(replicas: number, image: string, strategy?: unknown, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      ...(strategy !== undefined ? { strategy } : {}),
      ...extra,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 2 } }] },
      },
    },
  }
}

const webPods = (sim: Simulation) => (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web')
const imageOf = (p: Pod) => p.spec.containers[0]!.image
const deployment = (sim: Simulation) => sim.get('Deployment', 'default', 'web') as Deployment
const progressing = (sim: Simulation) => deployment(sim).status.conditions?.find((c) => c.type === 'Progressing')
const scalingEvents = (sim: Simulation) => sim.events().filter((e) => e.reason === 'ScalingReplicaSet' && e.object === 'Deployment default/web').map((e) => e.message)

function settledWeb(replicas: number, strategy?: unknown, seed = 5): Simulation {
  const sim = createSimulation({ seed, workers: 2 })
  const r = sim.apply(web(replicas, OLD, strategy))
  expect(r.errors).toEqual([])
  sim.settle()
  return sim
}

interface Step {
  readonly old: number
  readonly new: number
  /** Pods not being deleted, of either image. */
  readonly active: number
  /** Of those, the ones Ready. */
  readonly ready: number
}

/** Advances in 250 ms steps until the rollout is complete (or 5 minutes pass), noting the pods at each step. */
function rollOut(sim: Simulation): Step[] {
  const steps: Step[] = []
  for (let t = 0; t < 300_000; t += 250) {
    sim.advance(250)
    const pods = webPods(sim)
    const act = pods.filter(isPodActive)
    steps.push({
      old: pods.filter((p) => imageOf(p) === OLD).length,
      new: pods.filter((p) => imageOf(p) === NEW).length,
      active: act.length,
      ready: act.filter(isPodReady).length,
    })
    const d = deployment(sim)
    if (progressing(sim)?.reason === 'NewReplicaSetAvailable' && d.status.updatedReplicas === d.spec.replicas && d.status.replicas === d.spec.replicas && steps.at(-1)!.old === 0) break
  }
  return steps
}

describe('Deployment strategy Recreate', () => {
  it('scales the old ReplicaSet to zero, waits until its last pod is gone, then starts the new one at full size', () => {
    const sim = settledWeb(3, { type: 'Recreate' })
    const [oldRS] = sim.list('ReplicaSet', 'default') as ReplicaSet[]
    expect(sim.apply(web(3, NEW, { type: 'Recreate' })).applied[0]!.result).toBe('configured')
    const steps = rollOut(sim)
    // Never an old and a new pod at once: that is what Recreate promises.
    expect(steps.every((s) => s.old === 0 || s.new === 0)).toBe(true)
    // Between the last old pod going and the first new one being Ready, nothing served (the outage Recreate accepts).
    expect(steps.some((s) => s.ready === 0)).toBe(true)
    expect(steps.at(-1)!.ready).toBe(3)
    const d = deployment(sim)
    expect(d.status).toMatchObject({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 })
    expect(progressing(sim)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' })
    const rss = sim.list('ReplicaSet', 'default') as ReplicaSet[]
    const newRS = rss.find((rs) => rs.metadata.uid !== oldRS!.metadata.uid)!
    expect(rss.map((rs) => [rs.metadata.name, rs.spec.replicas])).toEqual(expect.arrayContaining([[oldRS!.metadata.name, 0], [newRS.metadata.name, 3]]))
    expect(scalingEvents(sim)).toEqual([
      `Scaled up replica set ${oldRS!.metadata.name} from 0 to 3`,
      `Scaled down replica set ${oldRS!.metadata.name} from 3 to 0`,
      `Scaled up replica set ${newRS.metadata.name} from 0 to 3`,
    ])
  })

  it('does not create the new ReplicaSet while an old pod is still terminating', () => {
    const sim = settledWeb(3, { type: 'Recreate' })
    sim.apply(web(3, NEW, { type: 'Recreate' }))
    sim.advance(100)
    expect(webPods(sim).length).toBe(3)
    expect(webPods(sim).every((p) => p.metadata.deletionTimestamp)).toBe(true)
    expect(sim.list('ReplicaSet', 'default')).toHaveLength(1)
    expect(progressing(sim)?.reason).toBe('NewReplicaSetAvailable')
    expect(deployment(sim).status.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' })
  })

  it('takes a scale made while the old pods terminate: the new ReplicaSet starts at the new count', () => {
    const sim = settledWeb(3, { type: 'Recreate' })
    sim.apply(web(3, NEW, { type: 'Recreate' }))
    sim.advance(200)
    expect(sim.scale('default', 'web', 5).ok).toBe(true)
    const steps = rollOut(sim)
    expect(steps.every((s) => s.old === 0 || s.new === 0)).toBe(true)
    expect(deployment(sim).status).toMatchObject({ replicas: 5, updatedReplicas: 5, availableReplicas: 5 })
    expect(scalingEvents(sim).at(-1)).toMatch(/^Scaled up replica set web-\w+ from 0 to 5$/)
  })

  it('takes a scale made while the new pods start: the new ReplicaSet is resized, no old pod comes back', () => {
    const sim = settledWeb(3, { type: 'Recreate' })
    sim.apply(web(3, NEW, { type: 'Recreate' }))
    for (let i = 0; i < 40 && !webPods(sim).some((p) => imageOf(p) === NEW); i++) sim.advance(250)
    expect(sim.scale('default', 'web', 2).ok).toBe(true)
    const steps = rollOut(sim)
    expect(steps.every((s) => s.old === 0)).toBe(true)
    expect(webPods(sim).filter(isPodActive).map(imageOf)).toEqual([NEW, NEW])
    expect(scalingEvents(sim).at(-1)).toMatch(/^Scaled down replica set web-\w+ from 3 to 2$/)
  })
})

describe('Deployment paused', () => {
  it('rolls nothing while paused, still scales, and rolls out once resumed', () => {
    const sim = settledWeb(3)
    const [oldRS] = sim.list('ReplicaSet', 'default') as ReplicaSet[]
    expect(sim.apply(web(3, NEW, undefined, { paused: true })).ok).toBe(true)
    sim.advance(10_000)
    expect(sim.list('ReplicaSet', 'default')).toHaveLength(1)
    expect(webPods(sim).map(imageOf)).toEqual([OLD, OLD, OLD])
    expect(progressing(sim)).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' })
    expect(sim.scale('default', 'web', 4).ok).toBe(true)
    sim.advance(10_000)
    expect(sim.get('ReplicaSet', 'default', oldRS!.metadata.name)).toMatchObject({ spec: { replicas: 4 } })
    expect(webPods(sim).filter(isPodActive).map(imageOf)).toEqual([OLD, OLD, OLD, OLD])

    // Resuming notes DeploymentResumed; the same sync creates the new ReplicaSet, whose first pods are progress.
    expect(sim.apply(web(4, NEW, undefined, { paused: false })).ok).toBe(true)
    catchUp(sim)
    expect(progressing(sim)).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' })
    expect(progressing(sim)!.message).toMatch(/^ReplicaSet "web-\w+" is progressing\.$/)
    rollOut(sim)
    expect(webPods(sim).filter(isPodActive).map(imageOf)).toEqual([NEW, NEW, NEW, NEW])
    expect(progressing(sim)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' })
  })
})

/** maxSurge and maxUnavailable as the controller resolves them for `replicas` (percent: surge up, unavailable down). */
function bounds(replicas: number, surge: number | string, unavailable: number | string): { surge: number; unavailable: number } {
  const resolve = (v: number | string, up: boolean) => (typeof v === 'number' ? v : (up ? Math.ceil : Math.floor)((Number(v.slice(0, -1)) * replicas) / 100))
  const s = resolve(surge, true)
  const u = s === 0 && resolve(unavailable, false) === 0 ? 1 : resolve(unavailable, false)
  return { surge: s, unavailable: Math.min(u, replicas) }
}

describe('Deployment strategy RollingUpdate: every valid field combination rolls out within its bounds', () => {
  const cases: [string, unknown, number | string, number | string][] = [
    ['type omitted (defaults 25%/25%)', { rollingUpdate: {} }, '25%', '25%'],
    ['strategy omitted (defaults)', undefined, '25%', '25%'],
    ['maxSurge 1, maxUnavailable 0', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, 1, 0],
    ['maxSurge 0, maxUnavailable 1', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } }, 0, 1],
    ['maxSurge 2, maxUnavailable 2', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 2 } }, 2, 2],
    ['integers above replicas (10, 10)', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 10, maxUnavailable: 10 } }, 10, 10],
    ['maxSurge 50%, maxUnavailable 0%', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: '0%' } }, '50%', '0%'],
    ['maxSurge 0%, maxUnavailable 50%', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '50%' } }, '0%', '50%'],
    ['maxSurge 0%, maxUnavailable 10% (rounds to 0, so 1)', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '0%', maxUnavailable: '10%' } }, '0%', '10%'],
    ['maxSurge 100%, maxUnavailable 0', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 } }, '100%', 0],
    ['maxSurge 0, maxUnavailable 100%', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: '100%' } }, 0, '100%'],
    ['maxSurge 100%, maxUnavailable 100%', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '100%', maxUnavailable: '100%' } }, '100%', '100%'],
    ['maxSurge 200% (surge may exceed 100%)', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '200%', maxUnavailable: 0 } }, '200%', 0],
    ['only maxSurge 0 given (maxUnavailable defaults 25%)', { rollingUpdate: { maxSurge: 0 } }, 0, '25%'],
  ]
  for (const [name, strategy, surge, unavailable] of cases) {
    it(name, () => {
      const replicas = 4
      const sim = settledWeb(replicas, strategy)
      expect(deployment(sim).spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } })
      expect(sim.apply(web(replicas, NEW, strategy)).ok).toBe(true)
      const steps = rollOut(sim)
      const b = bounds(replicas, surge, unavailable)
      for (const s of steps) {
        expect(s.active).toBeLessThanOrEqual(replicas + b.surge)
        expect(s.ready).toBeGreaterThanOrEqual(replicas - b.unavailable)
      }
      expect(webPods(sim).filter(isPodActive).map(imageOf)).toEqual(Array(replicas).fill(NEW))
      expect(deployment(sim).status).toMatchObject({ replicas, updatedReplicas: replicas, availableReplicas: replicas })
      expect(progressing(sim)).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' })
    })
  }
})

describe('Deployment strategy validation (pkg/apis/apps/validation)', () => {
  // An IntOrString is printed as Go's %#v of the struct: field.Invalid gets the value, whose String() takes a pointer.
  const rejected: [string, unknown, string][] = [
    ['both 0', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
      'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0'],
    ['both 0%', { rollingUpdate: { maxSurge: '0%', maxUnavailable: '0%' } },
      'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"0%"}: may not be 0 when `maxSurge` is 0'],
    ['maxUnavailable over 100%', { rollingUpdate: { maxSurge: 1, maxUnavailable: '150%' } },
      'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%'],
    ['negative maxSurge', { rollingUpdate: { maxSurge: -1, maxUnavailable: 1 } },
      'The Deployment "web" is invalid: spec.strategy.rollingUpdate.maxSurge: Invalid value: -1: must be greater than or equal to 0'],
    ['negative percent', { rollingUpdate: { maxSurge: 1, maxUnavailable: '-10%' } },
      "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"-10%\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
    ['rollingUpdate with Recreate', { type: 'Recreate', rollingUpdate: { maxSurge: 1 } },
      "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ['an empty rollingUpdate with Recreate', { type: 'Recreate', rollingUpdate: {} },
      "The Deployment \"web\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
    ['an unknown type', { type: 'OnDelete' },
      'The Deployment "web" is invalid: spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"OnDelete", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'],
  ]
  for (const [name, strategy, message] of rejected) {
    it(`refuses ${name}, and changes nothing`, () => {
      const sim = settledWeb(3)
      const before = sim.state
      const r = sim.apply(web(3, NEW, strategy))
      expect(r.ok).toBe(false)
      expect(r.errors.map((e) => e.message)).toEqual([message])
      expect(sim.state).toBe(before)
    })
  }

  it('accepts Recreate with rollingUpdate: null (it decodes as absent)', () => {
    const sim = settledWeb(3)
    expect(sim.apply(web(3, OLD, { type: 'Recreate', rollingUpdate: null })).errors).toEqual([])
    expect(deployment(sim).spec.strategy).toEqual({ type: 'Recreate' })
  })
})
