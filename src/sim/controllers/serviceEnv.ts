import type { Pod } from '../model/pod'
import { hasClusterIP, type Service } from '../model/service'
import type { ClusterState } from '../state'

/** makeEnvVariableName: upper case, '-' to '_'. */
export function envName(s: string): string {
  return s.toUpperCase().replace(/-/g, '_')
}

/** FromServices (pkg/kubelet/envvars): the docker-links-style variables of each Service, in the kubelet's order. */
export function envForService(svc: Service): [string, string][] {
  const ports = svc.spec.ports ?? []
  if (ports.length === 0) return []
  const name = envName(svc.metadata.name)
  const ip = svc.spec.clusterIP!
  const out: [string, string][] = [
    [`${name}_SERVICE_HOST`, ip],
    [`${name}_SERVICE_PORT`, String(ports[0]!.port)],
  ]
  for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${envName(p.name)}`, String(p.port)])
  const first = ports[0]!
  out.push([`${name}_PORT`, `${first.protocol.toLowerCase()}://${ip}:${first.port}`])
  for (const p of ports) {
    const prefix = `${name}_PORT_${p.port}_${p.protocol.toUpperCase()}`
    out.push([prefix, `${p.protocol.toLowerCase()}://${ip}:${p.port}`])
    out.push([`${prefix}_PROTO`, p.protocol.toLowerCase()])
    out.push([`${prefix}_PORT`, String(p.port)])
    out.push([`${prefix}_ADDR`, ip])
  }
  return out
}

/**
 * The container environment the kubelet builds at start (makeEnvironmentVariables): the pod's declared env first, then
 * the service variables for Services with a ClusterIP in the pod's namespace (when enableServiceLinks) and always
 * default/kubernetes, skipping names the pod declared itself. Go builds the service part from a map, so its order on a
 * real node varies; we list Services by name for a stable display.
 */
export function containerEnv(state: ClusterState, pod: Pod, namespaceServiceKeys: Iterable<string>, containerIndex = 0): Record<string, string> {
  const env: Record<string, string> = {}
  const container = pod.spec.containers[containerIndex]
  for (const e of container?.env ?? []) env[e.name] = expand(e.value ?? '', env)
  const services: Service[] = []
  const master = state.services.get('default/kubernetes')
  if (master && hasClusterIP(master)) services.push(master)
  if (pod.spec.enableServiceLinks !== false) {
    for (const key of namespaceServiceKeys) {
      const svc = state.services.get(key)
      if (svc && svc !== master && hasClusterIP(svc)) services.push(svc)
    }
  }
  services.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
  const serviceVars: Record<string, string> = {}
  for (const svc of services) for (const [k, v] of envForService(svc)) serviceVars[k] = v
  // Declared values may reference service variables with $(VAR): expand them as the kubelet does.
  for (const e of container?.env ?? []) env[e.name] = expand(e.value ?? '', { ...serviceVars, ...env })
  for (const [k, v] of Object.entries(serviceVars)) if (!(k in env)) env[k] = v
  return { HOSTNAME: pod.spec.hostname ?? pod.metadata.name, ...env }
}

/** $(VAR) expansion (third_party/forked/golang/expansion): $$ escapes, unknown references stay as written. */
function expand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : (vars[name!] ?? m)))
}

/** /etc/resolv.conf as the kubelet writes it for dnsPolicy ClusterFirst (pkg/kubelet/network/dns). */
export function resolvConf(pod: Pod, dnsServiceIP: string, clusterDomain: string, nodeResolvConf: string): string {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst'
  const cluster = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec.hostNetwork)
  if (!cluster) return nodeResolvConf
  const ns = pod.metadata.namespace
  return `search ${ns}.svc.${clusterDomain} svc.${clusterDomain} ${clusterDomain}\nnameserver ${dnsServiceIP}\noptions ndots:5\n`
}
