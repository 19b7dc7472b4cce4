import { TIMING } from '../config'
import type { Controller } from '../runtime/runtime'

/**
 * CoreDNS's kubernetes plugin: its informers see Service and EndpointSlice changes a moment after the write, and from
 * then on it answers from them. The records themselves are derived from that view on demand (dns/records.ts).
 */
export const coreDnsController: Controller = {
  name: 'coredns',
  reconcile(state, ctx) {
    const keys = ctx.take()
    if (keys.length === 0) return state
    const changed = ctx.memory(() => new Set<string>())
    for (const k of keys) if (k !== 'sync') changed.add(k)
    if (keys.some((k) => k !== 'sync')) ctx.after(TIMING.watchLatency, 'sync')
    if (!keys.includes('sync')) return state
    const list = [...changed]
    changed.clear()
    ctx.record({
      actor: 'CoreDNS',
      action: 'sync',
      object: list.length === 1 ? `Service ${list[0]}` : 'Services',
      message: `Watch caught up: now answering for ${list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`}`,
    })
    return { ...state, dns: { services: state.services, endpointSlices: state.endpointSlices, syncedAt: state.now } }
  },
}
