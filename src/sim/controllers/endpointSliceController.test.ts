import { describe, expect, it } from 'vitest'
import { createSimulation, toYaml } from '../index'
import type { EndpointSlice, Endpoints } from '../model/endpointSlice'
import type { Pod } from '../model/pod'
import { expectGolden } from '../testing/golden'
import { webCluster, webManifest } from '../testing/scenarios'

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
})
