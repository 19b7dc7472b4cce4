import type { EndpointAddress, Endpoints } from '../model/endpointSlice'
import { isPodReady } from '../model/pod'
import { hasSelector, isHeadless } from '../model/service'
import type { Controller } from '../runtime/runtime'
import { cachedEndpointPorts, shouldPodBeInEndpoints } from './endpointPorts'

/**
 * The legacy Endpoints controller (pkg/controller/endpoint): one Endpoints object named after the Service, ready pods
 * in `addresses`, the others in `notReadyAddresses`, terminating pods left out. Nothing in the dataplane reads it
 * (kube-proxy uses EndpointSlices); it is kept because `kubectl get endpoints` is what many tutorials show.
 */
export const endpointsController: Controller = {
  name: 'endpoints-controller',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      const svc = state.services.get(key)
      if (!svc) {
        state = ctx.api.remove(state, 'Endpoints', key)
        continue
      }
      if (!hasSelector(svc)) continue
      const publish = svc.spec.publishNotReadyAddresses === true
      const subsets = new Map<string, { ports: NonNullable<Endpoints['subsets']>[number]['ports']; ready: EndpointAddress[]; notReady: EndpointAddress[] }>()
      for (const podKey of ctx.index.podsMatching(svc.metadata.namespace, svc.spec.selector!)) {
        const pod = ctx.index.pods.get(podKey)
        if (!pod || !shouldPodBeInEndpoints(pod, publish)) continue
        const { ports: resolved, key: portKey } = cachedEndpointPorts(svc, pod)
        let subset = subsets.get(portKey)
        if (!subset) {
          const ports = resolved.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port!, protocol: p.protocol!, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }))
          subsets.set(portKey, (subset = { ports, ready: [], notReady: [] }))
        }
        const address: EndpointAddress = {
          ip: pod.status.podIP!,
          ...(pod.spec.hostname && pod.spec.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
          ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
          targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid! },
        }
        ;(publish || isPodReady(pod) ? subset.ready : subset.notReady).push(address)
      }
      // RepackSubsets sorts addresses as byte strings ("10.244.0.10" before "10.244.0.2"), then by pod uid.
      const byIp = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.targetRef!.uid < b.targetRef!.uid ? -1 : 1)
      const packed = [...subsets.values()]
        .filter((s) => s.ready.length + s.notReady.length > 0)
        .map((s) => ({
          ...(s.ready.length ? { addresses: s.ready.sort(byIp) } : {}),
          ...(s.notReady.length ? { notReadyAddresses: s.notReady.sort(byIp) } : {}),
          ...(s.ports && s.ports.length ? { ports: s.ports } : {}),
        }))
      const labels = { ...svc.metadata.labels, ...(isHeadless(svc) ? { 'service.kubernetes.io/headless': '' } : {}) }
      const body: Endpoints = {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: svc.metadata.name, namespace: svc.metadata.namespace, ...(Object.keys(labels).length ? { labels } : {}) },
        ...(packed.length ? { subsets: packed } : {}),
      }
      const old = state.endpoints.get(key)
      state = old ? ctx.api.update(state, { ...body, metadata: { ...old.metadata, ...body.metadata } }) : ctx.api.create(state, body).state
    }
    return state
  },
}
