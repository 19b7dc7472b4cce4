import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'

describe('a Service created: every write through the API server, and its watch events', () => {
  it('the user\'s and the controllers\' writes are API writes with their etcd key and watch event; CoreDNS and each kube-proxy act on them a moment later, in that order', () => {
    const sim = webCluster()
    const from = sim.now
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } })
    sim.settle()
    const events = sim.eventsSince(from, { writes: true })
    const writes = events.filter((e) => e.write)
    const service = writes.find((e) => e.object === 'Service default/api')!
    expect(service.write).toMatchObject({ by: 'kubectl', verb: 'create', key: '/registry/services/specs/default/api', watch: 'ADDED' })
    expect(service.write!.watchers).toEqual(expect.arrayContaining(['endpointslice-controller', 'CoreDNS', 'kube-proxy on every node']))
    const slice = writes.find((e) => e.object.startsWith('EndpointSlice default/api-'))!
    expect(slice.write).toMatchObject({ by: 'endpointslice-controller', verb: 'create', watch: 'ADDED' })
    expect(slice.write!.key).toMatch(/^\/registry\/endpointslices\/default\/api-[a-z0-9]{5}$/)
    expect(Number(slice.write!.resourceVersion)).toBeGreaterThan(Number(service.write!.resourceVersion))
    const dns = events.find((e) => e.actor === 'CoreDNS' && e.time > service.time)!
    const proxies = events.filter((e) => e.actor.startsWith('kube-proxy/') && e.message.includes('default/api'))
    expect(dns.time).toBeGreaterThan(service.time)
    expect(proxies.map((e) => e.actor).sort()).toEqual(['kube-proxy/control-plane', 'kube-proxy/worker-1', 'kube-proxy/worker-2'])
    for (const p of proxies) expect(p.time).toBeGreaterThanOrEqual(dns.time)
    // A deletion removes the key: a DELETED watch event.
    const at = sim.now
    sim.delete('service', 'default', 'api')
    sim.settle()
    const gone = sim.eventsSince(at, { writes: true }).filter((e) => e.write?.watch === 'DELETED').map((e) => e.object)
    expect(gone).toEqual(expect.arrayContaining(['Service default/api']))
  })
})
