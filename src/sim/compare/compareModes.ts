import type { Hop } from '../model/packet'
import type { Pod } from '../model/pod'
import { PROXY_MODES, type ProxyMode } from '../model/proxyMode'
import { hasClusterIP, type Service } from '../model/service'
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../model/endpointSlice'
import { restoreSimulation, type Simulation } from '../simulation'
import type { SimulationSnapshot } from '../snapshot/takeSnapshot'
import { serviceRuleText, type RuleListing } from './serviceRuleText'

export type { RuleLine, RuleListing } from './serviceRuleText'

/** One request to the Service in one mode, on a fork of the cluster switched to it. */
export interface ModeRun {
  readonly mode: ProxyMode
  /** The node the client runs on: where the kernel decides where the request goes. */
  readonly node: string
  /** That node's rules about the Service, as its tools print them, the deciding lines marked. */
  readonly rules: readonly RuleListing[]
  /** The request's hops (its DNS lookup and reply left out): node, what the kernel consulted, where it went. */
  readonly hops: readonly Hop[]
  readonly ok: boolean
  /** "ns/name" of the pod that served it. */
  readonly pod?: string
  readonly endpoint?: string
  readonly reason?: string
  /** Rules (and lookups) the request's first packet was tested against on the client's node. */
  readonly rulesWalked: number
}

/** The same request in iptables, IPVS and nftables modes, or why it cannot be compared. */
export type ModeComparison =
  | { readonly ok: true; readonly service: string; readonly from: string; readonly target: string; readonly modes: readonly ModeRun[] }
  | { readonly ok: false; readonly error: string }

/** Per mode, which pod served how many of a batch of new connections. */
export type ModeSpread =
  | { readonly ok: true; readonly requests: number; readonly skipped: number; readonly modes: readonly { readonly mode: ProxyMode; readonly node: string; readonly counts: readonly (readonly [pod: string, served: number])[]; readonly failed: number }[] }
  | { readonly ok: false; readonly error: string }

interface Subject {
  readonly svc: Service
  readonly client: Pod
  readonly target: string
  readonly protocol: 'tcp' | 'udp'
}

/** The Service's first port at its ClusterIP, from a running client pod; or why not, in kubectl's words. */
function subjectOf(sim: Simulation, service: string, from: string): Subject | string {
  const [ns, name] = service.includes('/') ? service.split('/', 2) : ['default', service]
  const svc = sim.get('Service', ns, name!) as Service | undefined
  if (!svc) return `Error from server (NotFound): services "${name}" not found`
  if (!hasClusterIP(svc)) return `service ${service} has no ClusterIP: kube-proxy programs nothing for it`
  const port = svc.spec.ports?.[0]
  if (!port) return `service ${service} has no ports`
  if (port.protocol === 'SCTP') return `service ${service}: only TCP and UDP requests are simulated`
  const problem = sim.containerProblem(from)
  if (problem) return problem
  const [podNs, podName] = from.includes('/') ? from.split('/', 2) : ['default', from]
  const client = sim.get('Pod', podNs, podName!) as Pod
  return { svc, client, target: `${svc.spec.clusterIP}:${port.port}`, protocol: port.protocol === 'UDP' ? 'udp' : 'tcp' }
}

/** A copy of the snapshotted cluster with kube-proxy in `mode` on every node, settled (left as it is when already in it). */
function forkIn(snapshot: SimulationSnapshot, mode: ProxyMode): Simulation | string {
  const r = restoreSimulation(snapshot)
  if (!r.ok) return r.error
  const fork = r.sim
  if (fork.proxyMode !== mode) {
    const switched = fork.setProxyMode(mode)
    if (!switched.ok) return switched.errors.map((e) => e.message).join('; ')
    fork.settle()
  }
  return fork
}

const requestHops = (hops: readonly Hop[]) => hops.filter((h) => h.phase === 'request')

/**
 * Sends one request from the client pod `from` to the Service's ClusterIP in each of kube-proxy's modes, each on its
 * own fork of the cluster (snapshot and restore: `sim` is not touched), and says for each what the client's node
 * consulted (its rules about the Service, as its tools print them), where the packet went, and how many rules its
 * first packet was tested against there. Same simulation, same result.
 */
export function compareModes(sim: Simulation, service: string, from: string): ModeComparison {
  const subject = subjectOf(sim, service, from)
  if (typeof subject === 'string') return { ok: false, error: subject }
  const snapshot = sim.snapshot()
  const node = subject.client.spec.nodeName!
  const modes: ModeRun[] = []
  for (const mode of PROXY_MODES) {
    const fork = forkIn(snapshot, mode)
    if (typeof fork === 'string') return { ok: false, error: fork }
    const r = fork.connect(from, subject.target, { protocol: subject.protocol })
    const hops = requestHops(r.hops)
    const onNode = hops.filter((h) => h.at === node)
    const rules = fork.proxyRules(node)
    modes.push({
      mode,
      node,
      // Read after the request: the rules are what they were (a request changes conntrack and counters, not rules).
      rules: rules ? serviceRuleText(fork, node, subject.svc, rules, onNode) : [],
      hops,
      ok: r.ok,
      ...(r.pod !== undefined ? { pod: r.pod } : {}),
      ...(r.endpoint !== undefined ? { endpoint: r.endpoint } : {}),
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      rulesWalked: onNode.reduce((n, h) => n + (h.rulesEvaluated ?? 0), 0),
    })
  }
  return { ok: true, service: `${subject.svc.metadata.namespace}/${subject.svc.metadata.name}`, from, target: subject.target, modes }
}

/** The pods behind the Service ("ns/name") as the EndpointSlices list them, ready or not. */
function endpointPods(sim: Simulation, svc: Service): string[] {
  const ns = svc.metadata.namespace
  const slices = sim.list('EndpointSlice', ns) as EndpointSlice[]
  const pods = slices
    .filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name)
    .flatMap((s) => (s.endpoints ?? []).flatMap((e) => (e.targetRef ? [`${e.targetRef.namespace}/${e.targetRef.name}`] : [])))
  return [...new Set(pods)]
}

/**
 * Sends `requests` new connections (a fresh source port each) from `from` to the Service in each mode, each on its own
 * fork, and counts which pod served each: IPVS's round robin spreads them exactly evenly, iptables' and nftables'
 * random draws do not. With `skip`, that many connections are sent first, uncounted (the next batch of a series).
 * `sim` is not touched; same simulation, same counts.
 */
export function spreadByMode(sim: Simulation, service: string, from: string, requests = 30, skip = 0): ModeSpread {
  const subject = subjectOf(sim, service, from)
  if (typeof subject === 'string') return { ok: false, error: subject }
  const snapshot = sim.snapshot()
  const out: { mode: ProxyMode; node: string; counts: [string, number][]; failed: number }[] = []
  for (const mode of PROXY_MODES) {
    const fork = forkIn(snapshot, mode)
    if (typeof fork === 'string') return { ok: false, error: fork }
    const served = new Map<string, number>(endpointPods(fork, subject.svc).map((p) => [p, 0]))
    let failed = 0
    for (let i = 0; i < skip + requests; i++) {
      const r = fork.connect(from, subject.target, { protocol: subject.protocol })
      if (i < skip) continue
      if (r.ok && r.pod) served.set(r.pod, (served.get(r.pod) ?? 0) + 1)
      else failed++
    }
    out.push({ mode, node: subject.client.spec.nodeName!, counts: [...served].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)), failed })
  }
  return { ok: true, requests, skipped: skip, modes: out }
}
