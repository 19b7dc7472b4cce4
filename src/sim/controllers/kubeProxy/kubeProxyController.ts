import { isKubeProxyStalled } from '../../faults'
import { TIMING } from '../../config'
import { fnv32a } from '../../runtime/hash'
import type { Controller, ControllerContext } from '../../runtime/runtime'
import { isPodRunning } from '../../model/pod'
import { nodeInternalIP } from '../../model/node'
import { FIXED_RULE_COUNT, serviceRuleCount } from './iptables/nodeTables'
import { type ProxyNode } from './servicePorts'
import type { ClusterState, ProxyView, WatchView } from '../../state'
import { DEFAULT_PROXY_MODE, type ProxyMode } from '../../model/proxyMode'
import { sharedRuleCount } from './proxyRules'

interface ProxyMemory {
  /** Nodes with a sync already scheduled, and nodes with none (a change schedules exactly those). */
  readonly pending: Set<string>
  readonly idle: Set<string>
  /** The Services changed, in order; `base` is the sequence number of log[0]. For the story the event log tells. */
  log: string[]
  base: number
  /** node -> sequence number of the first change its last sync had not seen. */
  readonly seen: Map<string, number>
  readonly lastRules: Map<string, number>
  /** Nodes whose kube-proxy pod runs: only there does kube-proxy watch and sync. */
  readonly running: Set<string>
}

/** Rule counts carried forward between syncs: derived from the views alone, so a restored kube-proxy recounts. */
interface ProxyCache {
  /** The node-independent rule count of the view at log position `seq`: nodes syncing at one instant share it. */
  counted?: { seq: number; view: WatchView; shared: number }
  /** Services whose rules differ per node (Local traffic policies): counted per node. */
  readonly local: Set<string>
  /** The changed Services since a given log position, for the nodes syncing at one instant (they share positions). */
  changedSince?: { seq: number; byFrom: Map<number, string[]> }
}

/**
 * kube-proxy on every node: watches Services and EndpointSlices and, a moment later (watch latency, then at most once
 * per --iptables-min-sync-period), rewrites the node's rules from what it saw, in
 * the cluster's proxy mode (iptables, IPVS or nftables: see proxyRules.ts). Each node keeps the view of its last
 * sync, so between a change and the sync a student sees stale rules, as on a real node.
 */
export const kubeProxyController: Controller = {
  name: 'kube-proxy',
  reconcile(state, ctx) {
    const keys = ctx.take()
    if (keys.length === 0) return state
    const mem = ctx.memory<ProxyMemory>(() => ({ pending: new Set(), idle: new Set(), log: [], base: 0, seen: new Map(), lastRules: new Map(), running: new Set() }))
    const cache = ctx.cache<ProxyCache>(() => ({ local: new Set() }))
    for (const key of keys) if (key.startsWith('pod:')) proxyStartedOrStopped(state, ctx, mem, key.slice(4))
    for (const key of keys) if (key.startsWith('restart:')) restartedInMode(ctx, mem, key.slice(8))
    const changes = keys.filter((k) => !k.startsWith('sync:') && !k.startsWith('pod:') && !k.startsWith('restart:'))
    for (const k of changes) if (k !== '*') mem.log.push(k)
    // A node joined or left: a new node starts idle (and syncs at once below).
    if (keys.includes('*')) for (const node of state.nodes.keys()) if (!mem.pending.has(node)) mem.idle.add(node)
    if (changes.length > 0) {
      for (const node of mem.idle) {
        const last = state.proxies.get(node)?.syncedAt ?? -Infinity
        const at = Math.max(state.now + TIMING.watchLatency + (fnv32a(node) % 100), last + TIMING.proxyMinSyncPeriod)
        mem.pending.add(node)
        ctx.after(at - state.now, `sync:${node}`)
      }
      mem.idle.clear()
    }
    let proxies = state.proxies
    for (const key of keys) {
      if (!key.startsWith('sync:')) continue
      const node = key.slice(5)
      mem.pending.delete(node)
      if (!state.nodes.has(node)) continue
      mem.idle.add(node)
      // No kube-proxy process on the node: nothing syncs; the rules it wrote stay in the kernel as they were.
      if (!mem.running.has(node)) continue
      // Stalled (or its node down): it takes in nothing until it resumes, and then syncs at once (the fault's heal queues it).
      if (isKubeProxyStalled(state, node)) continue
      const mode = state.proxyMode
      const view: ProxyView = { services: state.services, endpointSlices: state.endpointSlices, syncedAt: state.now, ...(mode !== DEFAULT_PROXY_MODE ? { mode } : {}) }
      proxies = proxies.set(node, view)
      const from = mem.seen.get(node)
      const changed = from === undefined ? [] : changedSince(mem, cache, from)
      mem.seen.set(node, mem.base + mem.log.length)
      const before = mem.lastRules.get(node)
      const proxyNode = { name: node, ip: nodeInternalIP(state.nodes.get(node)!), podCIDR: state.nodes.get(node)!.spec.podCIDR }
      const rules = mode === 'iptables' ? countRules(mem, cache, view, proxyNode, ctx.config.podCIDR.text) : sharedRuleCount(view, proxyNode, ctx.config.podCIDR.text)
      mem.lastRules.set(node, rules)
      const what = from === undefined ? 'initial sync' : changed.length <= 3 ? changed.join(', ') : `${changed.slice(0, 3).join(', ')} and ${changed.length - 3} more`
      ctx.record({
        actor: `kube-proxy/${node}`,
        action: 'sync',
        object: `Node ${node}`,
        message: `${SYNC_VERB[mode]} (${what || 'no change'}): ${rules} ${SYNC_UNIT[mode]}${before !== undefined && before !== rules ? `, was ${before}` : ''}`,
      })
    }
    if (mem.log.length > 4096) trimLog(mem, cache)
    for (const node of proxies.keys()) if (!state.nodes.has(node)) proxies = proxies.delete(node)
    return proxies === state.proxies ? state : { ...state, proxies }
  },
}

