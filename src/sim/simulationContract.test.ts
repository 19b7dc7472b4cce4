import { describe, expect, it } from 'vitest'
import { createSimulation, MAX_VIRTUAL_MS } from './simulation'
import { runtimeFingerprint } from './testing/fingerprint'
import { webCluster } from './testing/scenarios'

/** Makes the next reconcile throw, as a bug in a controller would. */
function breakNextReconcile(sim: ReturnType<typeof createSimulation>): void {
  const engine = sim.engine
  const reconcile = engine.reconcile.bind(engine)
  engine.reconcile = () => {
    engine.reconcile = reconcile
    reconcile()
    throw new Error('a controller went wrong')
  }
}

describe('the Simulation API never throws', () => {
  it('undoes a command the engine fails in the middle of: the state and the runtime are as before', () => {
    const sim = webCluster()
    const before = sim.state
    const fingerprint = runtimeFingerprint(sim)
    const { now, events } = { now: sim.now, events: sim.eventCount }
    breakNextReconcile(sim)
    const r = sim.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' }, spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } } } })
    expect(r.ok).toBe(false)
    expect(r.message).toBe('Error from server (InternalError): Internal error occurred: apply: a controller went wrong')
    expect(sim.state).toBe(before)
    expect(sim.eventCount).toBe(events)
    // The RNG, the timers and the indexes are back; only the controllers' relist is queued, as after a restart.
    expect(JSON.parse(runtimeFingerprint(sim))).toEqual({ ...JSON.parse(fingerprint), queued: true })
    expect(sim.now).toBe(now)
    // The restarted controllers change nothing that was right, and the cluster goes on working.
    sim.advance(5000)
    expect(sim.list('Deployment', 'default').map((d) => d.metadata.name)).toEqual(['web'])
    sim.scale('default', 'web', 5)
    sim.settle()
    const slice = sim.list('EndpointSlice', 'default').find((s) => s.metadata.name.startsWith('web-')) as unknown as { endpoints: { conditions: { ready?: boolean } }[] }
    expect(slice.endpoints.filter((e) => e.conditions.ready)).toHaveLength(5)
    expect(sim.connect('default/client', 'web:80').ok).toBe(true)
  })

  it('undoes a scale that fails after writing, replicas included', () => {
    const sim = webCluster()
    breakNextReconcile(sim)
    expect(sim.scale('default', 'web', 7).ok).toBe(false)
    expect((sim.get('Deployment', 'default', 'web')!.spec as { replicas: number }).replicas).toBe(3)
    expect(sim.advance(1000).ok).toBe(true)
  })

  it('keeps the virtual clock within its documented range', () => {
    const sim = createSimulation({ seed: 1, workers: 0 })
    const now = sim.now
    expect(sim.advance(8.64e15)).toEqual({ ok: false, time: now, message: `error: advance: Invalid value: 8640000000000000: the virtual clock stops at ${MAX_VIRTUAL_MS} ms (100 years); it is at ${now} ms` })
    for (const bad of [NaN, Infinity, -1, '5' as unknown as number]) expect(sim.advance(bad).ok).toBe(false)
    expect(sim.now).toBe(now)
    expect(sim.advance(MAX_VIRTUAL_MS - now)).toEqual({ ok: true, time: MAX_VIRTUAL_MS })
    expect(sim.kubectlGet('pods', { allNamespaces: true })).toContain('Running')
    expect(sim.settle().settled).toBe(true)
    expect(sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } }).ok).toBe(true)
  })

  it('answers reads of what is not there with undefined or an empty list, and kubectl\'s own errors as text', () => {
    const sim = createSimulation({ seed: 1, workers: 1 })
    expect(sim.ruleCount('nope')).toBeUndefined()
    expect(sim.kubeProxyRules('nope')).toBeUndefined()
    expect(sim.env('default/nope')).toBeUndefined()
    expect(sim.resolvConf('nope')).toBeUndefined()
    expect(sim.get('foo', 'default', 'x')).toBeUndefined()
    expect(sim.list('foo')).toEqual([])
    expect(sim.kubectlGet('foo')).toBe('error: the server doesn\'t have a resource type "foo"\n')
    expect(sim.table('pods', { wide: 'yes' as unknown as boolean }).error).toBe('error: options.wide: Invalid value: "yes": must be a boolean')
    expect(sim.delete('foo', 'default', 'x').message).toBe('error: the server doesn\'t have a resource type "foo"')
    expect(sim.delete('svc', 'default', 'x').message).toBe('Error from server (NotFound): services "x" not found')
  })

  it('refuses an unknown query type and an unknown pod without sending a query', () => {
    const sim = webCluster()
    expect(sim.resolve('default/client', 'web', 'ZZZ' as 'A')).toMatchObject({ rcode: 'SERVFAIL', queries: [], error: 'error: type: Unsupported value: "ZZZ": supported values: "A", "AAAA", "CNAME", "PTR", "SRV", "TXT"' })
    expect(sim.resolve('default/ghost', 'web').error).toBe('Error from server (NotFound): pods "ghost" not found')
    expect(sim.connect('default/client', 'web:80', { sourcePort: 70000 }).reason).toBe('error: options.sourcePort: Invalid value: 70000: must be between 1 and 65535, inclusive')
  })

  it('throws only from the constructor, and a RangeError that says why', () => {
    expect(() => createSimulation({ seed: NaN })).toThrow(new RangeError('seed: Invalid value: NaN: must be an integer'))
    expect(() => createSimulation({ workers: -1 })).toThrow(RangeError)
  })
})
