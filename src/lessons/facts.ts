import { isControlPlane, toTimestamp, toYaml, type EndpointSlice, type Pod, type Service, type Simulation } from '../sim'
import type { LessonContext } from './types'

/** Reads the lessons share: each a plain read of the simulation (nothing here changes the cluster). */

export const service = (sim: Simulation, name: string, ns = 'default') => sim.get('Service', ns, name) as Service | undefined

export const clusterIP = (sim: Simulation, name: string, ns = 'default') => service(sim, name, ns)?.spec.clusterIP

/** The external address a LoadBalancer Service got, once its load balancer is provisioned. */
export const lbIP = (sim: Simulation, name: string, ns = 'default') => service(sim, name, ns)?.status?.loadBalancer?.ingress?.[0]?.ip

/** The NodePort of a Service's first port. */
export const nodePort = (sim: Simulation, name: string, ns = 'default') => service(sim, name, ns)?.spec.ports?.[0]?.nodePort

/** `kubectl get <kind>` in a namespace, its header and only the rows of the objects named (as a label selector would). */
export function kubectlRows(sim: Simulation, kind: string, names: readonly string[], ns = 'default'): string {
  const wanted = new Set(names)
  return sim
    .kubectlGet(kind, { namespace: ns })
    .split('\n')
    .filter((l, i) => i === 0 || wanted.has(l.split(/\s+/)[0]!))
    .join('\n')
}

export const slicesOf = (sim: Simulation, name: string, ns = 'default') =>
  (sim.list('EndpointSlice', ns) as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name)

/** The addresses of ready endpoints in a Service's slices. */
export const readyEndpoints = (sim: Simulation, name: string, ns = 'default') =>
  slicesOf(sim, name, ns).flatMap((s) => (s.endpoints ?? []).filter((e) => e.conditions.ready !== false).flatMap((e) => e.addresses))

export const podsOf = (sim: Simulation, app: string, ns = 'default') =>
  (sim.list('Pod', ns) as Pod[]).filter((p) => p.metadata.labels?.['app'] === app && !p.metadata.deletionTimestamp)

export const workers = (sim: Simulation) => sim.list('Node').filter((n) => !isControlPlane(n as never)).map((n) => n.metadata.name)

export const nodes = (sim: Simulation) => sim.list('Node').map((n) => n.metadata.name)

const dnsPods = (sim: Simulation, name: string, ns: string, knows: boolean) =>
  [...sim.state.dns.entries()].filter(([, view]) => view.services.has(`${ns}/${name}`) === knows).map(([pod]) => pod.slice(pod.indexOf('/') + 1))

/** The CoreDNS pods (their names) whose own watch holds the Service: those answer for it. */
export const dnsPodsKnowing = (sim: Simulation, name: string, ns = 'default') => dnsPods(sim, name, ns, true)

/** The CoreDNS pods whose watch has not brought them the Service yet: a query they get is answered NXDOMAIN. */
export const dnsPodsBehind = (sim: Simulation, name: string, ns = 'default') => dnsPods(sim, name, ns, false)

/** Whether every running CoreDNS pod (and at least one) answers for the Service, whichever one a query reaches. */
export const dnsKnows = (sim: Simulation, name: string, ns = 'default') => sim.state.dns.size > 0 && dnsPodsBehind(sim, name, ns).length === 0

/** The nodes whose kube-proxy has synced the Service into its rules. */
export const proxiesKnowing = (sim: Simulation, name: string, ns = 'default') =>
  [...sim.state.proxies.entries()].filter(([, view]) => view.services.has(`${ns}/${name}`)).map(([node]) => node)

/** The actions since the step began of a type. */
export const did = <T extends LessonContext['actions'][number]['type']>(ctx: LessonContext, type: T) =>
  ctx.actions.filter((a): a is Extract<LessonContext['actions'][number], { type: T }> => a.type === type)

/** A Service manifest as a student would write it. */
export function serviceYaml(name: string, spec: Record<string, unknown>, ns?: string, annotations?: Record<string, string>): string {
  return toYaml({ apiVersion: 'v1', kind: 'Service', metadata: { name, ...(ns ? { namespace: ns } : {}), ...(annotations ? { annotations } : {}) }, spec })
}

