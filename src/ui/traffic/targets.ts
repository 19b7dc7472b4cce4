import type { Node, Service, Simulation } from '../../sim'

/** One way to address a Service, as a user would type it, with what it is. */
export interface TargetSuggestion {
  readonly value: string
  readonly label: string
}

/**
 * The addresses a client can send to, as "host:port": from a pod, each Service by short name (its own namespace),
 * by name.namespace, by FQDN and by ClusterIP; from the Internet, each NodePort on every node's address and each
 * load-balancer address. Headless Services are reached by name only (their name resolves to the pods).
 */
export function targetSuggestions(sim: Simulation, from: string): TargetSuggestion[] {
  const external = from === 'external'
  const namespace = external ? '' : from.includes('/') ? from.split('/')[0]! : 'default'
  const nodes = (sim.list('Node') as Node[]).map((n) => ({ name: n.metadata.name, ip: n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '' }))
  const out: TargetSuggestion[] = []
  for (const svc of sim.list('Service') as Service[]) {
    const { name, namespace: ns } = svc.metadata
    if (svc.spec.type === 'ExternalName') {
      if (!external) for (const p of svc.spec.ports ?? [{ port: 80 }]) out.push({ value: `${name}.${ns}:${p.port}`, label: `ExternalName ${ns}/${name} (CNAME ${svc.spec.externalName})` })
      continue
    }
    for (const p of svc.spec.ports ?? []) {
      const what = `${ns}/${name}${p.name ? `:${p.name}` : ''}`
      if (!external) {
        if (ns === namespace) out.push({ value: `${name}:${p.port}`, label: `${what} by its short name (search list)` })
        out.push({ value: `${name}.${ns}:${p.port}`, label: `${what} by name.namespace` })
        out.push({ value: `${name}.${ns}.svc.cluster.local:${p.port}`, label: `${what} by its full name` })
        if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') out.push({ value: `${svc.spec.clusterIP}:${p.port}`, label: `${what} by ClusterIP` })
      }
      if (p.nodePort) for (const n of nodes) out.push({ value: `${n.ip}:${p.nodePort}`, label: `${what} NodePort on ${n.name}` })
      for (const ingress of svc.status.loadBalancer.ingress ?? []) if (ingress.ip) out.push({ value: `${ingress.ip}:${p.port}`, label: `${what} load balancer` })
    }
  }
  // One entry per address: two ports of one number (dns 53/UDP and dns-tcp 53/TCP) are one thing to type.
  const byValue = new Map<string, string[]>()
  for (const t of out) byValue.set(t.value, [...(byValue.get(t.value) ?? []), t.label])
  return [...byValue].map(([value, labels]) => ({ value, label: [...new Set(labels)].join('; ') }))
}
