import { describe, expect, it } from 'vitest'
import type { ObjectMeta } from '../../model/meta'
import type { SimEvent } from '../../runtime/events'
import { toTimestamp } from '../../runtime/time'
import { eventSource, eventType, printObjectEvents } from './eventsSection'
import { tabbedString } from './prefixWriter'

/** Reports about Pod default/p as the engine records them; upstream: client-go tools/record and tools/events, v0.33. */
const pod: ObjectMeta = { name: 'p', namespace: 'default', creationTimestamp: toTimestamp(0) }
const at = (time: number, actor: string, reason: string, message: string): SimEvent => ({ time, actor, action: 'x', object: 'Pod default/p', reason, message })
const section = (events: SimEvent[], now: number) => tabbedString((w) => printObjectEvents(w, events, 'Pod', pod, now))
const MIN = 60_000

describe('the Events section', () => {
  it('says <none> when nothing was reported, or everything reported has outlived the one-hour event TTL', () => {
    expect(section([], 0)).toBe('Events:  <none>\n')
    expect(section([at(0, 'kubelet/worker-1', 'Pulling', 'Pulling image "nginx"')], 60 * MIN + 1000)).toBe('Events:  <none>\n')
  })

  it('folds an identical event into one row with its count, first and last time (EventCorrelator)', () => {
    const backoff = (t: number) => at(t, 'kubelet/worker-1', 'BackOff', 'Back-off restarting failed container app in pod p_default(uid)')
    expect(section([backoff(0), backoff(5 * MIN), backoff(10 * MIN)], 10 * MIN + 3000)).toBe([
      'Events:',
      '  Type     Reason   Age               From     Message',
      '  ----     ------   ----              ----     -------',
      '  Warning  BackOff  3s (x3 over 10m)  kubelet  Back-off restarting failed container app in pod p_default(uid)',
      '',
    ].join('\n'))
  })

  it('combines the tenth and later distinct messages of one reason within ten minutes (EventAggregator)', () => {
    const created = Array.from({ length: 12 }, (_, i) => at(i * 1000, 'replicaset-controller', 'SuccessfulCreate', `Created pod: web-${i + 1}`))
    const text = section(created, 20_000)
    expect(text.split('\n').filter((l) => l.includes('SuccessfulCreate'))).toHaveLength(10)
    expect(text).toContain('  Normal  SuccessfulCreate  9s (x3 over 11s)  replicaset-controller  (combined from similar events): Created pod: web-12\n')
  })

  it('lets a source burst 25 events about an object, then one per five minutes (the spam filter)', () => {
    const burst = Array.from({ length: 30 }, (_, i) => at(i, 'kubelet/worker-1', `Reason${i}`, 'm'))
    const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('  Normal')).length
    expect(rows(section(burst, 1000))).toBe(25)
    expect(rows(section([...burst, at(5 * MIN + 1000, 'kubelet/worker-1', 'Late', 'm')], 5 * MIN + 2000))).toBe(26)
  })

  it('shows a scheduler series at count 2 until the series ends, then its final count (events.k8s.io)', () => {
    const failed = [0, 1, 2, 3].map((m) => at(m * MIN, 'default-scheduler', 'FailedScheduling', '0/3 nodes are available'))
    expect(section(failed, 3 * MIN + 20_000)).toContain('  Warning  FailedScheduling  2m20s (x2 over 3m20s)  default-scheduler  0/3 nodes are available\n')
    // The series ends at the 12-minute check (its last repeat is more than 6 minutes old), written with all four.
    expect(section(failed, 13 * MIN)).toContain('  Warning  FailedScheduling  10m (x4 over 13m)  default-scheduler  0/3 nodes are available\n')
  })

  it('lists events.k8s.io events first: their lastTimestamp is null, and kubectl sorts by it', () => {
    const text = section([at(1000, 'kubelet/worker-1', 'Pulling', 'Pulling image "nginx"'), at(2000, 'default-scheduler', 'Scheduled', 'Successfully assigned default/p to worker-1')], 4000)
    expect(text.split('\n').slice(3, 5)).toEqual([
      '  Normal  Scheduled  2s    default-scheduler  Successfully assigned default/p to worker-1',
      '  Normal  Pulling    3s    kubelet            Pulling image "nginx"',
    ])
  })

  it('names the source component as From shows it, and types reasons as their recorders do', () => {
    expect(eventSource('kubelet/worker-1')).toEqual({ component: 'kubelet', host: 'worker-1' })
    expect(eventSource('endpointslice-controller').component).toBe('endpoint-slice-controller')
    expect(eventSource('deployment-controller').component).toBe('deployment-controller')
    expect(['Scheduled', 'Killing', 'ScalingReplicaSet', 'FailedScheduling', 'BackOff', 'SyncLoadBalancerFailed'].map(eventType))
      .toEqual(['Normal', 'Normal', 'Normal', 'Warning', 'Warning', 'Warning'])
  })
})
