import { describe, expect, it } from 'vitest'
import { createSimulation, type Service } from '../sim'
import { webScenario } from '../scenarios/webScenario'
import { backendsOf } from './backends'

const local = `---
apiVersion: v1
kind: Service
metadata:
  name: web-local
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
`

describe('which pods a target reaches', () => {
  it('by name, ClusterIP or NodePort: the ready pods behind the Service; from outside under Local policy, marked so', () => {
    const sim = createSimulation({ seed: 9, workers: 2 })
    sim.apply(webScenario() + local)
    sim.settle()
    const ready = sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-')).map((p) => `default/${p.metadata.name}`).sort()
    const byName = backendsOf(sim, 'default/client', 'web:80')
    expect(byName).toEqual({ service: 'default/web', pods: ready })
    const svc = sim.get('Service', 'default', 'web-local') as Service
    expect(backendsOf(sim, 'default/client', `${svc.spec.clusterIP}:80`)).toEqual({ service: 'default/web-local', pods: ready })
    expect(backendsOf(sim, 'external', `172.18.0.3:${svc.spec.ports![0]!.nodePort}`)).toEqual({ service: 'default/web-local', pods: ready, policy: 'externalLocal' })
    // A pod reaching the same NodePort is short-circuited to the cluster-wide chain: the external policy is not its.
    expect(backendsOf(sim, 'default/client', `172.18.0.3:${svc.spec.ports![0]!.nodePort}`)).toEqual({ service: 'default/web-local', pods: ready })
    expect(backendsOf(sim, 'default/client', 'web:81')).toBeUndefined()
  })

  it('from a pod under internalTrafficPolicy Local: only the ready pods on its own node; with ClientIP affinity, said so', () => {
    const sim = createSimulation({ seed: 9, workers: 2 })
    sim.apply(webScenario() + `---
apiVersion: v1
kind: Service
metadata:
  name: near
spec:
  internalTrafficPolicy: Local
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: sticky
spec:
  sessionAffinity: ClientIP
  selector:
    app: web
  ports:
  - port: 80
    targetPort: http
`)
    sim.settle()
    const node = sim.get('Pod', 'default', 'client')!.spec as { nodeName: string }
    const mine = sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-') && (p.spec as { nodeName: string }).nodeName === node.nodeName).map((p) => `default/${p.metadata.name}`).sort()
    expect(backendsOf(sim, 'default/client', 'near:80')).toEqual({ service: 'default/near', pods: mine, policy: 'internalLocal' })
    expect(backendsOf(sim, 'default/client', 'sticky:80')?.policy).toBe('clientIP')
    // And the requests agree: every one lands on a pod of the client's node.
    for (let i = 0; i < 20; i++) expect(mine).toContain(sim.connect('default/client', 'near:80').pod)
  })
})
