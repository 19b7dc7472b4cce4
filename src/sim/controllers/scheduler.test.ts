import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import type { Pod } from '../model/pod'
import { fitErrorMessage, nodesToFind } from './scheduler'

const bigPod = (name: string, cpu: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu } } }] },
})

describe('scheduler', () => {
  it('never places ordinary pods on the tainted control plane, and spreads replicas over the workers', () => {
    const sim = createSimulation({ seed: 11, workers: 3 })
    sim.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app' }, spec: { replicas: 6, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'nginx' }] } } } })
    sim.settle()
    const nodes = (sim.list('Pod', 'default') as Pod[]).map((p) => p.spec.nodeName)
    expect(nodes).not.toContain('control-plane')
    for (const n of ['worker-1', 'worker-2', 'worker-3']) expect(nodes.filter((x) => x === n)).toHaveLength(2)
  })

  it('leaves a pod that fits nowhere Pending, with FailedScheduling saying why', () => {
    const sim = createSimulation({ seed: 1, workers: 2 })
    sim.apply(bigPod('huge', '16'))
    sim.settle()
    const pod = sim.get('Pod', 'default', 'huge') as Pod
    expect(pod.status.phase).toBe('Pending')
    const message = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.'
    expect(pod.status.conditions).toEqual([expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message })])
    expect(sim.events().find((e) => e.reason === 'FailedScheduling')?.message).toBe(message)
  })

  it('schedules the pending pod once a node with room joins', () => {
    const sim = createSimulation({ seed: 1, workers: 1 })
    sim.apply([bigPod('a', '3'), bigPod('b', '3')])
    sim.settle()
    expect((sim.get('Pod', 'default', 'b') as Pod).status.phase).toBe('Pending')
    sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-2' } })
    sim.settle()
    expect((sim.get('Pod', 'default', 'b') as Pod).spec.nodeName).toBe('worker-2')
    expect((sim.get('Pod', 'default', 'b') as Pod).status.phase).toBe('Running')
  })

  it('scores only a sample of a large cluster, as percentageOfNodesToScore does', () => {
    expect(nodesToFind(50)).toBe(50)
    expect(nodesToFind(1000)).toBe(420)
    expect(nodesToFind(5000)).toBe(500)
  })

  it('sorts the reasons of a fit error as strings, as kube-scheduler does', () => {
    const msg = fitErrorMessage(12, new Map([['Too many pods', 2], ['Insufficient cpu', 10]]))
    expect(msg.startsWith('0/12 nodes are available: 10 Insufficient cpu, 2 Too many pods.')).toBe(true)
  })
})
