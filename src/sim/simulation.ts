import { bootstrap } from './bootstrap'
import { apply, type Manifest } from './commands/apply'
import { deleteObject, normalizeKind } from './commands/deleteObject'
import type { CommandResult } from './commands/results'
import { connect, type ConnectOptions, type ConnectResult } from './commands/connect'
import { resolveFrom, type ResolveResult } from './commands/resolve'
import type { QueryType } from './dns/coreDnsAnswer'
import { tablesOf, type Journey } from './dataplane/journey'
import { scale } from './commands/scale'
import { DEFAULT_CONFIG, type ClusterConfig } from './config'
import { nodeRuleCount, renderTables } from './controllers/kubeProxy/nodeTables'
import { dnsRecords, type DnsRecord } from './dns/records'
import { flattenEnv } from './controllers/serviceEnv'
import { formatTable, printTable, type PrintedTable } from './kubectl/printers'
import { Engine, type SettleResult } from './engine'
import { keyOf, type KubeObject } from './model/meta'
import { nodeInternalIP } from './model/node'
import { toYaml } from './manifests/yaml'
import type { SimEvent } from './runtime/events'
import { restoreEngine } from './snapshot/restoreEngine'
import { takeSnapshot, type SimulationSnapshot } from './snapshot/takeSnapshot'
import { emptyState, isSimulatedKind, KIND_TABLES, type ClusterState, type Table } from './state'

export interface SimulationOptions {
  /** Seeds every random choice: names, IPs, scheduling ties, packet paths. */
  readonly seed?: number
  /** Worker nodes besides the control plane (0 to 5000). */
  readonly workers?: number
  readonly config?: Partial<ClusterConfig>
}

