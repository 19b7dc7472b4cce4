import { describe, expect, it } from 'vitest'
import { createSimulation, type Pod } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { absoluteRects, graphModel } from './graphModel'
import { LAYOUT, MAX_NODES_DRAWN, MAX_PODS_DRAWN, MAX_SLICES_DRAWN, type GraphNode } from './graphTypes'

const DEFAULT = new Set(['default'])

function cluster(seed = 42) {
  const sim = createSimulation({ seed, workers: 2 })
  sim.apply(webScenario())
  sim.settle()
  return sim
}

const model = (sim: ReturnType<typeof cluster>, ns = DEFAULT) => graphModel(sim.state, (n) => sim.ruleCount(n) ?? 0, ns)
const positions = (m: ReturnType<typeof graphModel>) => new Map(m.nodes.map((n) => [n.id, `${n.parentId ?? ''}@${n.position.x},${n.position.y}`]))

describe('the graph model', () => {
  it('draws each Node as a group holding its pods, the Service apart, and its slice between them with an edge per endpoint', () => {
    const sim = cluster()
    const m = model(sim)
    // Workers first (where the user's pods run), the control plane last.
    expect(m.nodes.filter((n) => n.type === 'node').map((n) => n.id)).toEqual(['node:worker-1', 'node:worker-2', 'node:control-plane'])
    const pods = m.nodes.filter((n) => n.type === 'pod')
    expect(pods).toHaveLength(4)
    for (const p of pods) expect(p.parentId).toBe(`node:${(p.data as { node: string }).node}`)
    const svc = m.nodes.find((n) => n.id === 'svc:default/web')!
    expect(svc.data).toMatchObject({ type: 'ClusterIP', ports: ['80/TCP'], dns: 'web.default.svc.cluster.local' })
    expect(m.nodes.find((n) => n.id.startsWith('slice:default/web-'))!.data).toMatchObject({ ready: 3, total: 3, ports: 'http 8080/TCP' })
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

  it('keeps a departing pod in its place, drawn as gone, so that nothing moves while it fades', () => {
    const sim = cluster()
    const before = model(sim)
    const victim = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-')) as Pod
    sim.delete('pod', 'default', victim.metadata.name)
    sim.settle()
    const key = `default/${victim.metadata.name}`
    expect(sim.state.pods.has(key)).toBe(false)
    const fading = graphModel(sim.state, (n) => sim.ruleCount(n) ?? 0, DEFAULT, new Map([[key, victim]]))
    const ghost = fading.nodes.find((n) => n.id === `pod:${key}`)!
    expect(ghost.data).toMatchObject({ gone: true, ready: false, status: 'removed' })
    expect(positions(fading).get(`pod:${key}`)).toBe(positions(before).get(`pod:${key}`))
    // No slice lists it any more: no edge leads to it.
    expect(fading.edges.some((e) => e.target === `pod:${key}`)).toBe(false)
    // Once it is gone, the pods after it on its node close up.
    const after = model(sim)
    expect(after.nodes.some((n) => n.id === `pod:${key}`)).toBe(false)
  })

  it('routes each endpoint edge into its pod\'s Node at the top of the Node\'s left margin', () => {
    const m = model(cluster())
    const byId = new Map(m.nodes.map((n) => [n.id, n]))
    for (const e of m.edges.filter((e) => e.condition)) {
      const pod = byId.get(e.target)!
      const node = byId.get(pod.parentId!)!
      expect(e.entry).toEqual({ x: node.position.x + LAYOUT.podInset / 2, y: node.position.y })
    }
  })

  it('wraps many Services into rows no narrower than three columns, every card clear of every other', () => {
    const sim = cluster()
    const extra = Array.from({ length: 10 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  selector:\n    app: web\n  ports:\n  - port: ${8000 + i}\n`).join('---\n')
    expect(sim.apply(extra).ok).toBe(true)
    sim.settle()
    const m = model(sim)
    const top = m.nodes.filter((n) => !n.parentId)
    const cards = top.filter((n) => n.type === 'service' || n.type === 'endpointslice')
    const columns = new Set(cards.map((n) => n.position.x))
    expect(columns.size).toBeGreaterThanOrEqual(3)
    expect(new Set(top.filter((n) => n.type === 'service').map((n) => n.position.y)).size).toBeGreaterThan(1)
    const overlaps = (a: GraphNode, b: GraphNode) => a.position.x < b.position.x + b.width && b.position.x < a.position.x + a.width && a.position.y < b.position.y + b.height && b.position.y < a.position.y + a.height
    const boxes = top.filter((n) => n.type !== 'controlPlane')
    for (const a of boxes) for (const b of boxes) if (a !== b) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false)
    // The Nodes sit below every Service and slice.
    const lowest = Math.max(...cards.map((n) => n.position.y + n.height))
    for (const n of top.filter((n) => n.type === 'node')) expect(n.position.y).toBeGreaterThan(lowest)
  })

  it("draws the user's Services first, the cluster's own after them", () => {
    const m = model(cluster(), new Set(['default', 'kube-system']))
    const services = m.nodes.filter((n) => n.type === 'service').sort((a, b) => a.position.x - b.position.x)
    expect(services.map((n) => n.id)).toEqual(['svc:default/web', 'svc:kube-system/kube-dns', 'svc:default/kubernetes'])
  })

  it('draws the first pods of a Node and counts the rest on one card, with one edge to it', () => {
    const sim = createSimulation({ seed: 42, workers: 2 })
    sim.apply(webScenario(60))
    sim.settle()
    const m = model(sim)
    const summaries = m.nodes.filter((n) => n.data.kind === 'summary')
    expect(summaries.map((n) => n.id).sort()).toEqual(['more:worker-1', 'more:worker-2'])
    for (const node of ['worker-1', 'worker-2']) {
      const cards = m.nodes.filter((n) => n.parentId === `node:${node}`)
      expect(cards).toHaveLength(MAX_PODS_DRAWN)
      const onNode = sim.list('Pod', 'default').filter((p) => (p as Pod).spec.nodeName === node).length
      const summary = cards.find((n) => n.data.kind === 'summary')!
      expect(summary.data).toMatchObject({ of: 'pods', count: onNode - (MAX_PODS_DRAWN - 1), ready: onNode - (MAX_PODS_DRAWN - 1) })
      // Each pod it counts is found there (a packet to one of them is drawn at the card).
      expect([...m.summarised].filter(([, card]) => card === summary.id)).toHaveLength(onNode - (MAX_PODS_DRAWN - 1))
      expect(m.edges.filter((e) => e.target === summary.id && e.condition === 'ready')).toHaveLength(1)
    }
  })

  it("counts a Service's slices past the first few, and the Nodes past the first dozen, on one card each", () => {
    const sim = createSimulation({ seed: 42, workers: MAX_NODES_DRAWN })
    sim.apply(webScenario(100 * MAX_SLICES_DRAWN + 1))
    sim.settle()
    const m = model(sim)
    expect(m.nodes.filter((n) => n.type === 'node')).toHaveLength(MAX_NODES_DRAWN - 1)
    const nodes = m.nodes.find((n) => n.id === 'more:nodes')!
    expect(nodes.data).toMatchObject({ of: 'nodes', count: MAX_NODES_DRAWN + 1 - (MAX_NODES_DRAWN - 1) })
    const slices = m.nodes.filter((n) => n.id.startsWith('slice:default/web-'))
    expect(slices).toHaveLength(MAX_SLICES_DRAWN - 1)
    const rest = m.nodes.find((n) => n.id === 'more:slices:default/web')!
    expect(rest.data).toMatchObject({ of: 'slices', count: sim.list('EndpointSlice', 'default').filter((s) => s.metadata.name.startsWith('web-')).length - (MAX_SLICES_DRAWN - 1) })
    expect(m.edges.some((e) => e.source === 'svc:default/web' && e.target === rest.id)).toBe(true)
    // However large the cluster, the graph stays a few hundred cards.
    expect(m.nodes.length).toBeLessThan(400)
    // A cluster of 400 pods takes a few seconds to settle on a busy machine.
  }, 30_000)

  it('draws lines from the Internet to every Node and to the load balancer, and from the load balancer to every Node, above the Nodes', () => {
    const sim = cluster()
    sim.apply('apiVersion: v1\nkind: Service\nmetadata:\n  name: web-lb\nspec:\n  type: LoadBalancer\n  selector:\n    app: web\n  ports:\n  - port: 80\n')
    sim.settle()
    const m = model(sim)
    const rects = absoluteRects(m.nodes)
    const nodes = m.nodes.filter((n) => n.type === 'node')
    const outside = m.edges.filter((e) => e.external)
    expect(outside.map((e) => e.id).sort()).toEqual(['e:internet>lb', ...nodes.flatMap((n) => [`e:internet>${n.id}`, `e:lb>${n.id}`])].sort())
    for (const e of outside.filter((e) => e.target.startsWith('node:'))) {
      const target = rects.get(e.target)!
      const points = e.external!.points
      // It ends in the Node's top and runs above the Nodes until it drops into it.
      expect(points.at(-1)!.y).toBe(target.y)
      expect(points.at(-1)!.x).toBeGreaterThan(target.x)
      expect(points.at(-1)!.x).toBeLessThan(target.x + target.width)
      for (const p of points.slice(2, -1)) expect(p.y).toBeLessThan(target.y)
    }
  })
  it('a fault badges the cards it is on, and leaves every other card the same object', () => {
    const sim = cluster()
    const before = model(sim)
    const pod = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!
    const id = `pod:default/${pod.metadata.name}`
    const faulty = graphModel({ ...sim.state, faults: sim.state.faults.set('x', { fault: 'container-crash', target: `default/${pod.metadata.name}`, since: 0 }).set('y', { fault: 'partition', target: 'worker-1,worker-2', since: 0 }) }, (n) => sim.ruleCount(n) ?? 0, DEFAULT)
    const data = (m: ReturnType<typeof graphModel>, nodeId: string) => m.nodes.find((n) => n.id === nodeId)!.data
    expect(data(faulty, id)).toMatchObject({ faults: ['Crashing'] })
    expect(data(faulty, 'node:worker-1')).toMatchObject({ faults: ['Partitioned from worker-2'] })
    expect(data(faulty, 'node:control-plane')).not.toHaveProperty('faults')
    for (const n of before.nodes) if (n.type === 'pod' && n.id !== id) expect(data(faulty, n.id)).toBe(n.data)
  })
})
