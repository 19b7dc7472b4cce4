import { describe, expect, it } from 'vitest'
import type { EndpointSlice } from '../model/endpointSlice'
import type { Service } from '../model/service'
import { webCluster } from '../testing/scenarios'

const kubernetes = (sim: ReturnType<typeof webCluster>) => sim.get('Service', 'default', 'kubernetes') as Service | undefined

describe('the API server keeps default/kubernetes', () => {
  it('creates the Service again, at 10.96.0.1:443, within its 10 s interval after it is deleted', () => {
    const sim = webCluster()
    const before = kubernetes(sim)!
    expect(sim.delete('svc', 'default', 'kubernetes').ok).toBe(true)
    expect(kubernetes(sim)).toBeUndefined()
    sim.advance(10_000)
    const again = kubernetes(sim)!
    expect(again.metadata.uid).not.toBe(before.metadata.uid)
    expect(again.spec).toEqual(before.spec)
    expect(again.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' })
    sim.settle()
    const r = sim.connect('default/client', 'kubernetes.default:443')
    expect(r.ok).toBe(true)
    expect(r.endpoint).toBe('172.18.0.2:6443')
  })

  it('puts its own endpoint back in the Endpoints and the EndpointSlice', () => {
    const sim = webCluster()
    sim.delete('endpointslice', 'default', 'kubernetes')
    sim.delete('endpoints', 'default', 'kubernetes')
    sim.advance(10_000)
    const slice = sim.get('EndpointSlice', 'default', 'kubernetes') as EndpointSlice
    expect(slice.endpoints).toEqual([{ addresses: ['172.18.0.2'], conditions: { ready: true } }])
    expect(sim.get('Endpoints', 'default', 'kubernetes')).toMatchObject({ subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }] })
  })

  it('waits while another Service holds 10.96.0.1, and comes back once it is freed', () => {
    const sim = webCluster()
    sim.delete('svc', 'default', 'kubernetes')
    expect(sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'squatter' }, spec: { clusterIP: '10.96.0.1', ports: [{ port: 443 }] } }).ok).toBe(true)
    sim.advance(20_000)
    expect(kubernetes(sim)).toBeUndefined()
    expect(sim.events().some((e) => e.object === 'Service default/kubernetes' && e.message.includes('failed to allocate IP 10.96.0.1: provided IP is already allocated'))).toBe(true)
    sim.delete('svc', 'default', 'squatter')
    sim.advance(10_000)
    expect(kubernetes(sim)?.spec.clusterIP).toBe('10.96.0.1')
    expect(sim.settle().settled).toBe(true)
  })
})
