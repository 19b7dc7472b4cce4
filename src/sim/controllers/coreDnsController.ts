import { TIMING } from '../config'
import { isPodRunning, type Pod } from '../model/pod'
import { fnv32a } from '../runtime/hash'
import type { Controller } from '../runtime/runtime'
import type { ClusterState, WatchView } from '../state'

/** The label the kube-dns Service selects CoreDNS's pods by. */
const COREDNS_LABEL = 'k8s-app=kube-dns'

/** The timer key of one pod's watch catching up: `sync:<pod key>`. */
const SYNC = 'sync:'

interface CoreDnsMemory {
  /** `<pod key>|<Service key>`: a Service changed since that pod's watch last caught up. */
  readonly pending: Set<string>
  /** CoreDNS pods whose watch runs (their keys): they started, listed the Services and EndpointSlices, and answer from them. */
  serving: Set<string>
}

/**
 * CoreDNS is its pods: each runs the kubernetes plugin, whose informers list Services and EndpointSlices when the pod
 * starts and then see each change a moment after the write, each pod on its own watch (a pod's spread is fixed by its
 * name, so the two pods of a kubeadm cluster are seen catching up one after the other). Each pod answers from its own
 * view (`state.dns`, by pod key); only running pods watch and answer, and with none running nothing answers. The
 * records are derived from a view on demand (dns/records.ts).
 */
export const coreDnsController: Controller = {
  name: 'coredns',
  reconcile(state, ctx) {
    const keys = ctx.take()
    if (keys.length === 0) return state
    const mem = ctx.memory<CoreDnsMemory>(() => ({ pending: new Set(), serving: new Set() }))
    const running = runningPods(state, ctx.index.podsByLabel.get('kube-system')?.get(COREDNS_LABEL))
    const runningKeys = new Set(running.map(podKey))
    let dns = state.dns
    const wasServing = mem.serving.size
    for (const key of mem.serving) {
      if (runningKeys.has(key)) continue
      mem.serving.delete(key)
      takePending(mem, key)
      dns = dns.delete(key)
    }
    if (wasServing > 0 && runningKeys.size === 0) {
      ctx.record({ actor: 'CoreDNS', action: 'stop', object: 'Service kube-system/kube-dns', message: 'No CoreDNS pod is running: nothing answers DNS queries until one starts again' })
    }
    for (const pod of running) {
      const key = podKey(pod)
      if (mem.serving.has(key)) continue
      // A starting pod's informers list everything: that covers every change made until now.
      mem.serving.add(key)
      takePending(mem, key)
      dns = dns.set(key, viewOf(state))
      ctx.record({
        actor: 'CoreDNS',
        action: 'sync',
        object: `Pod ${key}`,
        message: `Started its watch: listed ${state.services.size} Services and ${state.endpointSlices.size} EndpointSlices from the API server; now answering from them`,
      })
    }
    // Services (or their slices) that changed: every running pod's watch delivers them, a moment later.
    const changed = keys.filter((k) => !k.startsWith('pod:') && !k.startsWith(SYNC))
    if (changed.length > 0) {
      for (const key of mem.serving) {
        for (const k of changed) mem.pending.add(`${key}|${k}`)
        // The earliest timer stands: a pod already due to catch up takes these changes in with the others.
        ctx.after(TIMING.watchLatency + (fnv32a(key) % 50), `${SYNC}${key}`)
      }
    }
    for (const k of keys) {
      if (!k.startsWith(SYNC)) continue
      const key = k.slice(SYNC.length)
      const list = takePending(mem, key)
      if (list.length === 0) continue
      dns = dns.set(key, viewOf(state))
      ctx.record({
        actor: 'CoreDNS',
        action: 'sync',
        object: `Pod ${key}`,
        message: `Watch caught up: now answering for ${list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`}`,
      })
    }
    return dns === state.dns ? state : { ...state, dns }
  },
}

/** The Services changed since a pod's watch last caught up, taken off the pending list. */
function takePending(mem: CoreDnsMemory, pod: string): string[] {
  const out: string[] = []
  for (const entry of mem.pending) {
    if (!entry.startsWith(`${pod}|`)) continue
    mem.pending.delete(entry)
    out.push(entry.slice(pod.length + 1))
  }
  return out
}

const podKey = (pod: Pod) => `${pod.metadata.namespace}/${pod.metadata.name}`

const viewOf = (state: ClusterState): WatchView => ({ services: state.services, endpointSlices: state.endpointSlices, syncedAt: state.now })

/** The CoreDNS pods whose process is up, by name. */
function runningPods(state: ClusterState, keys: ReadonlySet<string> | undefined): Pod[] {
  const out: Pod[] = []
  for (const key of keys ?? []) {
    const pod = state.pods.get(key)
    if (pod && isPodRunning(pod)) out.push(pod)
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
}
