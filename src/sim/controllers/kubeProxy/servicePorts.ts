import { hasClusterIP, type Service, type ServicePort } from '../../model/service'
import type { WatchView } from '../../state'

/*
 * What every proxy mode reads of a Service the same way (pkg/proxy's ServicePort and its helpers): its ports by name,
 * whether it reaches outside the cluster, its load-balancer addresses, whether its rules differ per node.
 */

/** ServicePortName.String(): "ns/name:port", or "ns/name" when the port has no name. */
export function servicePortName(namespace: string, name: string, portName: string | undefined): string {
  return `${namespace}/${name}${portName ? `:${portName}` : ''}`
}

/** Service ports with a ClusterIP, in the order the rules list them (by "ns/name:port", as kube-proxy's tests sort). */
export function proxiedServicePorts(view: WatchView): { svc: Service; port: NonNullable<Service['spec']['ports']>[number]; spn: string }[] {
  const out: { svc: Service; port: NonNullable<Service['spec']['ports']>[number]; spn: string }[] = []
  for (const svc of view.services.values()) {
    if (!hasClusterIP(svc)) continue
    for (const port of svc.spec.ports ?? []) out.push({ svc, port, spn: servicePortName(svc.metadata.namespace, svc.metadata.name, port.name) })
  }
  return out.sort((a, b) => (a.spn < b.spn ? -1 : a.spn > b.spn ? 1 : a.port.protocol < b.port.protocol ? -1 : 1))
}

/**
 * Whether a service port's rules differ from node to node: a Local traffic policy, or source ranges (a node inside one
 * lets its own looped-back requests in).
 */
export function nodeDependent(svc: Service, port: NonNullable<Service['spec']['ports']>[number]): boolean {
  return svc.spec.internalTrafficPolicy === 'Local' || (externallyAccessible(svc, port) && svc.spec.externalTrafficPolicy === 'Local') || usesFirewall(svc)
}

/** The node kube-proxy runs on: its name (for Local endpoints) and its address (for source ranges). */
export interface ProxyNode {
  readonly name: string
  readonly ip: string
  /** The node's pod CIDR: in IPVS mode NodePorts listen on its flannel.1 and cni0 addresses too. */
  readonly podCIDR?: string
}

/** The service is reachable from outside: a NodePort, a load-balancer address or an external IP. */
export function externallyAccessible(svc: Service, port: ServicePort): boolean {
  return (port.nodePort ?? 0) !== 0 || loadBalancerIPs(svc).length > 0 || (svc.spec.externalIPs ?? []).length > 0
}

/** Whether the Service's load-balancer traffic goes through a KUBE-FW chain (loadBalancerSourceRanges are set). */
export function usesFirewall(svc: Service): boolean {
  return loadBalancerIPs(svc).length > 0 && (svc.spec.loadBalancerSourceRanges ?? []).length > 0
}

/** The load-balancer addresses kube-proxy captures: VIP-mode ingress IPs (an ipMode: Proxy balancer handles its own). */
export function loadBalancerIPs(svc: Service): string[] {
  if (svc.spec.type !== 'LoadBalancer') return []
  return (svc.status.loadBalancer.ingress ?? []).filter((i) => i.ip && (i.ipMode ?? 'VIP') === 'VIP').map((i) => i.ip)
}
