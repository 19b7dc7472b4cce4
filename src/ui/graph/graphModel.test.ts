import { describe, expect, it } from 'vitest'
import { createSimulation } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { graphModel } from './graphModel'

const DEFAULT = new Set(['default'])

function cluster(seed = 42) {
  const sim = createSimulation({ seed, workers: 2 })
  sim.apply(webScenario())
  sim.settle()
  return sim
}

const model = (sim: ReturnType<typeof cluster>, ns = DEFAULT) => graphModel(sim.state, (n) => sim.ruleCount(n), ns)
const positions = (m: ReturnType<typeof graphModel>) => new Map(m.nodes.map((n) => [n.id, `${n.parentId ?? ''}@${n.position.x},${n.position.y}`]))

describe('the graph model', () => {
  it('draws each Node as a group holding its pods, the Service apart, and its slice between them with an edge per endpoint', () => {
    const sim = cluster()
    const m = model(sim)
    expect(m.nodes.filter((n) => n.type === 'node').map((n) => n.id)).toEqual(['node:control-plane', 'node:worker-1', 'node:worker-2'])
    const pods = m.nodes.filter((n) => n.type === 'pod')
    expect(pods).toHaveLength(4)
    for (const p of pods) expect(p.parentId).toBe(`node:${(p.data as { node: string }).node}`)
    const svc = m.nodes.find((n) => n.id === 'svc:default/web')!
    expect(svc.data).toMatchObject({ type: 'ClusterIP', ports: '80/TCP', dns: 'web.default.svc.cluster.local' })
    const sliceEdges = m.edges.filter((e) => e.source.startsWith('slice:default/web-'))
    expect(sliceEdges).toHaveLength(3)
    expect(sliceEdges.every((e) => e.condition === 'ready')).toBe(true)
    expect(m.nodes.find((n) => n.id === 'node:worker-1')!.data).toMatchObject({ rules: sim.ruleCount('worker-1') })
  })

  it('moves nothing else when a pod is added', () => {
    const sim = cluster()
    const before = positions(model(sim))
    sim.scale('default', 'web', 4)
    sim.settle()
    const after = positions(model(sim))
    for (const [id, pos] of before) if (!id.startsWith('slice:') && id.startsWith('pod:')) expect(after.get(id)).toBe(pos)
    expect(after.size).toBe(before.size + 1)
  })

  it('lays out the same state the same way, and returns the same pod data objects for unchanged pods', () => {
    const sim = cluster()
    const a = model(sim)
    const b = model(sim)
    expect(positions(a)).toEqual(positions(b))
    expect(a.nodes.filter((n) => n.type === 'pod').map((n) => n.data)).toEqual(b.nodes.filter((n) => n.type === 'pod').map((n) => n.data))
    expect(a.nodes.find((n) => n.type === 'pod')!.data).toBe(b.nodes.find((n) => n.type === 'pod')!.data)
    expect(positions(model(cluster()))).toEqual(positions(a))
  })

  it('draws a terminating pod\'s endpoint as terminating, and a pod not yet ready as not ready', () => {
    const sim = cluster()
    const victim = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    sim.delete('pod', 'default', victim)
    sim.advance(500)
    const m = model(sim)
    expect(m.edges.find((e) => e.target === `pod:default/${victim}`)!.condition).toBe('terminating')
    const fresh = m.edges.filter((e) => e.condition === 'not-ready')
    expect(fresh).toHaveLength(1)
    expect(m.nodes.find((n) => n.id === `pod:default/${victim}`)!.data).toMatchObject({ status: 'Terminating', terminating: true })
  })

  it('shows CoreDNS pods as ordinary pods of kube-system when that namespace is shown', () => {
    const m = model(cluster(), new Set(['default', 'kube-system']))
    expect(m.nodes.filter((n) => n.type === 'pod' && n.id.startsWith('pod:kube-system/coredns-'))).toHaveLength(2)
    expect(m.nodes.some((n) => n.id === 'svc:kube-system/kube-dns')).toBe(true)
  })
})
