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
    const byName = backendsOf(sim, 'default', 'web:80')
    expect(byName).toEqual({ service: 'default/web', pods: ready })
    const svc = sim.get('Service', 'default', 'web-local') as Service
    expect(backendsOf(sim, 'default', `${svc.spec.clusterIP}:80`)).toEqual({ service: 'default/web-local', pods: ready })
    expect(backendsOf(sim, 'default', `172.18.0.3:${svc.spec.ports![0]!.nodePort}`)).toEqual({ service: 'default/web-local', pods: ready, local: true })
    expect(backendsOf(sim, 'default', 'web:81')).toBeUndefined()
  })
})