/** How each mode's sync reads in the event log: what kube-proxy wrote, and what its count counts. */
const SYNC_VERB: Record<ProxyMode, string> = {
  iptables: 'Rewrote iptables rules',
  ipvs: 'Synced IPVS virtual servers, ipsets and iptables rules',
  nftables: 'Sent an nftables transaction to table ip kube-proxy',
}
const SYNC_UNIT: Record<ProxyMode, string> = { iptables: 'rules', ipvs: 'virtual servers, real servers, ipset entries and rules', nftables: 'rules and map elements' }

/**
 * kube-proxy was restarted in another mode (setProxyMode): the old mode's rules are already gone, and the new
 * process lists Services and EndpointSlices and syncs in full a moment later, as a new process does.
 */
function restartedInMode(ctx: ControllerContext, mem: ProxyMemory, node: string): void {
  if (!mem.running.has(node)) return
  mem.seen.delete(node)
  mem.lastRules.delete(node)
  if (!mem.pending.has(node)) {
    mem.idle.delete(node)
    mem.pending.add(node)
    ctx.after(TIMING.watchLatency, `sync:${node}`)
  }
}

/**
 * A kube-proxy pod's status changed on `node`: when its container starts, kube-proxy lists Services and EndpointSlices
 * and writes the node's rules in full (a new process's first sync); when it stops, nothing updates the rules.
 */
function proxyStartedOrStopped(state: ClusterState, ctx: ControllerContext, mem: ProxyMemory, node: string): void {
  const up = state.nodes.has(node) && [...(ctx.index.podsByNode.get(node) ?? [])].some((key) => {
    const pod = ctx.index.pods.get(key)
    return pod !== undefined && pod.metadata.namespace === 'kube-system' && pod.metadata.labels?.['k8s-app'] === 'kube-proxy' && isPodRunning(pod) && !pod.metadata.deletionTimestamp
  })
  if (up === mem.running.has(node)) return
  if (up) {
    mem.running.add(node)
    mem.seen.delete(node)
    if (!mem.pending.has(node)) {
      mem.idle.delete(node)
      mem.pending.add(node)
      ctx.after(TIMING.watchLatency, `sync:${node}`)
    }
    return
  }
  mem.running.delete(node)
  if (state.nodes.has(node)) {
    ctx.record({ actor: `kube-proxy/${node}`, action: 'stop', object: `Node ${node}`, message: 'kube-proxy is not running on this node: the rules it wrote stay in the kernel, unchanged, until it starts again' })
  }
}

function changedSince(mem: ProxyMemory, cache: ProxyCache, from: number): string[] {
  const seq = mem.base + mem.log.length
  if (cache.changedSince?.seq !== seq) cache.changedSince = { seq, byFrom: new Map() }
  let changed = cache.changedSince.byFrom.get(from)
  if (!changed) cache.changedSince.byFrom.set(from, (changed = [...new Set(mem.log.slice(Math.max(0, from - mem.base)))]))
  return changed
}

/**
 * The node's rule count, for the story: the node-independent part is carried forward from the last counted view by
 * the changes logged since (O(changes) per distinct view, shared by every node syncing at that instant), plus the
 * Services with a Local policy, counted for this node.
 */
function countRules(mem: ProxyMemory, cache: ProxyCache, view: WatchView, node: ProxyNode, cidr: string): number {
  const seq = mem.base + mem.log.length
  if (!cache.counted) {
    let shared = 0
    for (const key of view.services.keys()) {
      const c = serviceRuleCount(view, key, node, cidr)
      shared += c.shared
      if (c.local) cache.local.add(key)
    }
    cache.counted = { seq, view, shared }
  } else if (cache.counted.seq !== seq) {
    let shared = cache.counted.shared
    for (const key of new Set(mem.log.slice(cache.counted.seq - mem.base))) {
      const c = serviceRuleCount(view, key, node, cidr)
      shared += c.shared - serviceRuleCount(cache.counted.view, key, node, cidr).shared
      if (c.local) cache.local.add(key)
      else cache.local.delete(key)
    }
    cache.counted = { seq, view, shared }
  }
  let local = 0
  for (const key of cache.local) local += serviceRuleCount(view, key, node, cidr).local
  return FIXED_RULE_COUNT + cache.counted.shared + local
}

/** Drops the changes every node has already synced past (and the counted view has been carried past). */
function trimLog(mem: ProxyMemory, cache: ProxyCache): void {
  let min = cache.counted?.seq ?? mem.base + mem.log.length
  for (const seq of mem.seen.values()) min = Math.min(min, seq)
  if (min > mem.base) {
    mem.log = mem.log.slice(min - mem.base)
    mem.base = min
  }
}
