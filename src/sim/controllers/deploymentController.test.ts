import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { isPodActive, isPodReady, type Pod } from '../model/pod'
import { expectGolden } from '../testing/golden'
import { catchUp, webCluster, webManifest } from '../testing/scenarios'
import { computeHash, resolveFenceposts } from './deploymentUtil'

const activePods = (pods: Pod[]) => pods.filter((p) => p.metadata.namespace === 'default' && p.metadata.labels?.['app'] === 'web' && isPodActive(p))

describe('Deployment controller', () => {
  it('names the ReplicaSet <deployment>-<pod-template-hash> and labels its pods with the hash', () => {
    const sim = webCluster()
    const [rs] = sim.list('ReplicaSet', 'default') as ReplicaSet[]
    const hash = rs!.metadata.labels!['pod-template-hash']!
    expect(hash).toMatch(/^[456789bcdf]{1,10}$/)
    expect(rs!.metadata.name).toBe(`web-${hash}`)
    for (const pod of sim.list('Pod', 'default').filter((p) => p.metadata.name !== 'client')) {
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`))
      expect(pod.metadata.labels!['pod-template-hash']).toBe(hash)
    }
  })

  it('resolves maxSurge up and maxUnavailable down (25% of 10 is surge 3, unavailable 2)', () => {
    const d = (replicas: number, surge: number | string, unav: number | string) =>
      ({ spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unav } } } }) as unknown as Deployment
    expect(resolveFenceposts(d(10, '25%', '25%'))).toEqual({ surge: 3, unavailable: 2 })
    expect(resolveFenceposts(d(3, '25%', '25%'))).toEqual({ surge: 1, unavailable: 0 })
    expect(resolveFenceposts(d(4, '25%', '25%'))).toEqual({ surge: 1, unavailable: 1 })
    expect(resolveFenceposts(d(5, 0, 0))).toEqual({ surge: 0, unavailable: 1 })
  })

  it('hashes a different template to a different ReplicaSet name', () => {
    const t = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } }
    const u = { ...t, spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } }
    expect(computeHash(t)).not.toBe(computeHash(u))
    expect(computeHash(t)).toBe(computeHash(structuredClone(t)))
  })

  it('rolls 10 replicas to a new image without going above surge or below availability, step by step', () => {
    const sim = createSimulation({ seed: 7, workers: 3 })
    sim.apply(webManifest(10))
    sim.settle()
    expect(sim.apply(webManifest(10, 'nginxinc/nginx-unprivileged:1.28')).applied[0]!.result).toBe('configured')
    const timeline: string[] = []
    let maxActive = 0
    let minAvailable = Infinity
    for (let t = 0; t < 120_000; t += 250) {
      sim.advance(250)
      const pods = activePods(sim.list('Pod') as Pod[])
      const rss = (sim.list('ReplicaSet', 'default') as ReplicaSet[]).map((rs) => `${rs.spec.template.spec.containers[0]!.image}=${rs.spec.replicas}`).join(' ')
      if (timeline.at(-1)?.split(': ')[1] !== rss) timeline.push(`${Math.round(sim.now / 1000)}s: ${rss}`)
      maxActive = Math.max(maxActive, pods.length)
      minAvailable = Math.min(minAvailable, pods.filter(isPodReady).length)
    }
    expect(maxActive).toBeLessThanOrEqual(13)
    expect(minAvailable).toBeGreaterThanOrEqual(8)
    const d = sim.get('Deployment', 'default', 'web') as Deployment
    expect(d.status).toMatchObject({ replicas: 10, updatedReplicas: 10, readyReplicas: 10, availableReplicas: 10 })
    expect(d.status.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable')
    const events = sim.events().filter((e) => e.reason === 'ScalingReplicaSet' && e.object === 'Deployment default/web').map((e) => e.message)
    expectGolden(`${__dirname}/__golden__/rollout-10.txt`, `${timeline.join('\n')}\n\n${events.join('\n')}\n`)
  })

  it('spreads a scale-up mid-rollout over both ReplicaSets in proportion', () => {
    const sim = createSimulation({ seed: 3, workers: 3 })
    sim.apply(webManifest(10))
    sim.settle()
    sim.apply(webManifest(10, 'nginxinc/nginx-unprivileged:1.28'))
    sim.advance(1000)
    const before = (sim.list('ReplicaSet', 'default') as ReplicaSet[]).map((rs) => rs.spec.replicas)
    sim.scale('default', 'web', 20)
    catchUp(sim)
    const after = (sim.list('ReplicaSet', 'default') as ReplicaSet[]).map((rs) => rs.spec.replicas)
    expect(after.reduce((a, b) => a + b)).toBe(20 + 5)
    for (let i = 0; i < before.length; i++) expect(after[i]!).toBeGreaterThan(before[i]!)
  })

  it('reports status and conditions as kubectl shows them', () => {
    const sim = webCluster()
    const d = sim.get('Deployment', 'default', 'web') as Deployment
    expect(d.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1')
    expect(d.status.conditions?.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ])
  })
})
