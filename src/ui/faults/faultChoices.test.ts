import { describe, expect, it } from 'vitest'
import { createSimulation } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { faultChoices, type FaultChoice } from './faultChoices'

function cluster() {
  const sim = createSimulation({ seed: 42, workers: 2 })
  sim.apply(webScenario())
  sim.settle()
  return sim
}

const labels = (list: readonly FaultChoice[]) => list.map((c) => (c.disabled ? `${c.label} [disabled]` : c.label))
const webPod = (sim: ReturnType<typeof cluster>) => sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!

describe('the Faults menu', () => {
  it('offers a worker Node the three faults, the partition as a choice of the other nodes', () => {
    const sim = cluster()
    const choices = faultChoices(sim.state, { kind: 'node', name: 'worker-1' })
    expect(labels(choices)).toEqual(['Stop the node (kubelet down, cut off)', 'Stall kube-proxy', 'Cut the network to…'])
    expect(choices[0]!.action).toEqual({ type: 'fault', fault: 'node-down', target: 'worker-1' })
    expect(choices[2]!.choices!.map((c) => [c.label, c.action?.target])).toEqual([['control-plane', 'control-plane,worker-1'], ['worker-2', 'worker-1,worker-2']])
  })

  it('when a fault is active there, offers to heal it instead, and the cut node leaves the partition choices', () => {
    const sim = cluster()
    sim.dispatch({ type: 'fault', fault: 'node-down', target: 'worker-1' })
    sim.dispatch({ type: 'fault', fault: 'partition', target: 'worker-1,worker-2' })
    const choices = faultChoices(sim.state, { kind: 'node', name: 'worker-2' })
    expect(labels(choices)).toEqual(['Stop the node (kubelet down, cut off)', 'Stall kube-proxy', 'Heal: Partitioned from worker-1', 'Cut the network to…'])
    expect(choices[2]!.action).toEqual({ type: 'heal', fault: 'partition', target: 'worker-1,worker-2' })
    expect(choices[3]!.choices!.map((c) => c.label)).toEqual(['control-plane'])
    expect(faultChoices(sim.state, { kind: 'node', name: 'worker-1' })[0]).toMatchObject({ label: 'Heal: Node down', action: { type: 'heal', fault: 'node-down', target: 'worker-1' } })
  })

  it('offers the control plane no way down, saying why', () => {
    const choices = faultChoices(cluster().state, { kind: 'node', name: 'control-plane' })
    expect(choices[0]!.action).toBeUndefined()
    expect(choices[0]!.disabled).toMatch(/control plane/)
  })

  it('offers a pod with a readiness probe both faults, and heals what is active', () => {
    const sim = cluster()
    const pod = webPod(sim)
    const target = { kind: 'pod', namespace: 'default', name: pod.metadata.name } as const
    expect(labels(faultChoices(sim.state, target))).toEqual(['Fail its readiness probe', 'Crash its container'])
    sim.dispatch({ type: 'fault', fault: 'container-crash', target: `default/${pod.metadata.name}` })
    expect(labels(faultChoices(sim.state, target))).toEqual(['Fail its readiness probe', 'Heal: Crashing'])
  })

  it('disables failing the readiness probe of a pod that has none, with the reason', () => {
    const choices = faultChoices(cluster().state, { kind: 'pod', namespace: 'default', name: 'client' })
    expect(choices[0]).toMatchObject({ label: 'Fail its readiness probe', disabled: expect.stringMatching(/no readiness probe/) })
    expect(choices[1]!.action).toEqual({ type: 'fault', fault: 'container-crash', target: 'default/client' })
  })

  it('offers nothing for what is not there', () => {
    expect(faultChoices(cluster().state, { kind: 'node', name: 'nope' })).toEqual([])
    expect(faultChoices(cluster().state, { kind: 'pod', namespace: 'default', name: 'nope' })).toEqual([])
  })
})
