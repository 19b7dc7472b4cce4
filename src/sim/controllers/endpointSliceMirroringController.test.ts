import { describe, expect, it } from 'vitest'
import type { EndpointSlice } from '../model/endpointSlice'
import { webCluster } from '../testing/scenarios'

describe('EndpointSlice mirroring controller', () => {
  const external = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy-db' }, spec: { ports: [{ name: 'pg', port: 5432, targetPort: 5432 }] } },
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'legacy-db', labels: { team: 'data' } }, subsets: [{ addresses: [{ ip: '192.168.10.5' }], notReadyAddresses: [{ ip: '192.168.10.6' }], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }] },
  ]

  it('mirrors hand-written Endpoints of a selector-less Service into a slice kube-proxy routes to', () => {
    const sim = webCluster()
    sim.apply(external)
    sim.settle()
    const slices = (sim.list('EndpointSlice', 'default') as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'legacy-db')
    expect(slices).toHaveLength(1)
    expect(slices[0]!.metadata.labels).toEqual({ team: 'data', 'kubernetes.io/service-name': 'legacy-db', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' })
    expect(slices[0]!.metadata.ownerReferences![0]).toMatchObject({ kind: 'Endpoints', name: 'legacy-db' })
    expect(slices[0]!.endpoints).toEqual([{ addresses: ['192.168.10.5'], conditions: { ready: true } }, { addresses: ['192.168.10.6'], conditions: { ready: false } }])
    expect(sim.kubeProxyRules('worker-1')).toContain('-j DNAT --to-destination 192.168.10.5:5432')
    expect(sim.kubeProxyRules('worker-1')).not.toContain('192.168.10.6')
    const r = sim.connect('default/client', 'legacy-db:5432')
    expect(r.endpoint).toBe('192.168.10.5:5432')
  })

  it('removes the mirror with its Endpoints, and never mirrors default/kubernetes', () => {
    const sim = webCluster()
    sim.apply(external)
    sim.settle()
    sim.delete('endpoints', 'default', 'legacy-db')
    sim.settle()
    const mirrored = (sim.list('EndpointSlice') as EndpointSlice[]).filter((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === 'endpointslicemirroring-controller.k8s.io')
    expect(mirrored).toEqual([])
  })
})
