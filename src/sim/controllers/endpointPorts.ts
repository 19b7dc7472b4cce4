import type { EndpointPort } from '../model/endpointSlice'
import type { Pod } from '../model/pod'
import type { Service, ServicePort } from '../model/service'

/** findPort: a numeric targetPort as is; a named one looked up by name and protocol in the pod's container ports. */
export function resolveTargetPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort
  if (typeof target === 'number') return target
  if (/^\d+$/.test(target)) return Number(target)
  for (const c of [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]) {
    for (const cp of c.ports ?? []) if (cp.name === target && (cp.protocol ?? 'TCP') === port.protocol) return cp.containerPort
  }
  return undefined
}

const portCache = new WeakMap<object, { svc: Service; ports: EndpointPort[]; key: string }>()

/**
 * getEndpointPorts, remembered per (pod spec, Service object): the ports depend on nothing else, and a pod's spec object
 * survives its status updates. `key` identifies the port mapping (pods with the same key share slices).
 */
export function cachedEndpointPorts(svc: Service, pod: Pod): { ports: EndpointPort[]; key: string } {
  const hit = portCache.get(pod.spec)
  if (hit && hit.svc === svc) return hit
  const ports = endpointPortsFor(svc, pod)
  const entry = { svc, ports, key: JSON.stringify(ports) }
  portCache.set(pod.spec, entry)
  return entry
}

/** getEndpointPorts: the Service's ports as this pod resolves them; ports that do not resolve are left out. */
export function endpointPortsFor(svc: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = []
  for (const p of svc.spec.ports ?? []) {
    const port = resolveTargetPort(pod, p)
    if (port === undefined) continue
    out.push({ name: p.name ?? '', port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) })
  }
  return out
}

/** ShouldPodBeInEndpoints: not finished, and has an IP. Terminating pods stay in when `includeTerminating`. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') return false
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false
  return !!pod.status.podIP
}
