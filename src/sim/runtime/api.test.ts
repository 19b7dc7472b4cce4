import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import { webCluster } from '../testing/scenarios'

const writesSince = (sim: ReturnType<typeof createSimulation>, from: number) => sim.events({ writes: true }).slice(-(sim.eventCount - from)).filter((e) => e.write)

describe('every write goes through the API server', () => {
  it('records who sent each write, what it was, where etcd keeps it and the resourceVersion it got', () => {
    const sim = webCluster()
    const from = sim.eventCount
    const before = sim.state.resourceVersion
    sim.scale('default', 'web', 4)
    sim.settle()
    const writes = sim.events({ writes: true }).slice(-(sim.eventCount - from)).filter((e) => e.write)
    const by = (who: string) => writes.filter((e) => e.write!.by === who || e.write!.by.startsWith(`${who}/`))
    expect(writes[0]).toMatchObject({
      actor: 'API server', action: 'update', object: 'Deployment default/web',
      write: { by: 'kubectl', verb: 'update', subresource: 'scale', key: '/registry/deployments/default/web', resourceVersion: String(before + 1) },
    })
    expect(by('deployment-controller').some((e) => e.object.startsWith('ReplicaSet default/web-') && !e.write!.subresource)).toBe(true)
    const created = by('replicaset-controller').find((e) => e.write!.verb === 'create')!
    expect(created.object).toMatch(/^Pod default\/web-/)
    expect(created.write!.key).toBe(`/registry/pods/${created.object.slice(4)}`)
    expect(created.message).toBe(`replicaset-controller created ${created.object}: stored at ${created.write!.key}, resourceVersion ${created.write!.resourceVersion}`)
    expect(by('default-scheduler').some((e) => e.object === created.object)).toBe(true)
    expect(by('kubelet').some((e) => e.object === created.object && e.write!.subresource === 'status' && /^kubelet\/worker-\d$/.test(e.write!.by))).toBe(true)
    expect(by('endpointslice-controller').some((e) => e.object.startsWith('EndpointSlice default/web-') && e.write!.key.startsWith('/registry/endpointslices/default/'))).toBe(true)
    expect(by('endpoints-controller').some((e) => e.write!.key === '/registry/services/endpoints/default/web')).toBe(true)
    // resourceVersions rise by one per write, in the order the writes were recorded.
    const versions = writes.map((e) => Number(e.write!.resourceVersion))
    expect(versions).toEqual(versions.map((_, i) => before + 1 + i))
  })

  it('records the load balancer\'s status and deletions, and the user\'s writes as kubectl\'s', () => {
    const sim = createSimulation({ seed: 1 })
    const from = sim.eventCount
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', selector: { app: 'x' }, ports: [{ port: 80 }] } })
    sim.settle()
    sim.delete('svc', 'default', 'lb')
    const writes = writesSince(sim, from).filter((e) => e.object === 'Service default/lb')
    expect(writes.map((e) => [e.write!.by, e.write!.verb, e.write!.subresource ?? ''])).toEqual([
      ['kubectl', 'create', ''],
      ['service-controller', 'update', 'status'],
      ['kubectl', 'delete', ''],
    ])
    expect(writes[2]!.message).toMatch(/^kubectl deleted Service default\/lb: removed \/registry\/services\/specs\/default\/lb from etcd/)
  })

  it('names a pod\'s graceful deletion as a delete, and the kubelet\'s removal after it', () => {
    const sim = webCluster()
    const name = sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    const from = sim.eventCount
    sim.delete('pod', 'default', name)
    sim.settle()
    const own = writesSince(sim, from).filter((e) => e.object === `Pod default/${name}`)
    expect(own[0]).toMatchObject({ write: { by: 'kubectl', verb: 'delete' } })
    expect(own[0]!.message).toContain('marked for graceful deletion (30s)')
    expect(own.at(-1)).toMatchObject({ write: { verb: 'delete' } })
    expect(own.at(-1)!.write!.by).toMatch(/^kubelet\/worker-\d$/)
  })

  it('keeps the writes apart from the story: the story has no API server or etcd entries of the commands', () => {
    const sim = webCluster()
    const from = sim.eventCount
    sim.scale('default', 'web', 2)
    sim.settle()
    const all = sim.events({ writes: true }).slice(-(sim.eventCount - from))
    const story = sim.events().slice(-all.filter((e) => !e.write).length)
    expect(story).toEqual(all.filter((e) => !e.write))
    expect(story.some((e) => e.write)).toBe(false)
    expect(story.some((e) => e.actor === 'etcd')).toBe(false)
    expect(story.some((e) => e.reason === 'ScalingReplicaSet')).toBe(true)
    expect(all.some((e) => e.write)).toBe(true)
  })

  it('writes the bootstrap as the components that do it on a kubeadm cluster', () => {
    const sim = createSimulation({ seed: 1, workers: 1 })
    const writers = new Map(sim.events({ writes: true }).filter((e) => e.write?.verb === 'create').map((e) => [e.object, e.write!.by]))
    expect(writers.get('Namespace kube-system')).toBe('kube-apiserver')
    expect(writers.get('Service default/kubernetes')).toBe('kube-apiserver')
    expect(writers.get('Node worker-1')).toBe('kubelet/worker-1')
    expect(writers.get('Pod kube-system/kube-apiserver-control-plane')).toBe('kubelet/control-plane')
    expect(writers.get('Deployment kube-system/coredns')).toBe('kubeadm')
  })
})