const byNamespaceAndName = (a: KubeObject, b: KubeObject) => {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/** The engine's public API: what the UI, scripts and tests use. */
export class Simulation {
  /** @internal */
  readonly engine: Engine

  /** `restored` is internal: an engine rebuilt from a snapshot (use `restoreSimulation`). */
  constructor(options: SimulationOptions = {}, restored?: Engine) {
    if (restored) {
      this.engine = restored
      return
    }
    const workers = options.workers ?? 2
    const config = { ...DEFAULT_CONFIG, ...options.config }
    if (!Number.isInteger(workers) || workers < 0 || workers > config.maxNodes - 1) {
      throw new RangeError(`workers: Invalid value: ${workers}: must be an integer from 0 to ${config.maxNodes - 1}`)
    }
    this.engine = new Engine(options.seed ?? 1, config)
    bootstrap(this.engine, workers)
    this.settle()
  }

  /** The whole cluster as one immutable value; a new object after every change, the same one when nothing changed. */
  get state(): ClusterState {
    return this.engine.state
  }

  /** Virtual milliseconds since the cluster was created. */
  get now(): number {
    return this.engine.state.now
  }

  /** kubectl apply: YAML text (multi-document), an object or a list. All or nothing. */
  apply(manifest: Manifest): CommandResult {
    return apply(this.engine, manifest)
  }

  /** kubectl delete <kind> <name> -n <namespace>. Kind accepts kubectl's names ("svc", "deploy", "pods"). */
  delete(kind: string, namespace: string | undefined, name: string): CommandResult {
    return deleteObject(this.engine, kind, namespace, name)
  }

  /** kubectl scale deployment <name> --replicas=N. */
  scale(namespace: string, deployment: string, replicas: number): CommandResult {
    return scale(this.engine, namespace, deployment, replicas)
  }

  /** Moves virtual time forward; timers fire in order and the controllers settle after each. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance: Invalid value: ${ms}: must be a non-negative number of milliseconds`)
    this.engine.advance(ms)
  }

  /** Advances until nothing is pending (bounded: says so if the cluster keeps changing). */
  settle(): SettleResult {
    return this.engine.settle()
  }

  /** The stored objects of a kind, sorted by namespace and name, as plain API objects. */
  list(kind: string, namespace?: string): KubeObject[] {
    const k = normalizeKind(kind)
    const table: Table<KubeObject> = isSimulatedKind(k) ? (this.engine.state[KIND_TABLES[k]] as Table<KubeObject>) : this.engine.state.others.filter((o) => o.kind === k)
    const out: KubeObject[] = []
    for (const o of table.values()) if (namespace === undefined || o.metadata.namespace === namespace) out.push(o)
    return out.sort(byNamespaceAndName)
  }

  /** One object, or undefined. */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = normalizeKind(kind)
    return this.engine.rt.api.lookup(this.engine.state, k, keyOf(k === 'Namespace' || k === 'Node' ? undefined : (namespace ?? 'default'), name))
  }

  /**
   * `kubectl get <kind> [-n ns | -A] [-o wide]` as text. "No resources found in default namespace." when empty, as kubectl.
   * Kind accepts kubectl's names ("po", "svc", "endpointslices").
   */
  kubectlGet(kind: string, options: { namespace?: string; allNamespaces?: boolean; wide?: boolean } = {}): string {
    const table = this.table(kind, options)
    if (table.rows.length === 0) return options.allNamespaces ? 'No resources found\n' : `No resources found in ${options.namespace ?? 'default'} namespace.\n`
    return formatTable(table)
  }

  /** The same as kubectlGet, as columns and rows (for a UI table). */
  table(kind: string, options: { namespace?: string; allNamespaces?: boolean; wide?: boolean } = {}): PrintedTable {
    const k = normalizeKind(kind)
    const clusterScoped = k === 'Node' || k === 'Namespace'
    const objects = this.list(k, clusterScoped || options.allNamespaces ? undefined : (options.namespace ?? 'default'))
    return printTable(k, objects, this.now, { wide: options.wide, allNamespaces: options.allNamespaces && !clusterScoped })
  }

  /** `kubectl get <kind> <name> -o yaml`; undefined when there is no such object. */
  yaml(kind: string, namespace: string | undefined, name: string): string | undefined {
    const obj = this.get(kind, namespace, name)
    return obj ? toYaml(obj) : undefined
  }

  /** Objects stored but not simulated (ServiceAccount, ConfigMap, ...). */
  unsimulated(): KubeObject[] {
    return [...this.engine.state.others.values()].sort(byNamespaceAndName)
  }

  /**
   * The node's *filter and *nat tables as kube-proxy writes them (its iptables-restore input, chains grouped and
   * services ordered as kube-proxy's own tests print them), preceded by the built-in chains and the jumps into them,
   * with flannel's chains (FLANNEL-POSTRTG, FLANNEL-FWD) and jumps as flannel writes them.
   * Built from the Services and EndpointSlices kube-proxy on that node saw at its last sync.
   */
  iptablesSave(nodeName: string): string {
    if (!this.engine.state.nodes.has(nodeName)) throw new Error(`Error from server (NotFound): nodes "${nodeName}" not found`)
    return renderTables(tablesOf(this.engine.state, nodeName, this.engine.config.podCIDR.text))
  }

  /** How many rules kube-proxy has written on the node (cheap: no rendering; flannel's rules are not counted). */
  ruleCount(nodeName: string): number {
    const node = this.engine.state.nodes.get(nodeName)
    if (!node) return 0
    return nodeRuleCount(this.proxyView(nodeName), { name: nodeName, ip: nodeInternalIP(node) }, this.engine.config.podCIDR.text)
  }

  private proxyView(nodeName: string) {
    const empty = emptyState()
    return this.engine.state.proxies.get(nodeName) ?? { services: empty.services, endpointSlices: empty.endpointSlices, syncedAt: -1 }
  }

  /** The container's environment as fixed when it started (service links included). */
  env(pod: string): Record<string, string> {
    const p = this.podOrThrow(pod)
    const runtime = this.engine.state.containers.get(pod)
    if (!runtime?.env) throw new Error(`error: unable to upgrade connection: container not found ("${p.spec.containers[0]?.name}")`)
    return flattenEnv(runtime.env)
  }

  /** /etc/resolv.conf inside the pod, as the kubelet wrote it at container start. */
  resolvConf(pod: string): string {
    const p = this.podOrThrow(pod)
    const runtime = this.engine.state.containers.get(pod)
    if (!runtime?.resolvConf) throw new Error(`error: unable to upgrade connection: container not found ("${p.spec.containers[0]?.name}")`)
    return runtime.resolvConf
  }

  private podOrThrow(pod: string) {
    const p = this.engine.state.pods.get(pod.includes('/') ? pod : `default/${pod}`)
    if (!p) throw new Error(`Error from server (NotFound): pods "${pod.split('/').pop()}" not found`)
    return p
  }

  /** The records CoreDNS answers from right now (its last watch sync). */
  dnsRecords(): DnsRecord[] {
    return dnsRecords(this.engine.state.dns, this.engine.config.clusterDomain)
  }

  /**
   * A DNS lookup from inside a pod, as its resolver makes it: the search list, ndots:5, each query a UDP packet to
   * 10.96.0.10, which the pod's own node DNAT-s to a CoreDNS pod (wherever it runs), and the answer back.
   */
  resolve(pod: string, name: string, type: QueryType = 'A'): ResolveResult {
    const p = this.podOrThrow(pod)
    const key = `${p.metadata.namespace}/${p.metadata.name}`
    const runtime = this.engine.state.containers.get(key)
    if (!runtime?.resolvConf || !p.status.podIP) throw new Error(`error: unable to upgrade connection: container not found ("${p.spec.containers[0]?.name}")`)
    const j: Journey = { state: this.engine.state, rng: this.engine.rt.rng, config: this.engine.config, hops: [], phase: 'dns', keepAlive: false, opening: true }
    const result = resolveFrom(this.engine, j, p, runtime.resolvConf, name, type)
    this.engine.state = j.state
    return result
  }

  /**
   * A connection from a pod ("ns/name") or from "external" to "host:port", one request and its reply, moved packet by
   * packet through each node's rules and conntrack. The hops cover the DNS lookup, the request and the reply.
   */
  connect(from: string, target: string, opts?: ConnectOptions): ConnectResult {
    return connect(this.engine, from, target, opts)
  }

  /** The newest `n` events (cheap: for views that redraw every frame). */
  recentEvents(n: number): SimEvent[] {
    return [...this.engine.rt.events.recent(n)]
  }

  /** The events of the last moment: those at or after virtual time `t` (ms), oldest first. */
  eventsSince(t: number): SimEvent[] {
    return [...this.engine.rt.events.since(t)]
  }

  /** How many events have been recorded in all: changes exactly when a new event arrives. */
  get eventCount(): number {
    return this.engine.rt.events.total
  }

  /** The story so far: who did what to which object, when and why (the newest 20,000). */
  events(): SimEvent[] {
    return [...this.engine.rt.events.list()]
  }

  /**
   * Everything that decides what this simulation does next, as plain JSON (the state, RNG, timers, queued work,
   * controllers' memory, the newest 1,000 events). `restoreSimulation` continues from it exactly.
   */
  snapshot(): SimulationSnapshot {
    return takeSnapshot(this.engine)
  }
}

/** A simulation restored from `snapshot()`, or why the snapshot cannot be used (damaged, foreign, another version). */
export type RestoreSimulationResult = { readonly ok: true; readonly sim: Simulation } | { readonly ok: false; readonly error: string }

/**
 * Rebuilds a simulation from a snapshot, checked in full first; from there, the same calls give the same states,
 * names, IPs, random draws and events as the original would have. Never throws.
 */
export function restoreSimulation(snapshot: unknown): RestoreSimulationResult {
  const r = restoreEngine(snapshot)
  return r.ok ? { ok: true, sim: new Simulation({}, r.engine) } : r
}

/** Creates a kubeadm-style cluster (a tainted control plane and `workers` workers), settled and ready. */
export function createSimulation(options: SimulationOptions = {}): Simulation {
  return new Simulation(options)
}
