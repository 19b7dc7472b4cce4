import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'
import { ACTIONS, actionProblem, runAction, type SimAction } from '.'
import type { Simulation } from '../simulation'

/** Each action beside the method call it stands for, on two clusters of one seed: same results, same cluster. */
const pairs: [SimAction, (sim: Simulation) => unknown][] = [
  [{ type: 'apply', manifest: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } } }, (s) => s.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } })],
  [{ type: 'scale', namespace: 'default', name: 'web', replicas: 5 }, (s) => s.scale('default', 'web', 5)],
  [{ type: 'create', manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'class' } } }, (s) => s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'class' } })],
  [{ type: 'patch', kind: 'Pod', namespace: 'default', name: 'client', patch: { metadata: { labels: { tier: 'debug' } } } }, (s) => s.patch('Pod', 'default', 'client', { metadata: { labels: { tier: 'debug' } } })],
  [{ type: 'advance', ms: 9000 }, (s) => s.advance(9000)],
  [{ type: 'connect', from: 'default/client', target: 'web:80' }, (s) => s.connect('default/client', 'web:80')],
  [{ type: 'resolve', pod: 'default/client', name: 'web', queryType: 'A' }, (s) => s.resolve('default/client', 'web', 'A')],
  [{ type: 'setImage', namespace: 'default', name: 'web', container: 'web', image: 'nginxinc/nginx-unprivileged:1.28' }, (s) => s.setImage('default', 'web', 'web', 'nginxinc/nginx-unprivileged:1.28')],
  [{ type: 'nextEvent' }, (s) => s.nextEvent()],
  [{ type: 'advance', ms: 30_000 }, (s) => s.advance(30_000)],
  [{ type: 'rolloutUndo', namespace: 'default', name: 'web' }, (s) => s.rolloutUndo('default', 'web')],
  [{ type: 'delete', kind: 'svc', namespace: 'default', name: 'api' }, (s) => s.delete('svc', 'default', 'api')],
  [{ type: 'fault', fault: 'node-down', target: 'worker-2' }, (s) => s.fault('node-down', 'worker-2')],
  [{ type: 'advance', ms: 60_000 }, (s) => s.advance(60_000)],
  [{ type: 'heal', fault: 'node-down', target: 'worker-2' }, (s) => s.heal('node-down', 'worker-2')],
  [{ type: 'setProxyMode', mode: 'ipvs' }, (s) => s.setProxyMode('ipvs')],
]

describe('actions as data', () => {
  it('dispatching each action does what its method does: the same result and the same cluster after it', () => {
    const a = webCluster({ seed: 7 })
    const b = webCluster({ seed: 7 })
    for (const [action, call] of pairs) {
      expect(a.dispatch(action)).toEqual(call(b))
      expect(a.state).toEqual(b.state)
    }
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()))
  })

  it('covers every action the registry lists', () => {
    expect(new Set(pairs.map(([a]) => a.type))).toEqual(new Set(Object.keys(ACTIONS)))
  })

  it('says which field of a raw action is wrong, and knows no other types', () => {
    expect(actionProblem({ type: 'scale', namespace: 'default', name: 'web', replicas: -1 })).toBe('replicas: must be a whole number from 0 up; it is -1')
    expect(actionProblem({ type: 'setImage', namespace: 'default', name: 'web', image: 'x' })).toBe('container: must be a name; it is undefined')
    expect(actionProblem({ type: 'advance', ms: 'soon' })).toBe('ms: must be a number of milliseconds from 0 up; it is "soon"')
    expect(actionProblem({ type: 'format disk' })).toBe('not an action this simulator knows (type: "format disk")')
    expect(actionProblem({ type: 'toString' })).toBe('not an action this simulator knows (type: "toString")')
    expect(actionProblem(null)).toBe('not an action this simulator knows')
    for (const [action] of pairs) expect(actionProblem(action)).toBeUndefined()
  })

  it('runAction is what dispatch runs', () => {
    const a = webCluster({ seed: 3 })
    const b = webCluster({ seed: 3 })
    expect(runAction(a, { type: 'scale', namespace: 'default', name: 'web', replicas: 2 })).toEqual(b.dispatch({ type: 'scale', namespace: 'default', name: 'web', replicas: 2 }))
  })
})

describe('a rolling update and its undo', () => {
  it('set image rolls out a new ReplicaSet; rollout undo brings the old template back, and its ReplicaSet scales up again', () => {
    const sim = webCluster()
    const oldRs = sim.list('ReplicaSet', 'default')[0]!.metadata.name
    expect(sim.setImage('default', 'web', 'web', 'nginxinc/nginx-unprivileged:1.28').applied[0]!.message).toBe('deployment.apps/web image updated')
    sim.settle()
    const pods = () => sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-'))
    expect(pods().every((p) => (p as unknown as { spec: { containers: { image: string }[] } }).spec.containers[0]!.image.endsWith(':1.28'))).toBe(true)
    expect(pods().some((p) => p.metadata.name.startsWith(oldRs))).toBe(false)
    expect(sim.rolloutUndo('default', 'web').applied[0]!.message).toBe('deployment.apps/web rolled back')
    sim.settle()
    expect(pods()).toHaveLength(3)
    expect(pods().every((p) => p.metadata.name.startsWith(`${oldRs}-`))).toBe(true)
  })

  it('refuses in kubectl words: an unknown container, no history, no such Deployment', () => {
    const sim = webCluster()
    expect(sim.setImage('default', 'web', 'nginx', 'nginx:1.27').message).toBe('error: unable to find container named "nginx"')
    expect(sim.rolloutUndo('default', 'web').message).toBe('error: no rollout history found for deployment "web"')
    expect(sim.setImage('default', 'api', 'web', 'nginx:1.27').message).toBe('Error from server (NotFound): deployments.apps "api" not found')
  })
})

describe('Next event', () => {
  it('moves the clock exactly to the next thing that happens, one step at a time, until nothing is scheduled', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } })
    const applied = sim.now
    const times: number[] = []
    for (let r = sim.nextEvent(); r.ok; r = sim.nextEvent()) times.push(r.time)
    expect(times.length).toBeGreaterThanOrEqual(2)
    expect(times[0]).toBeGreaterThan(applied)
    // Each step ends where something changed: the times increase and CoreDNS and every kube-proxy caught up on the way.
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1]!)
    expect(sim.dnsRecords().some((r) => r.name.startsWith('api.default.svc'))).toBe(true)
    expect(sim.nextEvent()).toMatchObject({ ok: false, message: 'nothing is scheduled: the cluster has settled, and waits for you' })
  })
})
