import type { ClusterReads, EndpointSlice, Pod, Service } from '../sim'
import { nodeAddresses, serviceAddresses } from './serviceAddresses'

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
export function backendsOf(sim: ClusterReads, from: string, target: string): Backends | undefined {
  const external = from === 'external'
  const namespace = external ? undefined : from.includes('/') ? from.split('/')[0]! : 'default'
  const colon = target.lastIndexOf(':')
  const wanted = `${target.slice(0, colon).replace(/\.$/, '')}${target.slice(colon)}`
  const nodes = nodeAddresses(sim)
  const found = (sim.list('Service') as Service[]).flatMap((svc) => serviceAddresses(svc, namespace, nodes).filter((a) => a.target === wanted).map((address) => ({ svc, address })))[0]
  if (!found) return undefined
  const { svc, address } = found
  const slices = (sim.list('EndpointSlice', svc.metadata.namespace) as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
  const ready = slices.flatMap((s) => (s.endpoints ?? []).filter((e) => (e.conditions.ready ?? true) && e.targetRef))
  // Pod traffic to an external address short-circuits to the cluster-wide chain: only outside clients meet the
  // external policy. Traffic to the ClusterIP from a pod meets the internal one.
  const clientNode = external ? undefined : (sim.get('Pod', namespace, from.split('/').pop()!) as Pod | undefined)?.spec.nodeName
  const policy: SpreadPolicy | undefined =
    address.reach === 'outside' && external && svc.spec.externalTrafficPolicy === 'Local' ? 'externalLocal'
    : address.reach === 'inside' && svc.spec.internalTrafficPolicy === 'Local' ? 'internalLocal'
    : svc.spec.sessionAffinity === 'ClientIP' ? 'clientIP'
    : undefined
  const reachable = policy === 'internalLocal' ? ready.filter((e) => e.nodeName === clientNode) : ready
  const pods = [...new Set(reachable.map((e) => `${e.targetRef!.namespace}/${e.targetRef!.name}`))].sort()
  return { service: `${svc.metadata.namespace}/${svc.metadata.name}`, pods, ...(policy ? { policy } : {}) }
}
