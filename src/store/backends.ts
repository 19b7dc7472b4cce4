import type { EndpointSlice, Node, Service, Simulation } from '../sim'

/** The Service a request's target names, and the pods ready behind it now: what a fair dice would spread over. */
export interface Backends {
  readonly service: string
  readonly pods: readonly string[]
  /**
   * Reached from outside (NodePort or load balancer) under externalTrafficPolicy: Local: each node sends only to its
   * own pods, so the spread follows the nodes, not the pods.
   */
  readonly local?: boolean
}

/**
 * Which Service `target` ("host:port") reaches from a client in `namespace`: by DNS name (as the search list expands
 * it), ClusterIP, load-balancer address, or a node address with a NodePort. Reads the cluster only: no lookup is sent,
 * no random number drawn. Undefined for anything else (a pod IP, a name outside the cluster).
 */
export function backendsOf(sim: Simulation, namespace: string, target: string): Backends | undefined {
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
  const pods = slices.flatMap((s) => (s.endpoints ?? []).filter((e) => (e.conditions.ready ?? true) && e.targetRef).map((e) => `${e.targetRef!.namespace}/${e.targetRef!.name}`))
  const local = reach(svc) === 'outside' && svc.spec.externalTrafficPolicy === 'Local'
  return { service: `${svc.metadata.namespace}/${svc.metadata.name}`, pods: [...new Set(pods)].sort(), ...(local ? { local } : {}) }
}
