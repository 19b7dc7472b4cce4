import { TIMING } from '../config'
import { isPodRunning, type Pod } from '../model/pod'
import type { Controller } from '../runtime/runtime'
import type { ClusterState } from '../state'

/** The label the kube-dns Service selects CoreDNS's pods by. */
const COREDNS_LABEL = 'k8s-app=kube-dns'

interface CoreDnsMemory {
  /** Services changed since the running pods last caught up. */
  readonly changed: Set<string>
  /** CoreDNS pods whose watch runs: they started, listed the Services and EndpointSlices, and answer from them. */
  serving: Set<string>
}

/**
 * CoreDNS is its pods: each runs the kubernetes plugin, whose informers list Services and EndpointSlices when the pod
 * starts and then see each change a moment after the write. Only running CoreDNS pods watch and answer; with none
 * running nothing syncs and nothing answers. The pods share one view of what they watched (a pod that starts lists
 * the API afresh, and the others catch up with it); the records are derived from that view on demand (dns/records.ts).
 */
export const coreDnsController: Controller = {
  name: 'coredns',
  reconcile(state, ctx) {
    const keys = ctx.take()
    if (keys.length === 0) return state
    const mem = ctx.memory<CoreDnsMemory>(() => ({ changed: new Set(), serving: new Set() }))
    for (const k of keys) if (k !== 'sync' && !k.startsWith('pod:')) mem.changed.add(k)
    const running = runningPods(state, ctx.index.podsByLabel.get('kube-system')?.get(COREDNS_LABEL))
    const started = running.filter((p) => !mem.serving.has(p.metadata.name))
    const stopped = [...mem.serving].filter((name) => !running.some((p) => p.metadata.name === name))
    mem.serving = new Set(running.map((p) => p.metadata.name))
    let dns = state.dns
    if (started.length > 0) {
      // A starting pod's informers list everything: that covers every change made until now.
      dns = { services: state.services, endpointSlices: state.endpointSlices, syncedAt: state.now }
      mem.changed.clear()
      for (const pod of started) {
        ctx.record({
          actor: 'CoreDNS',
          action: 'sync',
          object: `Pod kube-system/${pod.metadata.name}`,
          message: `Started its watch: listed ${state.services.size} Services and ${state.endpointSlices.size} EndpointSlices from the API server; now answering from them`,
        })
      }
    } else if (stopped.length > 0 && running.length === 0) {
      ctx.record({ actor: 'CoreDNS', action: 'stop', object: `Pod kube-system/${stopped.at(-1)}`, message: 'No CoreDNS pod is running: nothing answers DNS queries until one starts again' })
    }
    if (running.length === 0) {
      // Nobody watches: what changes now is read by the next pod's list when it starts.
      mem.changed.clear()
      return dns === state.dns ? state : { ...state, dns }
    }
    if (mem.changed.size > 0 && !keys.includes('sync')) ctx.after(TIMING.watchLatency, 'sync')
    if (keys.includes('sync') && mem.changed.size > 0) {
      const list = [...mem.changed]
      mem.changed.clear()
      ctx.record({
        actor: 'CoreDNS',
        action: 'sync',
        object: list.length === 1 ? `Service ${list[0]}` : 'Services',
        message: `Watch caught up in ${running.length === 1 ? `${running[0]!.metadata.name}` : `its ${running.length} running pods`}: now answering for ${list.length <= 3 ? list.join(', ') : `${list.slice(0, 3).join(', ')} and ${list.length - 3} more`}`,
      })
      dns = { services: state.services, endpointSlices: state.endpointSlices, syncedAt: state.now }
    }
    return dns === state.dns ? state : { ...state, dns }
  },
}

/** The CoreDNS pods whose process is up, by name. */
function runningPods(state: ClusterState, keys: ReadonlySet<string> | undefined): Pod[] {
  const out: Pod[] = []
  for (const key of keys ?? []) {
    const pod = state.pods.get(key)
    if (pod && isPodRunning(pod)) out.push(pod)
  }
  return out.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
}
