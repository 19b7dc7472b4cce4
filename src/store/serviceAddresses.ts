import type { ClusterReads, Node, Service } from '../sim'

/** One way to reach a Service: what a client types ("host:port"), from where it works, and what it is. */
export interface ServiceAddress {
  readonly target: string
  /** Names and ClusterIPs work from inside (a pod); node and load-balancer addresses from anywhere. */
  readonly reach: 'inside' | 'outside'
  readonly how: 'short name' | 'name.namespace' | 'name.namespace.svc' | 'full name' | 'ClusterIP' | 'NodePort' | 'load balancer'
  /** "default/web:http": the Service and the port it reaches. */
  readonly port: string
  /** The node whose address it is, for a NodePort. */
  readonly node?: string
}

/** Each Node's name and InternalIP: where NodePorts are reached. */
export function nodeAddresses(sim: ClusterReads): { readonly name: string; readonly ip: string }[] {
  return (sim.list('Node') as Node[]).map((n) => ({ name: n.metadata.name, ip: n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '' }))
}

/**
 * Every address of a Service a client in `namespace` could send to: its names as the search list expands them (the
 * short name only from its own namespace) and its ClusterIP, for each port; each NodePort on every node; each
 * load-balancer address. A headless Service has no ClusterIP; an ExternalName only its names.
 */
export function serviceAddresses(svc: Service, namespace: string | undefined, nodes: readonly { name: string; ip: string }[]): ServiceAddress[] {
  const { name, namespace: ns } = svc.metadata
  const out: ServiceAddress[] = []
  const ports = svc.spec.ports?.length ? svc.spec.ports : svc.spec.type === 'ExternalName' ? [{ port: 80 }] : []
  for (const p of ports) {
    const port = `${ns}/${name}${'name' in p && p.name ? `:${p.name}` : ''}`
    const inside = (host: string, how: ServiceAddress['how']) => out.push({ target: `${host}:${p.port}`, reach: 'inside', how, port })
    if (ns === namespace) inside(name, 'short name')
    inside(`${name}.${ns}`, 'name.namespace')
    inside(`${name}.${ns}.svc`, 'name.namespace.svc')
    inside(`${name}.${ns}.svc.cluster.local`, 'full name')
    if (svc.spec.type === 'ExternalName') continue
    if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') inside(svc.spec.clusterIP, 'ClusterIP')
    if ('nodePort' in p && p.nodePort) for (const n of nodes) out.push({ target: `${n.ip}:${p.nodePort}`, reach: 'outside', how: 'NodePort', port, node: n.name })
    for (const ingress of svc.status.loadBalancer.ingress ?? []) if (ingress.ip) out.push({ target: `${ingress.ip}:${p.port}`, reach: 'outside', how: 'load balancer', port })
  }
  return out
}
