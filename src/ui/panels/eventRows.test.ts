import { describe, expect, it } from 'vitest'
import type { SimEvent } from '../../sim'
import { eventRows } from './eventRows'

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
