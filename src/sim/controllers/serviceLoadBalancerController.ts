import { ipToNumber, numberToIp } from '../runtime/ip'
import type { Controller } from '../runtime/runtime'

/**
 * Which kind of load balancer the simulated cloud gives a Service: `VIP` (the default: it passes packets on with its
 * address as their destination, as GCE and MetalLB do) or `Proxy` (it opens its own connection to a node's NodePort,
 * as a proxying cloud load balancer does). Reported as `status.loadBalancer.ingress[].ipMode`, which kube-proxy reads.
 */
export const LB_IP_MODE_ANNOTATION = 'service-discovery-simulator.dev/load-balancer-ip-mode'

const ipModeOf = (annotations: Readonly<Record<string, string>> | undefined): 'VIP' | 'Proxy' => (annotations?.[LB_IP_MODE_ANNOTATION] === 'Proxy' ? 'Proxy' : 'VIP')

/** How long the (simulated) cloud takes to provision a load balancer: long enough to see EXTERNAL-IP <pending>. */
const PROVISION_MS = 2000

/**
 * The cloud controller manager's service controller, backed by an address pool (as MetalLB would be): a type
 * LoadBalancer Service gets status.loadBalancer.ingress after a short provisioning delay, and gives it back when it
 * stops being one.
 */
export const serviceLoadBalancerController: Controller = {
  name: 'service-lb-controller',
  reconcile(state, ctx) {
    const keys = ctx.take()
    const firstSeen = ctx.memory(() => new Map<string, number>())
    for (const key of keys) {
      const svc = state.services.get(key)
      const held = state.loadBalancerIPs.filter((owner) => owner === key)
      const ingress = svc?.status.loadBalancer.ingress ?? []
      if (!svc || svc.spec.type !== 'LoadBalancer') {
        firstSeen.delete(key)
        if (held.size > 0) state = { ...state, loadBalancerIPs: state.loadBalancerIPs.filter((owner) => owner !== key) }
        if (svc && ingress.length > 0) state = ctx.api.update(state, { ...svc, status: { loadBalancer: {} } })
        if (held.size > 0) ctx.record({ actor: 'service-controller', action: 'release', object: `Service ${key}`, reason: 'DeletedLoadBalancer', message: `Deleted load balancer ${[...held.keys()].join(', ')}` })
        continue
      }
      if (ingress.length > 0) {
        // The balancer's kind follows the annotation (a cloud would rebuild it; the address stays).
        const mode = ipModeOf(svc.metadata.annotations)
        if (ingress.some((i) => (i.ipMode ?? 'VIP') !== mode)) state = ctx.api.update(state, { ...svc, status: { loadBalancer: { ingress: ingress.map((i) => ({ ...i, ipMode: mode })) } } })
        continue
      }
      const seen = firstSeen.get(key)
      if (seen === undefined) {
        firstSeen.set(key, state.now)
        ctx.record({ actor: 'service-controller', action: 'provision', object: `Service ${key}`, reason: 'EnsuringLoadBalancer', message: 'Ensuring load balancer' })
        ctx.after(PROVISION_MS, key)
        continue
      }
      if (state.now < seen + PROVISION_MS) continue
      const [first, last] = ctx.config.loadBalancerPool
      const requested = svc.spec.loadBalancerIP
      let ip: string | undefined
      if (requested && !state.loadBalancerIPs.has(requested)) ip = requested
      for (let n = ipToNumber(first); !ip && n <= ipToNumber(last); n++) if (!state.loadBalancerIPs.has(numberToIp(n))) ip = numberToIp(n)
      if (!ip) {
        ctx.record({ actor: 'service-controller', action: 'fail', object: `Service ${key}`, reason: 'SyncLoadBalancerFailed', message: `Error syncing load balancer: no available IP in pool ${first}-${last}` })
        continue
      }
      firstSeen.delete(key)
      state = { ...state, loadBalancerIPs: state.loadBalancerIPs.set(ip, key) }
      state = ctx.api.update(state, { ...svc, status: { loadBalancer: { ingress: [{ ip, ipMode: ipModeOf(svc.metadata.annotations) }] } } })
      ctx.record({ actor: 'service-controller', action: 'provision', object: `Service ${key}`, reason: 'EnsuredLoadBalancer', message: `Ensured load balancer: ${ip}` })
    }
    return state
  },
}
