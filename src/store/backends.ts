import type { EndpointSlice, Node, Pod, Service, Simulation } from '../sim'

/**
 * What shapes the spread of a batch besides the dice: kube-proxy sends from outside under externalTrafficPolicy Local
 * only to the entry node's pods, from a pod under internalTrafficPolicy Local only to its own node's pods, and with
 * sessionAffinity ClientIP every connection of one client to the pod it first got.
 */
export type SpreadPolicy = 'externalLocal' | 'internalLocal' | 'clientIP'

/** The Service a request's target names, and the pods ready behind it now: what a fair dice would spread over. */
export interface Backends {
  readonly service: string
  /** The ready pods the client can reach ("namespace/name"): under internalTrafficPolicy Local, those on its node. */
  readonly pods: readonly string[]
  readonly policy?: SpreadPolicy
}

/**
 * Which Service `target` ("host:port") reaches from `from` (a pod "namespace/name", or "external"): by DNS name (as
 * the search list expands it), ClusterIP, load-balancer address, or a node address with a NodePort. Reads the cluster
 * only: no lookup is sent, no random number drawn. Undefined for anything else (a pod IP, a name outside the cluster).
 */
export function backendsOf(sim: Simulation, from: string, target: string): Backends | undefined {
  const external = from === 'external'
  const namespace = external ? '' : from.includes('/') ? from.split('/')[0]! : 'default'
  const colon = target.lastIndexOf(':')
  const host = target.slice(0, colon).replace(/\.$/, '')
  const port = Number(target.slice(colon + 1))
  const services = sim.list('Service') as Service[]
  const nodeIPs = new Set((sim.list('Node') as Node[]).map((n) => n.status.addresses.find((a) => a.type === 'InternalIP')?.address))
  /** How `target` reaches a Service: by a name or ClusterIP from inside, by a node or load-balancer address from outside. */
  const reach = (s: Service): 'inside' | 'outside' | undefined => {
    const { name, namespace: ns } = s.metadata
    const names = [`${name}.${ns}`, `${name}.${ns}.svc`, `${name}.${ns}.svc.cluster.local`, ...(ns === namespace ? [name] : [])]
    const ports = s.spec.ports ?? []
    if (names.includes(host) || host === s.spec.clusterIP) return ports.some((p) => p.port === port) ? 'inside' : undefined
    if (s.status.loadBalancer.ingress?.some((i) => i.ip === host)) return ports.some((p) => p.port === port) ? 'outside' : undefined
    return nodeIPs.has(host) && ports.some((p) => p.nodePort === port) ? 'outside' : undefined
  }
  const svc = services.find((s) => reach(s) !== undefined)
  if (!svc) return undefined
  const slices = (sim.list('EndpointSlice', svc.metadata.namespace) as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
  const ready = slices.flatMap((s) => (s.endpoints ?? []).filter((e) => (e.conditions.ready ?? true) && e.targetRef))
  const how = reach(svc)
  // Pod traffic to an external address short-circuits to the cluster-wide chain: only outside clients meet the
  // external policy. Traffic to the ClusterIP from a pod meets the internal one.
  const clientNode = external ? undefined : (sim.get('Pod', namespace, from.split('/').pop()!) as Pod | undefined)?.spec.nodeName
  const policy: SpreadPolicy | undefined =
    how === 'outside' && external && svc.spec.externalTrafficPolicy === 'Local' ? 'externalLocal'
    : how === 'inside' && svc.spec.internalTrafficPolicy === 'Local' ? 'internalLocal'
    : svc.spec.sessionAffinity === 'ClientIP' ? 'clientIP'
    : undefined
  const reachable = policy === 'internalLocal' ? ready.filter((e) => e.nodeName === clientNode) : ready
  const pods = [...new Set(reachable.map((e) => `${e.targetRef!.namespace}/${e.targetRef!.name}`))].sort()
  return { service: `${svc.metadata.namespace}/${svc.metadata.name}`, pods, ...(policy ? { policy } : {}) }
}
