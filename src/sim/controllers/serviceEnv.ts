import type { ContainerEnv } from '../model/containerEnv'
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


const linkCache = new WeakMap<object, Map<string, Readonly<Record<string, string>>>>()

/**
 * The service-link variables for pods of one namespace: default/kubernetes always, and (with enableServiceLinks) every
 * Service with a ClusterIP in the namespace. Go builds them from a map, so their order on a real node varies; we list
 * Services by name for a stable display. Cached per Services table, which is immutable.
 */
function serviceLinks(state: ClusterState, namespace: string, enableServiceLinks: boolean, namespaceServiceKeys: Iterable<string>): Readonly<Record<string, string>> {
  let perNamespace = linkCache.get(state.services)
  if (!perNamespace) linkCache.set(state.services, (perNamespace = new Map()))
  const cacheKey = `${namespace}|${enableServiceLinks}`
  const hit = perNamespace.get(cacheKey)
  if (hit) return hit
  const services: Service[] = []
  const master = state.services.get('default/kubernetes')
  if (master && hasClusterIP(master)) services.push(master)
  if (enableServiceLinks) {
    for (const key of namespaceServiceKeys) {
      const svc = state.services.get(key)
      if (svc && svc !== master && hasClusterIP(svc)) services.push(svc)
    }
  }
  services.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
  const vars: Record<string, string> = {}
  for (const svc of services) for (const [k, v] of envForService(svc)) vars[k] = v
  perNamespace.set(cacheKey, vars)
  return vars
}

/**
 * The container environment the kubelet builds at start (makeEnvironmentVariables): the pod's declared env, which may
 * reference service variables with $(VAR), then the service links it did not declare itself.
 */
export function containerEnv(state: ClusterState, pod: Pod, namespaceServiceKeys: Iterable<string>, containerIndex = 0): ContainerEnv {
  const services = serviceLinks(state, pod.metadata.namespace, pod.spec.enableServiceLinks !== false, namespaceServiceKeys)
  const declared: Record<string, string> = { HOSTNAME: pod.spec.hostname ?? pod.metadata.name }
  for (const e of pod.spec.containers[containerIndex]?.env ?? []) {
    declared[e.name] = e.value === undefined && e.valueFrom ? fieldRefValue(pod, e.valueFrom) : expand(e.value ?? '', (name) => declared[name] ?? services[name])
  }
  return { declared, services }
}

/** The downward API's fieldRef for the fields a pod knows at container start; other sources (secrets, config maps) give "". */
function fieldRefValue(pod: Pod, valueFrom: unknown): string {
  const path = (valueFrom as { fieldRef?: { fieldPath?: string } } | null)?.fieldRef?.fieldPath
  const fields: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
    'status.hostIP': pod.status.hostIP,
    'status.podIP': pod.status.podIP,
  }
  return (path && fields[path]) ?? ''
}

/** The environment as `env` inside the container prints it. */
export function flattenEnv(env: ContainerEnv): Record<string, string> {
  const out: Record<string, string> = { ...env.declared }
  for (const [k, v] of Object.entries(env.services)) if (!(k in out)) out[k] = v
  return out
}

/** $(VAR) expansion (third_party/forked/golang/expansion): $$ escapes, unknown references stay as written. */
function expand(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => (m === '$$' ? '$' : (lookup(name!) ?? m)))
}

/** At most this many nameservers reach resolv.conf (glibc reads no more); the kubelet drops the rest. */
const MAX_NAMESERVERS = 3

const unique = (xs: readonly string[]) => [...new Set(xs)]

/**
 * /etc/resolv.conf as the kubelet writes it (pkg/kubelet/network/dns, GetPodDNS): for ClusterFirst the cluster's DNS
 * Service, the namespace's search list and ndots:5; for Default (and hostNetwork pods under ClusterFirst) the node's
 * own file; for None nothing but the pod's dnsConfig. A dnsConfig is then appended: nameservers and searches after the
 * policy's (duplicates dropped), options merged by name (the pod's value wins).
 */
export function resolvConf(pod: Pod, dnsServiceIP: string, clusterDomain: string, nodeResolvConf: string): string {
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst'
  const cluster = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && !pod.spec.hostNetwork)
  const config = pod.spec.dnsConfig
  if (!cluster && policy !== 'None' && !config) return nodeResolvConf
  let nameservers: string[] = []
  let searches: string[] = []
  let options: [string, string | undefined][] = []
  if (cluster) {
    const ns = pod.metadata.namespace
    nameservers = [dnsServiceIP]
    searches = [`${ns}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain]
    options = [['ndots', '5']]
  } else if (policy !== 'None') {
    for (const line of nodeResolvConf.split('\n')) {
      const [key, ...rest] = line.trim().split(/\s+/)
      if (key === 'nameserver') nameservers.push(...rest.slice(0, 1))
      if (key === 'search') searches = rest
      if (key === 'options') options = rest.map((o) => [o.split(':')[0]!, o.includes(':') ? o.slice(o.indexOf(':') + 1) : undefined])
    }
  }
  nameservers = unique([...nameservers, ...(config?.nameservers ?? [])]).slice(0, MAX_NAMESERVERS)
  searches = unique([...searches, ...(config?.searches ?? [])])
  for (const o of config?.options ?? []) {
    const i = options.findIndex(([name]) => name === o.name)
    if (i >= 0) options[i] = [o.name, o.value]
    else options.push([o.name, o.value])
  }
  return [
    ...(searches.length ? [`search ${searches.join(' ')}`] : []),
    ...nameservers.map((n) => `nameserver ${n}`),
    ...(options.length ? [`options ${options.map(([n, v]) => (v === undefined ? n : `${n}:${v}`)).join(' ')}`] : []),
  ].join('\n') + '\n'
}
