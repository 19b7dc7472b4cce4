import { describe, expect, it } from 'vitest'
import type { SimEvent } from '../../sim'
import { eventRows } from './eventRows'

const ev = (time: number, actor: string, object: string, message: string): SimEvent => ({ time, actor, action: 'x', object, message })

const story = [
  ev(100, 'API server', 'Deployment default/web', 'Scaled Deployment default/web from 3 to 4 replicas'),
  ev(100, 'etcd', 'Deployment default/web', 'Stored /registry/deployments/default/web (resourceVersion 7)'),
  ev(100, 'replicaset-controller', 'ReplicaSet default/web-1', 'Created pod: web-1-a'),
  ev(200, 'CoreDNS', 'Service default/web', 'Watch caught up'),
  ev(300, 'CoreDNS', 'Service default/web', 'Watch caught up'),
]

describe('the event list', () => {
  it('shows the newest first, an API server write and its etcd store as one row', () => {
    const rows = eventRows(story, { apiWrites: true })
    expect(rows.map((r) => r.actors.join(' → '))).toEqual(['CoreDNS', 'replicaset-controller', 'API server → etcd'])
    expect(rows[2]!.event.message).toBe('Scaled Deployment default/web from 3 to 4 replicas; Stored /registry/deployments/default/web (resourceVersion 7)')
  })

  it('counts the same event repeated, keeping the newest time', () => {
    const rows = eventRows(story, { apiWrites: true })
    expect(rows[0]).toMatchObject({ repeats: 2, event: { time: 300 } })
  })

  it('leaves out the API server and etcd writes when asked', () => {
    const rows = eventRows(story, { apiWrites: false })
    expect(rows.some((r) => r.apiWrite)).toBe(false)
    expect(rows).toHaveLength(2)
  })

  it('keys rows by their place in the story, so a row keeps its key as newer events arrive', () => {
    const before = eventRows(story.slice(0, 3), { apiWrites: true, first: 10 })
    const after = eventRows(story, { apiWrites: true, first: 10 })
    expect(after.find((r) => r.actors[0] === 'replicaset-controller')!.key).toBe(before.find((r) => r.actors[0] === 'replicaset-controller')!.key)
  })
})
