import { describe, expect, it } from 'vitest'
import type { Fault } from '../../sim'
import { badgeText, faultBadgesById, faultRows } from './faultLabels'

const f = (fault: Fault['fault'], target: string, since = 0): Fault => ({ fault, target, since })

describe('fault badges and rows', () => {
  it('a partition badges both its nodes, each naming the other end', () => {
    const badges = faultBadgesById([f('partition', 'worker-1,worker-2')])
    expect(badges.get('node:worker-1')).toEqual(['Partitioned from worker-2'])
    expect(badges.get('node:worker-2')).toEqual(['Partitioned from worker-1'])
  })

  it('a pod fault badges the pod card; cards without a fault get nothing', () => {
    const badges = faultBadgesById([f('container-crash', 'default/web-1')])
    expect(badges.get('pod:default/web-1')).toEqual(['Crashing'])
    expect(badges.has('node:worker-1')).toBe(false)
  })

  it('a Node with several faults lists what stops the most first, whatever order they came in', () => {
    const badges = faultBadgesById([f('kube-proxy-stalled', 'worker-1'), f('partition', 'worker-1,worker-2'), f('node-down', 'worker-1')])
    expect(badges.get('node:worker-1')).toEqual(['Node down', 'Partitioned from worker-2', 'kube-proxy stalled'])
  })

  it('the list of active faults is oldest first, each saying what broke, where and when', () => {
    const rows = faultRows([
      ['partition|worker-1,worker-2', f('partition', 'worker-1,worker-2', 5000)],
      ['node-down|worker-1', f('node-down', 'worker-1', 2000)],
    ])
    expect(rows.map((r) => [r.where, r.since])).toEqual([['worker-1', 2000], ['worker-1 ↔ worker-2', 5000]])
    expect(rows[0]!.title).toBe('Node down (kubelet stopped, cut off)')
    expect(rows[1]!.target).toBe('worker-1,worker-2')
  })

  it('each kind of fault has its own words', () => {
    expect(badgeText(f('readiness-failing', 'default/web-1'))).toBe('Readiness failing')
    expect(badgeText(f('kube-proxy-stalled', 'worker-2'))).toBe('kube-proxy stalled')
  })
})
