import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'
import type { Pod } from '../model/pod'

const webPods = (sim: ReturnType<typeof webCluster>) =>
  (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith('web-')).map((p) => `${p.metadata.name} ${p.spec.nodeName} ${p.status.podIP}`).sort()

describe('randomness in streams', () => {
  it('requests and lookups never change the control plane: scaling after any of them gives the same pods, names, nodes and IPs', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('connect' as const), target: fc.constantFrom('web:80', 'web.default.svc.cluster.local:80', 'example.com:443', '10.96.0.1:443') }),
      fc.record({ kind: fc.constant('resolve' as const), name: fc.constantFrom('web', 'kubernetes.default', 'nothing-here', 'example.com') }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(step, { maxLength: 12 }), fc.integer({ min: 2, max: 6 }), (seed, traffic, replicas) => {
        const quiet = webCluster({ seed })
        const busy = webCluster({ seed })
        for (const t of traffic) {
          if (t.kind === 'connect') busy.connect('default/client', t.target)
          else busy.resolve('default/client', t.name)
        }
        for (const sim of [quiet, busy]) {
          sim.scale('default', 'web', replicas)
          sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } })
          sim.settle()
        }
        expect(webPods(busy)).toEqual(webPods(quiet))
        expect(busy.get('Service', 'default', 'api')!.spec).toEqual(quiet.get('Service', 'default', 'api')!.spec)
        expect(busy.list('EndpointSlice', 'default').map((s) => s.metadata.name)).toEqual(quiet.list('EndpointSlice', 'default').map((s) => s.metadata.name))
      }),
      { numRuns: 25 },
    )
  })

  it('the streams are the seed\'s: the same seed and history give the same packets too', () => {
    const a = webCluster({ seed: 11 })
    const b = webCluster({ seed: 11 })
    const picks = (sim: typeof a) => Array.from({ length: 10 }, () => sim.connect('default/client', 'web:80').endpoint)
    expect(picks(a)).toEqual(picks(b))
  })
})
