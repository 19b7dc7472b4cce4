import { describe, expect, it } from 'vitest'
import { createSimulation, type Service } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { targetSuggestions } from './targets'

const nodePort = `---
apiVersion: v1
kind: Service
metadata:
  name: web-lb
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
`

describe('what a request can be sent to', () => {
  it('from a pod: each Service by short name, name.namespace, full name and ClusterIP', () => {
    const sim = createSimulation({ seed: 2, workers: 2 })
    sim.apply(webScenario())
    sim.settle()
    const values = targetSuggestions(sim, 'default/client').map((t) => t.value)
    const ip = (sim.get('Service', 'default', 'web') as Service).spec.clusterIP
    expect(values).toEqual(expect.arrayContaining(['web:80', 'web.default:80', 'web.default.svc.cluster.local:80', `${ip}:80`, 'kube-dns.kube-system:53']))
    // kube-dns is not in the client's namespace: its short name would not resolve from there.
    expect(values).not.toContain('kube-dns:53')
    expect(new Set(values).size).toBe(values.length)
  })

  it('from the Internet: NodePorts on every node address and the load-balancer address, no cluster names', () => {
    const sim = createSimulation({ seed: 2, workers: 2 })
    sim.apply(webScenario() + nodePort)
    sim.settle()
    const svc = sim.get('Service', 'default', 'web-lb') as Service
    const values = targetSuggestions(sim, 'external').map((t) => t.value)
    expect(values).toEqual(expect.arrayContaining([`172.18.0.2:${svc.spec.ports![0]!.nodePort}`, `172.18.0.4:${svc.spec.ports![0]!.nodePort}`, `${svc.status.loadBalancer.ingress![0]!.ip}:80`]))
    expect(values.some((v) => v.includes('svc.cluster.local') || v.startsWith('web'))).toBe(false)
    for (const v of values) expect(sim.connect('external', v).hops.length).toBeGreaterThan(0)
  })
})

describe('switching a request to come from the Internet', () => {
  it("offers the same Service's load-balancer address, else its NodePort, else whatever is exposed", async () => {
    const { externalTargetFor } = await import('./targets')
    const sim = createSimulation({ seed: 2, workers: 2 })
    sim.apply(webScenario())
    sim.settle()
    // Nothing exposed yet: nothing to offer.
    expect(externalTargetFor(sim, 'default/client', 'web:80')).toBeUndefined()
    sim.apply(nodePort.replace('web-lb', 'web').replace('type: LoadBalancer', 'type: NodePort'))
    sim.settle()
    const np = (sim.get('Service', 'default', 'web') as Service).spec.ports![0]!.nodePort
    expect(externalTargetFor(sim, 'default/client', 'web:80')).toBe(`172.18.0.3:${np}`)
    sim.apply(nodePort)
    sim.settle()
    const lb = sim.get('Service', 'default', 'web-lb') as Service
    expect(externalTargetFor(sim, 'default/client', 'web-lb.default.svc.cluster.local:80')).toBe(`${lb.status.loadBalancer.ingress![0]!.ip}:80`)
    // kube-dns is exposed nowhere: the way in from outside is offered instead, a load balancer before any NodePort
    // (never the control plane's), and it works from outside.
    const other = externalTargetFor(sim, 'default/client', 'kube-dns.kube-system:53')!
    expect(other).toBe(`${lb.status.loadBalancer.ingress![0]!.ip}:80`)
    expect(sim.connect('external', other).ok).toBe(true)
  })
})
