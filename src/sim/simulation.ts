import { runAction, type ActionResult, type AdvanceResult, type SimAction } from './actions'
import { bootstrap } from './bootstrap'
import { apply, type Manifest } from './commands/apply'
import { argumentError, needName, needNamespace, needOptions } from './commands/arguments'
import { deleteObject, kindOf, noResourceType } from './commands/deleteObject'
import { failed, internalError, type CommandResult } from './commands/results'
import { connect, type ConnectOptions, type ConnectResult } from './commands/connect'
import { resolveFrom, type ResolveResult } from './commands/resolve'
import type { QueryType } from './dns/coreDnsAnswer'
import { tablesOf, type Journey } from './dataplane/journey'
import { rolloutUndo } from './commands/rolloutUndo'
import { scale } from './commands/scale'
import { patchObject } from './commands/patch'
import { setImage } from './commands/setImage'
import { healFault, injectFault } from './commands/fault'
import type { FaultKind } from './model/fault'
import { DEFAULT_CONFIG, MAX_VIRTUAL_MS, type ClusterConfig } from './config'
import { nodeRuleCount, renderTables } from './controllers/kubeProxy/nodeTables'
import { dnsRecords, type DnsRecord } from './dns/records'
import { flattenEnv } from './controllers/serviceEnv'
import { formatTable, printTable, type PrintedTable } from './kubectl/printers'
import { Engine, type SettleResult } from './engine'
import { transaction } from './transaction'
import { run as runLine } from './shell/run'
import { canonicalIptablesSave, ctime } from './shell/iptablesSave'
import { CLUSTER_EPOCH_MS } from './runtime/time'
import type { RunOptions, RunResult } from './shell/types'
import { builtinKind } from './model/kinds'
import { checkIP } from './model/ipValidation'
import { keyOf, type KubeObject } from './model/meta'
import { nodeInternalIP } from './model/node'
import type { Pod } from './model/pod'
import { toYaml } from './manifests/yaml'
import type { EventFilter, SimEvent } from './runtime/events'
import { restoreEngine } from './snapshot/restoreEngine'
import { takeSnapshot, type SimulationSnapshot } from './snapshot/takeSnapshot'
import { emptyState, isSimulatedKind, KIND_TABLES, type ClusterState, type Table } from './state'

export interface SimulationOptions {
  /** Seeds every random choice: names, IPs, scheduling ties, packet paths. An integer. */
  readonly seed?: number
  /** Worker nodes besides the control plane (0 to 5000). */
  readonly workers?: number
  readonly config?: Partial<ClusterConfig>
}

export { MAX_VIRTUAL_MS }

export type { AdvanceResult }

/** `table`'s answer: kubectl's columns and rows, or the error kubectl would print instead. */
export interface TableResult extends PrintedTable {
  readonly error?: string
}

type GetOptions = { namespace?: string; allNamespaces?: boolean; wide?: boolean }
const GET_OPTIONS = { namespace: 'string', allNamespaces: 'boolean', wide: 'boolean' } as const
/** Stands for the time in a converted iptables-save text until it is printed. */
const SAVED_AT = '\u0000saved-at\u0000'
const QUERY_TYPES: readonly QueryType[] = ['A', 'AAAA', 'CNAME', 'PTR', 'SRV', 'TXT']

