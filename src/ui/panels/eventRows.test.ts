import { describe, expect, it } from 'vitest'
import type { SimEvent } from '../../sim'
import { componentsOf, eventComponent, eventRows, pickEvents } from './eventRows'

const ev = (time: number, actor: string, object: string, message: string, by?: string): SimEvent => ({
  time, actor, action: 'x', object, message,
  ...(by ? { write: { by, verb: 'update', key: '/registry/deployments/default/web', resourceVersion: String(time) } } : {}),
})

const story = [
  ev(100, 'API server', 'Deployment default/web', 'kubectl scaled Deployment default/web to 4 replicas (the scale subresource)', 'kubectl'),
  ev(100, 'API server', 'ReplicaSet default/web-1', 'deployment-controller updated ReplicaSet default/web-1', 'deployment-controller'),
  ev(100, 'replicaset-controller', 'ReplicaSet default/web-1', 'Created pod: web-1-a'),
  ev(200, 'CoreDNS', 'Service default/web', 'Watch caught up'),
  ev(300, 'CoreDNS', 'Service default/web', 'Watch caught up'),
]

describe('the event list', () => {
  it('shows the newest first, a write the API server stored as "API server → etcd"', () => {
    const rows = eventRows(story, { componentWrites: true })
    expect(rows.map((r) => r.actors.join(' → '))).toEqual(['CoreDNS', 'replicaset-controller', 'API server → etcd', 'API server → etcd'])
    expect(rows.map((r) => r.write)).toEqual([undefined, undefined, 'component', 'user'])
  })

  it('counts the same event repeated, keeping the newest time', () => {
    const rows = eventRows(story, { componentWrites: true })
    expect(rows[0]).toMatchObject({ repeats: 2, event: { time: 300 } })
  })

  it("leaves out the components' writes when asked, and keeps the user's", () => {
    const rows = eventRows(story, { componentWrites: false })
    expect(rows.map((r) => r.write)).toEqual([undefined, undefined, 'user'])
  })

  it('keys rows by their event, so a row keeps its key as newer events arrive', () => {
    const before = eventRows(story.slice(0, 3), { componentWrites: true })
    const after = eventRows(story, { componentWrites: true })
    expect(after.find((r) => r.actors[0] === 'replicaset-controller')!.key).toBe(before.find((r) => r.actors[0] === 'replicaset-controller')!.key)
  })
})

describe('the event list over the whole history', () => {
  const history = [
    ev(50, 'kubelet/worker-1', 'Pod default/web-1-a', 'Started container web'),
    ev(60, 'API server', 'Pod default/web-1-a', 'kubelet/worker-1 updated the status of Pod default/web-1-a', 'kubelet/worker-1'),
    ev(70, 'kube-proxy/worker-2', 'Service default/web', 'Synced 12 rules'),
    ...story,
  ]

  it('names each event by its component: the user for kubectl, a node\'s kubelet as "kubelet", a write by its sender', () => {
    expect(history.map(eventComponent)).toEqual(['kubelet', 'kubelet', 'kube-proxy', 'user', 'deployment-controller', 'replicaset-controller', 'CoreDNS', 'CoreDNS'])
    expect(componentsOf(history)).toEqual(['user', 'CoreDNS', 'deployment-controller', 'kube-proxy', 'kubelet', 'replicaset-controller'])
  })

  it('narrows to an object (any part of its name, any case) and to a component, newest last, saying when more are older', () => {
    const all = { object: '', component: undefined, componentWrites: true }
    expect(pickEvents(history, { ...all, object: 'WEB-1' }, 10).events.map((e) => e.time)).toEqual([50, 60, 100, 100])
    expect(pickEvents(history, { ...all, component: 'kubelet' }, 10).events.map((e) => e.time)).toEqual([50, 60])
    const page = pickEvents(history, all, 3)
    expect(page.events.map((e) => e.time)).toEqual([100, 200, 300])
    expect(page.more).toBe(true)
    expect(pickEvents(history, { ...all, component: 'kube-proxy' }, 1).more).toBe(false)
  })

  it("leaves the components' writes out unless asked, counting them", () => {
    const r = pickEvents(history, { object: '', component: undefined, componentWrites: false }, 10)
    expect(r.events.map((e) => e.write?.by ?? e.actor)).toEqual(['kubelet/worker-1', 'kube-proxy/worker-2', 'kubectl', 'replicaset-controller', 'CoreDNS', 'CoreDNS'])
    expect(r.hidden).toBe(2)
  })
})
