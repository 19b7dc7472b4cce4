import { describe, expect, it } from 'vitest'
import { createSimulation, toYaml } from '../index'
import type { EndpointSlice, Endpoints } from '../model/endpointSlice'
import type { Pod } from '../model/pod'
import { expectGolden } from '../testing/golden'
import { catchUp, webCluster, webManifest } from '../testing/scenarios'

const slicesOf = (sim: ReturnType<typeof createSimulation>, svc: string) =>
  (sim.list('EndpointSlice', 'default') as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc)

/** Status-like fields that differ run to run are not in play (the simulation is deterministic), so slices are compared whole. */
const golden = (name: string, slices: EndpointSlice[]) => expectGolden(`${__dirname}/__golden__/${name}`, slices.map((s) => toYaml(s)).join('---\n'))

describe('EndpointSlice controller', () => {
  it('keeps one placeholder slice with no ports and no endpoints for a Service that selects nothing', () => {
    const sim = createSimulation({ seed: 42, workers: 2 })
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'nothing', labels: { team: 'a' } }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } })
    sim.settle()
    const slices = slicesOf(sim, 'nothing')
    expect(slices).toHaveLength(1)
    expect(slices[0]!.endpoints).toBeNull()
    expect(slices[0]!.ports).toBeNull()
    expect(slices[0]!.metadata.name).toMatch(/^nothing-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(slices[0]!.metadata.labels).toEqual({ team: 'a', 'kubernetes.io/service-name': 'nothing', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' })
    golden('slices-0.yaml', slices)
  })

  it('lists every ready pod with its node, pod reference and resolved named port (3 endpoints, golden)', () => {
    const sim = webCluster()
    const slices = slicesOf(sim, 'web')
    expect(slices).toHaveLength(1)
    expect(slices[0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }])
    expect(slices[0]!.endpoints!.every((e) => e.conditions.ready && e.conditions.serving && !e.conditions.terminating)).toBe(true)
    golden('slices-3.yaml', slices)
  })

  it('packs 250 endpoints into slices of at most 100: 100, 100, 50 (golden)', () => {
    const sim = createSimulation({ seed: 42, workers: 3 })
    sim.apply(webManifest(250))
    sim.settle()
    const slices = slicesOf(sim, 'web')
    expect(slices.map((s) => s.endpoints!.length).sort((a, b) => b - a)).toEqual([100, 100, 50])
    const ips = slices.flatMap((s) => s.endpoints!.map((e) => e.addresses[0]))
    expect(new Set(ips).size).toBe(250)
    golden('slices-250.yaml', slices)
  })

  it('marks a deleted pod terminating: serving while it shuts down, no longer ready', () => {
    const sim = webCluster()
    const victim = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    sim.delete('pod', 'default', victim)
    catchUp(sim)
    const ep = slicesOf(sim, 'web')[0]!.endpoints!.find((e) => e.targetRef?.name === victim)!
    expect(ep.conditions).toEqual({ ready: false, serving: true, terminating: true })
    sim.settle()
    expect(slicesOf(sim, 'web')[0]!.endpoints!.some((e) => e.targetRef?.name === victim)).toBe(false)
  })

  it('lists a pod with an IP but not yet ready as an endpoint that is not ready', () => {
    const sim = webCluster()
    sim.scale('default', 'web', 4)
    sim.advance(500)
    const fresh = (sim.list('Pod', 'default') as Pod[]).filter((p) => p.status.podIP && p.status.conditions?.find((c) => c.type === 'Ready')?.status !== 'True')
    expect(fresh).toHaveLength(1)
    const ep = slicesOf(sim, 'web')[0]!.endpoints!.find((e) => e.targetRef?.name === fresh[0]!.metadata.name)!
    expect(ep.conditions).toEqual({ ready: false, serving: false, terminating: false })
  })

  it('puts pods that resolve a named port differently into different slices', () => {
    const sim = createSimulation({ seed: 9, workers: 2 })
    const pod = (name: string, port: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: 'mixed' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: port }] }] } })
    sim.apply([pod('a', 8080), pod('b', 9090), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'mixed' }, spec: { selector: { app: 'mixed' }, ports: [{ port: 80, targetPort: 'http' }] } }])
    sim.settle()
    const ports = slicesOf(sim, 'mixed').map((s) => s.ports![0]!.port).sort()
    expect(ports).toEqual([8080, 9090])
  })

  it('adds the headless label for clusterIP: None, and writes no slices for ExternalName', () => {
    const sim = webCluster()
    sim.apply([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } },
    ])
    sim.settle()
    expect(slicesOf(sim, 'web-headless')[0]!.metadata.labels?.['service.kubernetes.io/headless']).toBe('')
    expect(slicesOf(sim, 'ext')).toEqual([])
  })

  it('removes a Service\'s slices with it (garbage collection by owner reference)', () => {
    const sim = webCluster()
    sim.delete('svc', 'default', 'web')
    sim.settle()
    expect(slicesOf(sim, 'web')).toEqual([])
    expect(sim.get('Endpoints', 'default', 'web')).toBeUndefined()
  })
})