const byNamespaceAndName = (a: KubeObject, b: KubeObject) => {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

const refused = (message: string): CommandResult => failed([{ path: '', message }])
const unresolved = (error: string): ResolveResult => ({ rcode: 'SERVFAIL', answers: [], authority: [], queries: [], hops: [], reason: error, error })
const notConnected = (reason: string): ConnectResult => ({ ok: false, reason, hops: [], rulesEvaluated: 0 })

/**
 * The engine's public API: what the UI, scripts and tests use. No method throws once the simulation exists: commands
 * return results in kubectl's wording, reads return undefined (or an empty list) when there is nothing to read, and a
 * command that fails, even on a bug of the engine's own, leaves the cluster exactly as it was.
 */
export class Simulation {
  /** @internal */
  readonly engine: Engine

  /**
   * Throws a RangeError for options out of range: there is no simulation to return a result from yet. `restored` is
   * internal: an engine rebuilt from a snapshot (use `restoreSimulation`).
   */
  constructor(options: SimulationOptions = {}, restored?: Engine) {
    if (restored) {
      this.engine = restored
      return
    }
    const workers = options.workers ?? 2
    const seed = options.seed ?? 1
    const config = { ...DEFAULT_CONFIG, ...options.config }
    if (!Number.isInteger(workers) || workers < 0 || workers > config.maxNodes - 1) {
      throw new RangeError(`workers: Invalid value: ${workers}: must be an integer from 0 to ${config.maxNodes - 1}`)
    }
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed: Invalid value: ${seed}: must be an integer`)
    this.engine = new Engine(seed, config)
    bootstrap(this.engine, workers)
    this.engine.settle()
  }

  /** Runs a command as a transaction (see `transaction`): a throw, or a result `undo` calls a failure, changes nothing. */
  private transaction<T>(run: () => T, onThrow: (e: unknown) => T, undo?: (r: T) => boolean): T {
    return transaction(this.engine, run, onThrow, undo)
  }

  /** A read: never throws; `fallback` when the engine fails to answer. */
  private read<T>(run: () => T, fallback: T): T {
    try {
      return run()
    } catch {
      return fallback
    }
  }

  private command(what: string, run: () => CommandResult): CommandResult {
    return this.transaction(run, (e) => internalError(what, e), (r) => !r.ok)
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
    return this.command('apply', () => apply(this.engine, manifest))
  }

  /** kubectl create: the objects must not exist yet; nothing of kubectl apply's record is kept on them. All or nothing. */
  create(manifest: Manifest): CommandResult {
    return this.command('create', () => apply(this.engine, manifest, 'create'))
  }

  /** A JSON merge patch of one object (kubectl label, annotate, rollout restart). */
  patch(kind: string, namespace: string | undefined, name: string, patch: object): CommandResult {
    const bad = needName('kind', kind) ?? needNamespace(namespace) ?? needName('name', name) ?? (patch && typeof patch === 'object' && !Array.isArray(patch) ? undefined : argumentError('patch', patch, 'must be an object'))
    if (bad) return refused(bad)
    return this.command('patch', () => patchObject(this.engine, kind, namespace, name, patch))
  }

  /** kubectl delete <kind> <name> -n <namespace>. Kind accepts kubectl's names ("svc", "deploy", "pods"). */
  delete(kind: string, namespace: string | undefined, name: string): CommandResult {
    const bad = needName('kind', kind) ?? needNamespace(namespace) ?? needName('name', name)
    if (bad) return refused(bad)
    return this.command('delete', () => deleteObject(this.engine, kind, namespace, name))
  }

  /** kubectl scale deployment <name> --replicas=N. */
  scale(namespace: string, deployment: string, replicas: number): CommandResult {
    const bad = needName('namespace', namespace) ?? needName('name', deployment)
    if (bad) return refused(bad)
    return this.command('scale', () => scale(this.engine, namespace, deployment, replicas))
  }

  /** kubectl set image deployment/<name> <container>=<image>. */
  setImage(namespace: string, deployment: string, container: string, image: string): CommandResult {
    const bad = needName('namespace', namespace) ?? needName('name', deployment) ?? needName('container', container) ?? needName('image', image)
    if (bad) return refused(bad)
    return this.command('set image', () => setImage(this.engine, namespace, deployment, container, image))
  }

  /** kubectl rollout undo deployment/<name>. */
  rolloutUndo(namespace: string, deployment: string): CommandResult {
    const bad = needName('namespace', namespace) ?? needName('name', deployment)
    if (bad) return refused(bad)
    return this.command('rollout undo', () => rolloutUndo(this.engine, namespace, deployment))
  }

  /**
   * Breaks something on purpose (see model/fault.ts): `node-down` and `kube-proxy-stalled` on a node, `readiness-failing`
   * and `container-crash` on a pod ("namespace/name"), `partition` between two nodes ("nodeA,nodeB"). The fault lasts
   * until healed; the cluster reacts with upstream's timings.
   */
  fault(fault: FaultKind, target: string): CommandResult {
    return this.command('fault', () => injectFault(this.engine, fault, target))
  }

  /** Ends a fault injected before. */
  heal(fault: FaultKind, target: string): CommandResult {
    return this.command('heal', () => healFault(this.engine, fault, target))
  }

  /**
   * Runs a command line as a terminal would: `kubectl ...` on the student's machine, or with `pod` inside that pod's
   * container (nslookup, dig, curl, env, ...), or with `node` on that node (iptables-save, conntrack -L, crictl ps).
   * Output as the real tools print it. Commands that change the cluster dispatch actions (through `options.dispatch`
   * when given, so that the app records them). Never throws: a bug of the engine's own prints as an internal error.
   */
  run(line: string, options: RunOptions = {}): RunResult {
    try {
      return runLine(this, line, options)
    } catch (e) {
      return { exitCode: 1, stdout: '', stderr: `error: Internal error occurred: ${e instanceof Error ? e.message : String(e)}\n` }
    }
  }

  /** The cluster's configuration (CIDRs, DNS domain, limits). */
  get config(): ClusterConfig {
    return this.engine.config
  }

  /** Runs one action (plain data: see src/sim/actions), as its method would. */
  dispatch(action: SimAction): ActionResult {
    return runAction(this, action)
  }

  /**
   * Moves the clock exactly to the next moment something happens: timer by timer (a superseded timer changes nothing
   * and is passed over) until the state changes or the story gains an event. Says so when nothing is scheduled.
   */
  nextEvent(): AdvanceResult {
    const now = this.now
    return this.transaction<AdvanceResult>(
      () => {
        const state = this.engine.state
        const events = this.engine.rt.events.total
        for (let i = 0; i < 10_000; i++) {
          const at = this.engine.rt.nextTimerAt()
          if (at === undefined || at > MAX_VIRTUAL_MS) return { ok: false, time: this.now, message: 'nothing is scheduled: the cluster has settled, and waits for you' }
          this.engine.advance(Math.max(0, at - this.now))
          if (this.engine.state.resourceVersion !== state.resourceVersion || this.engine.rt.events.total !== events || this.engine.state.proxies !== state.proxies || this.engine.state.dns !== state.dns || this.engine.state.containers !== state.containers) return { ok: true, time: this.now }
        }
        return { ok: true, time: this.now }
      },
      (e) => ({ ok: false, time: now, message: `Internal error occurred: next event: ${e instanceof Error ? e.message : String(e)}` }),
    )
  }

  /**
   * Moves virtual time forward; timers fire in order and the controllers settle after each. `ms` is a finite
   * number from 0 up to what keeps the clock within MAX_VIRTUAL_MS (100 years); otherwise nothing moves.
   */
  advance(ms: number): AdvanceResult {
    const now = this.now
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
      return { ok: false, time: now, message: argumentError('advance', ms, 'must be a non-negative, finite number of milliseconds') }
    }
    if (now + ms > MAX_VIRTUAL_MS) {
      return { ok: false, time: now, message: argumentError('advance', ms, `the virtual clock stops at ${MAX_VIRTUAL_MS} ms (100 years); it is at ${now} ms`) }
    }
    return this.transaction<AdvanceResult>(
      () => {
        this.engine.advance(ms)
        return { ok: true, time: this.now }
      },
      (e) => ({ ok: false, time: now, message: `Internal error occurred: advance: ${e instanceof Error ? e.message : String(e)}` }),
    )
  }

  /** Advances until nothing is pending (bounded: says so if the cluster keeps changing). */
  settle(): SettleResult {
    const now = this.now
    return this.transaction<SettleResult>(
      () => this.engine.settle(Math.min(3_600_000, MAX_VIRTUAL_MS - now)),
      (e) => ({ settled: false, time: now, message: `Internal error occurred: settle: ${e instanceof Error ? e.message : String(e)}` }),
    )
  }

  private kindOf(kind: unknown): string | undefined {
    return typeof kind === 'string' && kind !== '' ? kindOf(this.engine.state, kind) : undefined
  }

  /** The stored objects of a kind, sorted by namespace and name, as plain API objects; [] for a kind with none. */
  list(kind: string, namespace?: string): KubeObject[] {
    const k = this.kindOf(kind)
    if (!k || needNamespace(namespace)) return []
    return this.read(() => {
      const table: Iterable<KubeObject> = isSimulatedKind(k) ? (this.engine.state[KIND_TABLES[k]] as Table<KubeObject>).values() : this.engine.state.others.filter((o) => o.kind === k).values()
      const out: KubeObject[] = []
      for (const o of table) if (namespace === undefined || o.metadata.namespace === namespace) out.push(o)
      return out.sort(byNamespaceAndName)
    }, [])
  }

  /** One object, or undefined. */
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = this.kindOf(kind)
    if (!k || needNamespace(namespace) || needName('name', name)) return undefined
    const info = builtinKind(k)
    const ns = info && !info.namespaced ? undefined : (namespace ?? 'default')
    return this.read(() => this.engine.rt.api.lookup(this.engine.state, k, keyOf(ns, name)), undefined)
  }

  /**
   * `kubectl get <kind> [-n ns | -A] [-o wide]` as text, errors included as kubectl prints them ("No resources found
   * in default namespace.", `error: the server doesn't have a resource type "foo"`).
   */
  kubectlGet(kind: string, options: GetOptions = {}): string {
    const table = this.table(kind, options)
    if (table.error) return `${table.error}\n`
    if (table.rows.length === 0) return options.allNamespaces ? 'No resources found\n' : `No resources found in ${options.namespace ?? 'default'} namespace.\n`
    return formatTable(table)
  }

  /** The same as kubectlGet, as columns and rows (for a UI table); `error` instead when kubectl would refuse. */
  table(kind: string, options: GetOptions = {}): TableResult {
    const bad = needName('kind', kind) ?? needOptions('options', options, GET_OPTIONS)
    if (bad) return { headers: [], rows: [], error: bad }
    const k = this.kindOf(kind)
    if (!k) return { headers: [], rows: [], error: noResourceType(kind) }
    return this.read<TableResult>(() => {
      const info = builtinKind(k)
      const clusterScoped = info ? !info.namespaced : false
      const objects = this.list(k, clusterScoped || options.allNamespaces ? undefined : (options.namespace ?? 'default'))
      return printTable(k, objects, this.now, { wide: options.wide, allNamespaces: options.allNamespaces && !clusterScoped })
    }, { headers: [], rows: [], error: 'error: the table could not be printed' })
  }

  /** `kubectl get <kind> <name> -o yaml`; undefined when there is no such object. */
  yaml(kind: string, namespace: string | undefined, name: string): string | undefined {
    const obj = this.get(kind, namespace, name)
    return obj ? this.read(() => toYaml(obj), undefined) : undefined
  }

  /** Objects stored but not simulated (ServiceAccount, ConfigMap, ...). */
  unsimulated(): KubeObject[] {
    return [...this.engine.state.others.values()].sort(byNamespaceAndName)
  }

  /**
   * The node's *filter and *nat tables as kube-proxy writes them (its iptables-restore input, chains grouped and
   * services ordered as kube-proxy's own tests print them), preceded by the built-in chains and the jumps into them,
   * with flannel's chains (FLANNEL-POSTRTG, FLANNEL-FWD) and jumps as flannel writes them.
   * Built from the Services and EndpointSlices kube-proxy on that node saw at its last sync. Undefined for no such node.
   */
  kubeProxyRules(nodeName: string): string | undefined {
    if (typeof nodeName !== 'string' || !this.engine.state.nodes.has(nodeName)) return undefined
    return this.read(() => renderTables(tablesOf(this.engine.state, nodeName, this.engine.config.podCIDR.text)), undefined)
  }

  /**
   * What `iptables-save` prints on the node after kube-proxy's restore: the same rules in iptables' canonical form
   * (tables and chains in its order, options normalised, `/32`, `--set-xmark`, 11-digit probabilities, its header and
   * counters), as iptables 1.8.9 (nf_tables) prints them. Undefined for no such node.
   */
  iptablesSave(nodeName: string): string | undefined {
    const rules = this.kubeProxyRules(nodeName)
    if (rules === undefined) return undefined
    // The rules change only when the node's kube-proxy syncs; the header's clock every second: convert once per sync.
    let saved = this.saved.get(nodeName)
    if (saved?.rules !== rules) {
      const text = this.read(() => canonicalIptablesSave(rules, SAVED_AT), undefined)
      if (text === undefined) return undefined
      saved = { rules, text }
      this.saved.set(nodeName, saved)
    }
    return saved.text.replaceAll(SAVED_AT, ctime(new Date(CLUSTER_EPOCH_MS + this.now)))
  }

  /** Per node: the last rules converted by `iptablesSave`, and what they became (with a placeholder for the time). */
  private readonly saved = new Map<string, { readonly rules: string; readonly text: string }>()

  /** How many rules kube-proxy has written on the node (cheap: no rendering; flannel's are not counted); undefined for no such node. */
  ruleCount(nodeName: string): number | undefined {
    const node = typeof nodeName === 'string' ? this.engine.state.nodes.get(nodeName) : undefined
    if (!node) return undefined
    return this.read(() => nodeRuleCount(this.proxyView(nodeName), { name: nodeName, ip: nodeInternalIP(node) }, this.engine.config.podCIDR.text), undefined)
  }

  private proxyView(nodeName: string) {
    const empty = emptyState()
    return this.engine.state.proxies.get(nodeName) ?? { services: empty.services, endpointSlices: empty.endpointSlices, syncedAt: -1 }
  }

  /** The pod "ns/name" (or "name" in default), when there is one. */
  private pod(pod: unknown): Pod | undefined {
    if (typeof pod !== 'string' || pod === '') return undefined
    return this.engine.state.pods.get(pod.includes('/') ? pod : `default/${pod}`)
  }

  /** Why `pod` cannot be looked into, as kubectl exec would say; undefined when its container runs. */
  containerProblem(pod: unknown): string | undefined {
    const bad = needName('pod', pod)
    if (bad) return bad
    const p = this.pod(pod)
    if (!p) return `Error from server (NotFound): pods "${String(pod).split('/').pop()}" not found`
    const runtime = this.engine.state.containers.get(`${p.metadata.namespace}/${p.metadata.name}`)
    if (!runtime?.resolvConf || !p.status.podIP) return `error: unable to upgrade connection: container not found ("${p.spec.containers[0]?.name}")`
    return undefined
  }

  /** The container's environment as fixed when it started (service links included); undefined until it runs. */
  env(pod: string): Record<string, string> | undefined {
    if (this.containerProblem(pod)) return undefined
    const p = this.pod(pod)!
    return this.read(() => flattenEnv(this.engine.state.containers.get(`${p.metadata.namespace}/${p.metadata.name}`)!.env!), undefined)
  }

  /** /etc/resolv.conf inside the pod, as the kubelet wrote it at container start; undefined until it runs. */
  resolvConf(pod: string): string | undefined {
    if (this.containerProblem(pod)) return undefined
    const p = this.pod(pod)!
    return this.engine.state.containers.get(`${p.metadata.namespace}/${p.metadata.name}`)!.resolvConf
  }

  /**
   * The records a CoreDNS pod (`kube-system/<name>`, or just its name) answers from right now: what its own watch
   * last took in. Without a pod, the running pod whose watch caught up last. Empty when no CoreDNS pod runs.
   */
  dnsRecords(pod?: string): DnsRecord[] {
    return this.read(() => {
      const views = this.engine.state.dns
      const key = pod === undefined ? undefined : pod.includes('/') ? pod : `kube-system/${pod}`
      let view = key === undefined ? undefined : views.get(key)
      if (key === undefined) for (const v of views.values()) if (!view || v.syncedAt > view.syncedAt) view = v
      return view ? dnsRecords(view, this.engine.config.clusterDomain) : []
    }, [])
  }

  /**
   * A DNS lookup from inside a pod, as its resolver makes it: the search list, ndots:5, each query a UDP packet to
   * 10.96.0.10, which the pod's own node DNAT-s to a CoreDNS pod (wherever it runs), and the answer back. When no query
   * can be sent (no such pod, an unknown type), `error` says why and rcode is SERVFAIL.
   */
  resolve(pod: string, name: string, type: QueryType = 'A'): ResolveResult {
    const bad = this.containerProblem(pod) ?? needName('name', name) ?? (QUERY_TYPES.includes(type) ? undefined : `error: type: Unsupported value: ${JSON.stringify(String(type))}: supported values: ${QUERY_TYPES.map((t) => `"${t}"`).join(', ')}`)
    if (bad) return unresolved(bad)
    const p = this.pod(pod)!
    const runtime = this.engine.state.containers.get(`${p.metadata.namespace}/${p.metadata.name}`)!
    return this.transaction(
      () => {
        const j: Journey = { state: this.engine.state, rng: this.engine.rt.rng.packets, config: this.engine.config, hops: [], phase: 'dns', keepAlive: false, opening: true }
        const result = resolveFrom(this.engine, j, p, runtime.resolvConf!, name, type)
        this.engine.state = j.state
        return result
      },
      (e) => unresolved(`Internal error occurred: resolve: ${e instanceof Error ? e.message : String(e)}`),
    )
  }

  /**
   * A connection from a pod ("ns/name") or from "external" to "host:port", one request and its reply, moved packet by
   * packet through each node's rules and conntrack. The hops cover the DNS lookup, the request and the reply.
   */
  connect(from: string, target: string, opts?: ConnectOptions): ConnectResult {
    const bad = needName('from', from) ?? needName('target', target) ?? needOptions('options', opts, { protocol: 'string', keepAlive: 'boolean', sourcePort: 'number', sourceIP: 'string' })
    if (bad) return notConnected(bad)
    if (opts?.protocol !== undefined && opts.protocol !== 'tcp' && opts.protocol !== 'udp') return notConnected(argumentError('options.protocol', opts.protocol, 'must be "tcp" or "udp"'))
    if (opts?.sourcePort !== undefined && (!Number.isInteger(opts.sourcePort) || opts.sourcePort < 1 || opts.sourcePort > 65535)) return notConnected(argumentError('options.sourcePort', opts.sourcePort, 'must be between 1 and 65535, inclusive'))
    if (opts?.sourceIP !== undefined && checkIP('options.sourceIP', opts.sourceIP).family !== 'IPv4') return notConnected(argumentError('options.sourceIP', opts.sourceIP, 'must be an IPv4 address'))
    return this.transaction(
      () => connect(this.engine, from, target, opts),
      (e) => notConnected(`Internal error occurred: connect: ${e instanceof Error ? e.message : String(e)}`),
    )
  }

  /** The newest `n` events (cheap: for views that redraw every frame); `{ writes: true }` adds the API server's writes. */
  recentEvents(n: number, filter?: EventFilter): SimEvent[] {
    if (typeof n !== 'number' || !(n >= 0)) return []
    return this.engine.rt.events.recent(Math.floor(Math.min(n, 1e9)), filter ?? {})
  }

  /** The events of the last moment: those at or after virtual time `t` (ms), oldest first. */
  eventsSince(t: number, filter?: EventFilter): SimEvent[] {
    if (typeof t !== 'number' || Number.isNaN(t)) return []
    return this.engine.rt.events.since(t, filter ?? {})
  }

  /** How many events have been recorded in all: changes exactly when a new event arrives. */
  get eventCount(): number {
    return this.engine.rt.events.total
  }

  /**
   * The story so far: who did what to which object, when and why (the newest 20,000). `{ writes: true }` adds the API
   * server's record of every write (its newest 20,000), each with `write` set.
   */
  events(filter?: EventFilter): SimEvent[] {
    return this.engine.rt.events.list(filter ?? {})
  }

  /**
   * Everything that decides what this simulation does next, as plain JSON (the state, RNG, timers, queued work,
   * controllers' memory, the newest 1,000 story events and 200 API writes). `restoreSimulation` continues from it exactly.
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
