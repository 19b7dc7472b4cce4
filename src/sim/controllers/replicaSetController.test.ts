import { describe, expect, it } from 'vitest'
import type { Pod } from '../model/pod'
import { toTimestamp } from '../runtime/time'
import { catchUp, webCluster } from '../testing/scenarios'
import { podsToDelete } from './replicaSetController'

function pod(name: string, opts: { node?: string; phase?: Pod['status']['phase']; ready?: boolean; readySince?: number; created?: number; cost?: number }): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name, namespace: 'default', uid: name, creationTimestamp: toTimestamp(opts.created ?? 0),
      ...(opts.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(opts.cost) } } : {}),
    },
    spec: { containers: [], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: opts.ready === false ? [] : [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: toTimestamp(opts.readySince ?? 0) }],
    },
  }
}

describe('ReplicaSet controller', () => {
  it('deletes unscheduled, then pending, then unready pods before ready ones', () => {
    const pods = [
      pod('ready', { node: 'n1' }),
      pod('unready', { node: 'n2', ready: false }),
      pod('pending', { node: 'n3', phase: 'Pending', ready: false }),
      pod('unscheduled', { phase: 'Pending', ready: false }),
    ]
    expect(podsToDelete(pods, pods, 3, 60_000).map((p) => p.metadata.name)).toEqual(['unscheduled', 'pending', 'unready'])
  })

  it('prefers a lower pod-deletion-cost, then nodes running more replicas, then the pod ready for less time', () => {
    const now = 3_600_000
    expect(podsToDelete([pod('a', { node: 'n1', cost: 10 }), pod('b', { node: 'n2', cost: -5 })], [], 1, now)[0]!.metadata.name).toBe('b')
    const doubled = [pod('alone', { node: 'n1' }), pod('pair-1', { node: 'n2' }), pod('pair-2', { node: 'n2' })]
    expect(podsToDelete(doubled, doubled, 1, now)[0]!.metadata.name).toMatch(/^pair-/)
    const ages = [pod('old', { node: 'n1', readySince: 0 }), pod('young', { node: 'n2', readySince: now - 1000 })]
    expect(podsToDelete(ages, ages, 1, now)[0]!.metadata.name).toBe('young')
  })

  it('replaces a deleted pod with a new one of a new name, while the old one terminates', () => {
    const sim = webCluster()
    const before = sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-'))
    const victim = before[0]!.metadata.name
    expect(sim.delete('pod', 'default', victim).applied[0]!.message).toBe(`pod "${victim}" deleted`)
    catchUp(sim)
    const during = sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-'))
    expect(during).toHaveLength(4)
    expect(sim.get('Pod', 'default', victim)!.metadata.deletionTimestamp).toBeDefined()
    sim.settle()
    const after = sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-'))
    expect(after).toHaveLength(3)
    expect(after.map((p) => p.metadata.name)).not.toContain(victim)
    expect(sim.events().some((e) => e.reason === 'SuccessfulCreate' && e.time > 0 && !before.some((p) => e.message.endsWith(p.metadata.name)))).toBe(true)
  })
})