/** `etcdctl get` of a Service: the key, the stored object (as JSON, what the API server keeps) and its revision. */
export function etcdEntry(sim: Simulation, name: string, ns = 'default'): string | undefined {
  const svc = service(sim, name, ns)
  if (!svc) return undefined
  const metadata = svc.metadata
  const stored = { kind: 'Service', apiVersion: 'v1', metadata, spec: svc.spec, status: svc.status }
  return `/registry/services/specs/${ns}/${name}\n${JSON.stringify(stored, null, 2)}\n\n# mod_revision ${svc.metadata.resourceVersion} (the Service's resourceVersion)`
}

/** The lines of a node's iptables-save that name a Service (its KUBE-SERVICES jump and its own chains). */
export function serviceRules(sim: Simulation, node: string, name: string, ns = 'default'): string {
  const text = sim.iptablesSave(node) ?? ''
  const lines = text.split('\n')
  const chains = new Set<string>()
  for (const l of lines) {
    if (!l.includes(`"${ns}/${name}`)) continue
    for (const m of l.matchAll(/KUBE-(?:SVC|SEP|EXT|FW|SVL)-[A-Z0-9]+/g)) chains.add(m[0])
  }
  const mine = lines.filter((l) => l.startsWith('-A ') && (l.includes(`"${ns}/${name}`) || l.includes(` ${ns}/${name}:`) || [...chains].some((c) => l.startsWith(`-A ${c} `))))
  // In the order a packet meets them: the KUBE-SERVICES match, the Service's chain, then its endpoints' chains.
  const rank = (l: string) => (l.startsWith('-A KUBE-SERVICES') || l.startsWith('-A KUBE-NODEPORTS') ? 0 : l.startsWith('-A KUBE-EXT') || l.startsWith('-A KUBE-FW') ? 1 : l.startsWith('-A KUBE-SVC') ? 2 : 3)
  return ['*nat', ...mine.sort((a, b) => rank(a) - rank(b))].join('\n')
}

/** The node's conntrack table as `conntrack -L` prints it there (the node shell's own command). */
export function conntrackList(sim: Simulation, node: string): string {
  return sim.run('conntrack -L', { node }).stdout.replace(/\n$/, '')
}

/**
 * The names a pod's resolver tries for `name`, in glibc's order (search list first when the name has fewer dots than
 * ndots; a name ending in a dot only as it is), each with CoreDNS's answer from the records it serves; the tries stop
 * at the first name that has records. What `nslookup -debug` would show, read without sending anything.
 */
export function searchTries(sim: Simulation, pod: string, name: string): { readonly name: string; readonly answer: string }[] {
  const conf = sim.resolvConf(pod) ?? ''
  const search = /^search (.*)$/m.exec(conf)?.[1]?.split(/\s+/) ?? []
  const ndots = Number(/ndots:(\d+)/.exec(conf)?.[1] ?? 1)
  const absolute = name.endsWith('.')
  const bare = absolute ? name : `${name}.`
  const withSearch = search.map((d) => `${name}.${d}.`)
  const order = absolute ? [bare] : name.split('.').length - 1 >= ndots ? [bare, ...withSearch] : [...withSearch, bare]
  const records = sim.dnsRecords()
  const out: { name: string; answer: string }[] = []
  for (const n of order) {
    const found = records.filter((r) => r.name.toLowerCase() === n.toLowerCase() && (r.type === 'A' || r.type === 'CNAME'))
    out.push({ name: n, answer: found.length ? found.map((r) => `${r.type} ${r.data}`).join(', ') : 'NXDOMAIN' })
    if (found.length) break
  }
  return out
}

export const triesText = (tries: ReturnType<typeof searchTries>) => tries.map((t) => `${t.name.padEnd(44)} ${t.answer}`).join('\n')

/** A moment of the simulated clock (virtual ms, or a timestamp as the API prints it) as a wall clock reads it: 09:01:10. */
export const clock = (at: number | string) => (typeof at === 'number' ? toTimestamp(at) : at).slice(11, 19)

/**
 * `kubectl describe` of one object cut down to the sections named (their heading line and its indented lines), in
 * the order describe prints them: `describeSections(sim, 'node worker-1', ['Taints', 'Conditions'])`.
 */
export function describeSections(sim: Simulation, what: string, sections: readonly string[]): string {
  const lines = sim.run(`kubectl describe ${what}`).stdout.split('\n')
  const out: string[] = []
  let keep = false
  for (const l of lines) {
    if (/^\S/.test(l)) keep = sections.some((s) => l.startsWith(`${s}:`))
    if (keep) out.push(l)
  }
  return out.join('\n')
}
