import type { ClusterReads, Service } from '../../sim'
import { nodeAddresses, serviceAddresses, type ServiceAddress } from '../../store/serviceAddresses'

/** One way to address a Service, as a user would type it, with what it is. */
export interface TargetSuggestion {
  readonly value: string
  readonly label: string
}

/** How each kind of address is described; `name.namespace.svc` works but is left out of the suggestions. */
const DESCRIBED: Partial<Record<ServiceAddress['how'], string>> = {
  'short name': 'by its short name (search list)',
  'name.namespace': 'by name.namespace',
  'full name': 'by its full name',
  ClusterIP: 'by ClusterIP',
  NodePort: 'NodePort',
  'load balancer': 'load balancer',
}

/**
 * The addresses a client can send to, as "host:port": from a pod, each Service by short name (its own namespace),
 * by name.namespace, by FQDN and by ClusterIP, and every NodePort and load-balancer address; from the Internet, only
 * the latter. One entry per address: two ports of one number (dns 53/UDP and dns-tcp 53/TCP) are one thing to type.
 */
export function targetSuggestions(sim: ClusterReads, from: string): TargetSuggestion[] {
  const external = from === 'external'
  const namespace = external ? undefined : from.includes('/') ? from.split('/')[0]! : 'default'
  const nodes = nodeAddresses(sim)
  const byValue = new Map<string, string[]>()
  for (const svc of sim.list('Service') as Service[]) {
    for (const a of serviceAddresses(svc, namespace, nodes)) {
      const described = DESCRIBED[a.how]
      if (!described || (external && a.reach === 'inside')) continue
      const label = svc.spec.type === 'ExternalName' ? `ExternalName ${svc.metadata.namespace}/${svc.metadata.name} (CNAME ${svc.spec.externalName})` : `${a.port} ${described}${a.node ? ` on ${a.node}` : ''}`
      byValue.set(a.target, [...(byValue.get(a.target) ?? []), label])
    }
  }
  return [...byValue].map(([value, labels]) => ({ value, label: [...new Set(labels)].join('; ') }))
}

/**
 * What to send to from the Internet instead of `target`, a name or ClusterIP only the cluster knows (as typed from
 * pod `from`): the same Service and port at its load-balancer address, else its NodePort on the first worker. When
 * that Service is not exposed outside, the first address anything is exposed at; undefined when nothing is.
 */
export function externalTargetFor(sim: ClusterReads, from: string, target: string): string | undefined {
  const namespace = from.includes('/') ? from.split('/')[0]! : 'default'
  const nodes = nodeAddresses(sim)
  const worker = [...nodes].sort((a, b) => Number(a.name === 'control-plane') - Number(b.name === 'control-plane'))
  const colon = target.lastIndexOf(':')
  const wanted = `${target.slice(0, colon).replace(/\.$/, '')}${target.slice(colon)}`
  // The way in a user from outside would take: a load balancer, else a NodePort on a worker (nodes listed workers first).
  const best = (outside: ServiceAddress[]) => (outside.find((a) => a.how === 'load balancer') ?? outside[0])?.target
  const exposed: ServiceAddress[] = []
  for (const svc of sim.list('Service') as Service[]) {
    const addresses = serviceAddresses(svc, namespace, worker)
    const named = addresses.find((a) => a.target === wanted && a.reach === 'inside')
    exposed.push(...addresses.filter((a) => a.reach === 'outside' && (a.how === 'load balancer' || a.how === 'NodePort')))
    if (!named) continue
    const same = best(addresses.filter((a) => a.reach === 'outside' && a.port === named.port))
    if (same) return same
  }
  return best(exposed)
}
