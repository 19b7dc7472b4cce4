import type { EndpointSlice, Pod, Service } from '../../sim'
import type { EndpointCondition, PodData, ServiceData, SliceData } from './graphTypes'

/** The graph id of a pod's card. */
export const podId = (p: Pod) => `pod:${p.metadata.namespace}/${p.metadata.name}`
/** Creation order (then name): how pods, Services and Nodes are placed, so a new one never moves another. */
export const created = (a: { metadata: { creationTimestamp?: string; name: string } }, b: typeof a) =>
  (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : (a.metadata.creationTimestamp ?? '') > (b.metadata.creationTimestamp ?? '') ? 1 : a.metadata.name < b.metadata.name ? -1 : 1

/** STATUS as kubectl shows it, for the pod card (color is never the only signal). */
function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating'
  const waiting = p.status.containerStatuses?.find((c) => c.state['waiting'])?.state['waiting']?.['reason']
  if (waiting) return String(waiting)
  return p.status.phase
}

const podCache = new WeakMap<Pod, PodData>()
const goneCache = new WeakMap<Pod, PodData>()

/** The card data of a pod, the same object for the same Pod object (so React Flow skips unchanged pods). */
export function podData(p: Pod, gone: boolean): PodData {
  const cache = gone ? goneCache : podCache
  let d = cache.get(p)
  if (!d) {
    d = {
      kind: 'pod',
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      phase: p.status.phase,
      status: gone ? 'removed' : podStatus(p),
      ready: !gone && (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false),
      terminating: p.metadata.deletionTimestamp !== undefined,
      ...(gone ? { gone } : {}),
      ...(p.status.podIP ? { ip: p.status.podIP } : {}),
      ...(p.spec.nodeName ? { node: p.spec.nodeName } : {}),
    }
    cache.set(p, d)
  }
  return d
}

const faultCache = new WeakMap<PodData, Map<string, PodData>>()
/**
 * A pod card's data with the badges of its faults: one object per pod data and badges, so a fault begun or healed
 * elsewhere re-renders no other pod (and none without a fault gets a new object).
 */
export function withFaults(d: PodData, faults: readonly string[] | undefined): PodData {
  if (!faults?.length) return d
  const key = faults.join('\n')
  let byBadges = faultCache.get(d)
  if (!byBadges) faultCache.set(d, (byBadges = new Map()))
  let out = byBadges.get(key)
  if (!out) byBadges.set(key, (out = { ...d, faults }))
  return out
}

/** An endpoint's condition as one word: what its edge is drawn as. */
export function endpointCondition(c: { ready?: boolean; serving?: boolean; terminating?: boolean }): EndpointCondition {
  if (c.terminating) return 'terminating'
  if (c.ready ?? true) return 'ready'
  return c.serving ? 'serving' : 'not-ready'
}

/** A Service card's address lines: "IP · ports" when that fits on one line, else the IP over the ports. */
export function serviceAddressLines(d: ServiceData): string[] {
  const one = `${d.clusterIP} · ${d.ports.join(', ')}`
  return one.length <= 28 ? [one] : [d.clusterIP, d.ports.join(', ')]
}

/** Whether a DNS name needs a second line on a Service card. */
const longDnsName = (dns: string) => dns.length > 30

/** How many text lines a Service card needs: its addresses, the DNS name, how it is reached from outside. */
export function serviceLines(d: ServiceData): number {
  return serviceAddressLines(d).length + (longDnsName(d.dns) ? 2 : 1) + d.reach.length
}

/** The graph id of an EndpointSlice's card. */
export const sliceIdOf = (s: EndpointSlice) => `slice:${s.metadata.namespace}/${s.metadata.name}`

/** What an EndpointSlice's card shows. */
export function sliceData(slice: EndpointSlice): SliceData {
  const endpoints = slice.endpoints ?? []
  const ports = slice.ports?.length ? slice.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port ?? ''}/${p.protocol ?? 'TCP'}`).join(', ') : '<unset>'
  return { kind: 'endpointslice', name: slice.metadata.name, namespace: slice.metadata.namespace, ready: endpoints.filter((e) => e.conditions.ready ?? true).length, total: endpoints.length, ports }
}

/** What a Service's card shows. */
export function serviceData(svc: Service): ServiceData {
  const ports = (svc.spec.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`)
  const nodePorts = (svc.spec.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : []))
  const ingress = svc.status.loadBalancer.ingress?.[0]?.ip
  const reach = [
    ...(svc.spec.type === 'ExternalName' ? [`CNAME ${svc.spec.externalName}`] : []),
    ...(svc.spec.type === 'LoadBalancer' ? [`LB ${ingress ?? '<pending>'}`] : []),
    ...(nodePorts.length ? [`NodePort ${nodePorts.join(', ')} on every node`] : []),
  ]
  return {
    kind: 'service',
    name: svc.metadata.name,
    namespace: svc.metadata.namespace,
    type: svc.spec.clusterIP === 'None' ? 'Headless' : svc.spec.type,
    // As kubectl's CLUSTER-IP column: "None" for a headless Service, "<none>" for an ExternalName.
    clusterIP: svc.spec.type === 'ExternalName' ? '<none>' : (svc.spec.clusterIP ?? ''),
    ports,
    dns: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`,
    reach,
  }
}