describe('Endpoints controller (legacy API)', () => {
  it('sorts addresses as strings and moves unready pods to notReadyAddresses', () => {
    const sim = webCluster({ replicas: 3 })
    sim.scale('default', 'web', 4)
    sim.advance(500)
    const ep = sim.get('Endpoints', 'default', 'web') as Endpoints
    const ips = ep.subsets![0]!.addresses!.map((a) => a.ip)
    expect(ips).toEqual([...ips].sort())
    expect(ep.subsets![0]!.notReadyAddresses).toHaveLength(1)
    expect(ep.subsets![0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }])
  })

  it('says why a slice is a placeholder: no pod matches, or the matching pods have no IP yet', () => {
    const sim = createSimulation({ seed: 42, workers: 2 })
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'nothing' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } })
    const [deployment, service] = webManifest(3).split('\n---\n')
    sim.apply(deployment!)
    catchUp(sim)
    sim.apply(service!)
    catchUp(sim)
    const story = (svc: string) => sim.events().filter((e) => e.actor === 'endpointslice-controller' && e.message.endsWith(`for Service default/${svc}`)).map((e) => e.message)
    expect(story('nothing')).toEqual(['No pods match the selector: placeholder slice with no endpoints for Service default/nothing'])
    // The Deployment's pods exist when the Service comes, but have no IP until their sandbox is up.
    expect(story('web')[0]).toBe('3 pods match the selector, but none has an IP yet: placeholder slice with no endpoints for Service default/web')
    sim.settle()
    expect(story('web').at(-1)).toBe('3 endpoints (3 ready) for Service default/web')
  })

  it('recreates a managed slice that is deleted, without waiting for a pod to change', () => {
    const sim = webCluster()
    const [slice] = slicesOf(sim, 'web')
    expect(sim.delete('endpointslice', 'default', slice!.metadata.name).ok).toBe(true)
    expect(slicesOf(sim, 'web')).toHaveLength(0)
    sim.advance(2_000)
    const [again] = slicesOf(sim, 'web')
    expect(again?.metadata.name).not.toBe(slice!.metadata.name)
    expect(again!.endpoints!.map((e) => e.addresses[0]).sort()).toEqual(slice!.endpoints!.map((e) => e.addresses[0]).sort())
  })

  it('rewrites a managed slice that someone edited back to the desired endpoints', () => {
    const sim = webCluster()
    const [slice] = slicesOf(sim, 'web')
    const edited = { ...slice!, endpoints: [...slice!.endpoints!, { addresses: ['10.244.9.9'], conditions: { ready: true } }] }
    expect(sim.apply(edited).applied[0]!.result).toBe('configured')
    sim.advance(2_000)
    expect(slicesOf(sim, 'web')[0]!.endpoints!.map((e) => e.addresses[0])).not.toContain('10.244.9.9')
  })

  it("deletes a hand-written slice that carries the controller's labels, so no request goes to its invented address", () => {
    const sim = webCluster()
    const forged = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-forged', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.9.9'], conditions: { ready: true } }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }
    expect(sim.apply(forged).ok).toBe(true)
    sim.advance(2_000)
    expect(sim.get('EndpointSlice', 'default', 'web-forged')).toBeUndefined()
    expect(sim.events().some((e) => e.object === 'EndpointSlice default/web-forged' && e.message === "Deleted: it carries the EndpointSlice controller's labels but Service default/web does not own it")).toBe(true)
    sim.settle()
    const pods = new Set((sim.list('Pod', 'default') as Pod[]).map((p) => `default/${p.metadata.name}`))
    for (let i = 0; i < 30; i++) {
      const r = sim.connect('default/client', 'web:80')
      expect(r.ok).toBe(true)
      expect(r.endpoint).not.toMatch(/^10\.244\.9\.9:/)
      expect(pods.has(r.pod!)).toBe(true)
    }
  })
})
