import { TIMING } from '../../config'
import { fnv32a } from '../../runtime/hash'
import type { Controller } from '../../runtime/runtime'
import { nodeRuleCount } from './nodeTables'

interface ProxyMemory {
  /** Nodes with a sync already scheduled. */
  readonly pending: Set<string>
  /** The Services changed, in order; `base` is the sequence number of log[0]. For the story the event log tells. */
  log: string[]
  base: number
  /** node -> sequence number of the first change its last sync had not seen. */
  readonly seen: Map<string, number>
  readonly lastRules: Map<string, number>
}

/**
 * kube-proxy on every node: watches Services and EndpointSlices and, a moment later (watch latency, then at most once
 * per --iptables-min-sync-period), rewrites the node's rules from what it saw. Each node keeps the view of its last
 * sync, so between a change and the sync a student sees stale rules, as on a real node.
 */
export const kubeProxyController: Controller = {
  name: 'kube-proxy',
  reconcile(state, ctx) {
    const keys = ctx.take()
    if (keys.length === 0) return state
    const mem = ctx.memory<ProxyMemory>(() => ({ pending: new Set(), log: [], base: 0, seen: new Map(), lastRules: new Map() }))
    const changes = keys.filter((k) => !k.startsWith('sync:'))
    for (const k of changes) if (k !== '*') mem.log.push(k)
    if (changes.length > 0 && mem.pending.size < state.nodes.size) {
      for (const node of state.nodes.keys()) {
        if (mem.pending.has(node)) continue
        const last = state.proxies.get(node)?.syncedAt ?? -Infinity
        const at = Math.max(state.now + TIMING.watchLatency + (fnv32a(node) % 100), last + TIMING.proxyMinSyncPeriod)
        mem.pending.add(node)
        ctx.after(at - state.now, `sync:${node}`)
      }
    }
    let proxies = state.proxies
    for (const key of keys) {
      if (!key.startsWith('sync:')) continue
      const node = key.slice(5)
      mem.pending.delete(node)
      if (!state.nodes.has(node)) continue
      const view = { services: state.services, endpointSlices: state.endpointSlices, syncedAt: state.now }
      proxies = proxies.set(node, view)
      const rules = nodeRuleCount(view, node, ctx.config.podCIDR.text)
      const before = mem.lastRules.get(node)
      mem.lastRules.set(node, rules)
      const from = mem.seen.get(node)
      const changed = from === undefined ? [] : [...new Set(mem.log.slice(Math.max(0, from - mem.base)))]
      mem.seen.set(node, mem.base + mem.log.length)
      const what = from === undefined ? 'initial sync' : changed.length <= 3 ? changed.join(', ') : `${changed.slice(0, 3).join(', ')} and ${changed.length - 3} more`
      ctx.record({
        actor: `kube-proxy/${node}`,
        action: 'sync',
        object: `Node ${node}`,
        message: `Rewrote iptables rules (${what || 'no change'}): ${rules} rules${before !== undefined && before !== rules ? `, was ${before}` : ''}`,
      })
    }
    if (mem.log.length > 4096) trimLog(mem)
    for (const node of proxies.keys()) if (!state.nodes.has(node)) proxies = proxies.delete(node)
    return proxies === state.proxies ? state : { ...state, proxies }
  },
}

/** Drops the changes every node has already synced past. */
function trimLog(mem: ProxyMemory): void {
  let min = mem.base + mem.log.length
  for (const seq of mem.seen.values()) min = Math.min(min, seq)
  if (min > mem.base) {
    mem.log = mem.log.slice(min - mem.base)
    mem.base = min
  }
}
