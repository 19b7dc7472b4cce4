import { isRecorded, runAction, type ActionResult, type AdvanceResult, type SimAction } from './actions'
import { bootstrap } from './bootstrap'
import { apply, type Manifest } from './commands/apply'
import { argumentError, needName, needNamespace, needOptions } from './commands/arguments'
import { deleteObject } from './commands/deleteObject'
import { failed, internalError, type CommandResult } from './commands/results'
import { connect, type ConnectOptions, type ConnectResult } from './commands/connect'
import { resolveFrom, type ResolveResult } from './commands/resolve'
import type { QueryType } from './dns/coreDnsAnswer'
import type { Journey } from './dataplane/journey'
import { rolloutUndo } from './commands/rolloutUndo'
import { scale } from './commands/scale'
import { patchObject } from './commands/patch'
import { setImage } from './commands/setImage'
import { healFault, injectFault } from './commands/fault'
import type { FaultKind } from './model/fault'
import { DEFAULT_CONFIG, MAX_VIRTUAL_MS, type ClusterConfig } from './config'
import { Engine, type SettleResult } from './engine'
import { transaction } from './transaction'
import { checkIP } from './model/ipValidation'
import { DEFAULT_PROXY_MODE, isProxyMode, PROXY_MODES, type ProxyMode } from './model/proxyMode'
import { setProxyMode } from './commands/setProxyMode'
import { restoreEngine } from './snapshot/restoreEngine'
import { takeSnapshot, type SimulationSnapshot } from './snapshot/takeSnapshot'
import type { ClusterState } from './state'
import { History } from './history/history'
import { SimulationView } from './history/simulationView'
import { ClusterReads, type EventSource, type TableResult } from './reads'

export interface SimulationOptions {
  /** Seeds every random choice: names, IPs, scheduling ties, packet paths. An integer. */
  readonly seed?: number
  /** Worker nodes besides the control plane (0 to 5000). */
  readonly workers?: number
  readonly config?: Partial<ClusterConfig>
  /** kube-proxy's --proxy-mode on every node: iptables (the default), ipvs or nftables. */
  readonly proxyMode?: ProxyMode
}

export { MAX_VIRTUAL_MS }

export type { AdvanceResult }

export type { TableResult }

const QUERY_TYPES: readonly QueryType[] = ['A', 'AAAA', 'CNAME', 'PTR', 'SRV', 'TXT']

const refused = (message: string): CommandResult => failed([{ path: '', message }])
const unresolved = (error: string): ResolveResult => ({ rcode: 'SERVFAIL', answers: [], authority: [], queries: [], hops: [], reason: error, error })
const notConnected = (reason: string): ConnectResult => ({ ok: false, reason, hops: [], rulesEvaluated: 0 })

/**
 * The engine's public API: what the UI, scripts and tests use. No method throws once the simulation exists: commands
 * return results in kubectl's wording, reads return undefined (or an empty list) when there is nothing to read, and a
 * command that fails, even on a bug of the engine's own, leaves the cluster exactly as it was.
 */
export class Simulation extends ClusterReads {
  /** @internal */
  readonly engine: Engine

  /**
   * Throws a RangeError for options out of range: there is no simulation to return a result from yet. `restored` is
   * internal: an engine rebuilt from a snapshot (use `restoreSimulation`).
   */
  constructor(options: SimulationOptions = {}, restored?: Engine) {
    super()
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
    const proxyMode = options.proxyMode ?? DEFAULT_PROXY_MODE
    if (!isProxyMode(proxyMode)) throw new RangeError(`proxyMode: Unsupported value: ${JSON.stringify(proxyMode)}: supported values: ${PROXY_MODES.map((m) => `"${m}"`).join(', ')}`)
    this.engine = new Engine(seed, config)
    this.engine.state = { ...this.engine.state, proxyMode }
    bootstrap(this.engine, workers)
    this.engine.settle()
  }

  /** Runs a command as a transaction (see `transaction`): a throw, or a result `undo` calls a failure, changes nothing. */
  private transaction<T>(run: () => T, onThrow: (e: unknown) => T, undo?: (r: T) => boolean): T {
    return transaction(this.engine, run, onThrow, undo)
  }

  get state(): ClusterState {
    return this.engine.state
  }

  get config(): ClusterConfig {
    return this.engine.config
  }

  protected get eventLog(): EventSource {
    return this.engine.rt.events
  }

  private command(what: string, run: () => CommandResult): CommandResult {
    return this.transaction(run, (e) => internalError(what, e), (r) => !r.ok)
  }

  /** kubectl apply: YAML text (multi-document), an object or a list. All or nothing. */
  apply(manifest: Manifest): CommandResult {
    return this.remember({ type: 'apply', manifest }, this.command('apply', () => apply(this.engine, manifest)))
  }

  /** kubectl create: the objects must not exist yet; nothing of kubectl apply's record is kept on them. All or nothing. */
  create(manifest: Manifest): CommandResult {
    return this.remember({ type: 'create', manifest }, this.command('create', () => apply(this.engine, manifest, 'create')))
  }

  /** A JSON merge patch of one object (kubectl label, annotate, rollout restart). */
  patch(kind: string, namespace: string | undefined, name: string, patch: object): CommandResult {
    const bad = needName('kind', kind) ?? needNamespace(namespace) ?? needName('name', name) ?? (patch && typeof patch === 'object' && !Array.isArray(patch) ? undefined : argumentError('patch', patch, 'must be an object'))
    if (bad) return refused(bad)
    return this.remember({ type: 'patch', kind, ...(namespace !== undefined ? { namespace } : {}), name, patch: patch as Record<string, unknown> }, this.command('patch', () => patchObject(this.engine, kind, namespace, name, patch)))
  }

  /** kubectl delete <kind> <name> -n <namespace>. Kind accepts kubectl's names ("svc", "deploy", "pods"). */
  delete(kind: string, namespace: string | undefined, name: string): CommandResult {
    const bad = needName('kind', kind) ?? needNamespace(namespace) ?? needName('name', name)
    if (bad) return refused(bad)
    return this.remember({ type: 'delete', kind, ...(namespace !== undefined ? { namespace } : {}), name }, this.command('delete', () => deleteObject(this.engine, kind, namespace, name)))
  }

  /** kubectl scale deployment <name> --replicas=N. */
  scale(namespace: string, deployment: string, replicas: number): CommandResult {
    const bad = needName('namespace', namespace) ?? needName('name', deployment)
    if (bad) return refused(bad)
    return this.remember({ type: 'scale', namespace, name: deployment, replicas }, this.command('scale', () => scale(this.engine, namespace, deployment, replicas)))
  }

  /** kubectl set image deployment/<name> <container>=<image>. */
  setImage(namespace: string, deployment: string, container: string, image: string): CommandResult {
    const bad = needName('namespace', namespace) ?? needName('name', deployment) ?? needName('container', container) ?? needName('image', image)
    if (bad) return refused(bad)
    return this.remember({ type: 'setImage', namespace, name: deployment, container, image }, this.command('set image', () => setImage(this.engine, namespace, deployment, container, image)))
  }

  /** kubectl rollout undo deployment/<name>. */
  rolloutUndo(namespace: string, deployment: string): CommandResult {
    const bad = needName('namespace', namespace) ?? needName('name', deployment)
    if (bad) return refused(bad)
    return this.remember({ type: 'rolloutUndo', namespace, name: deployment }, this.command('rollout undo', () => rolloutUndo(this.engine, namespace, deployment)))
  }

  /**
   * Breaks something on purpose (see model/fault.ts): `node-down` and `kube-proxy-stalled` on a node, `readiness-failing`
   * and `container-crash` on a pod ("namespace/name"), `partition` between two nodes ("nodeA,nodeB"). The fault lasts
   * until healed; the cluster reacts with upstream's timings.
   */
  fault(fault: FaultKind, target: string): CommandResult {
    return this.remember({ type: 'fault', fault, target }, this.command('fault', () => injectFault(this.engine, fault, target)))
  }

  /** Ends a fault injected before. */
  heal(fault: FaultKind, target: string): CommandResult {
    return this.remember({ type: 'heal', fault, target }, this.command('heal', () => healFault(this.engine, fault, target)))
  }

  /**
   * Restarts kube-proxy on every node in another mode (iptables, ipvs, nftables), cleaning up what the old mode
   * wrote, as an operator does by editing its ConfigMap and restarting the DaemonSet.
   */
  setProxyMode(mode: ProxyMode): CommandResult {
    return this.remember({ type: 'setProxyMode', mode }, this.command('set proxy mode', () => setProxyMode(this.engine, mode)))
  }

  /** The history records what changed the cluster (as actions, with their time), so that it can be replayed. */
  private remember<T extends ActionResult>(action: SimAction, result: T): T {
    const history = this.engine.history
    if (history && isRecorded(action, result)) history.record(this.now, action, () => takeSnapshot(this.engine))
    return result
  }

  /**
   * From now on the simulation keeps its whole history: every moment's state, the actions and the story (no event
   * ages out), so that `at(t)` can show any moment since and `continueFrom(t)` can go on from it. Takes a snapshot to
   * replay from; calling it again changes nothing.
   */
  keepHistory(): this {
    if (!this.engine.history) this.engine.history = new History(this.engine.state, takeSnapshot(this.engine), this.engine.rt.events)
    return this
  }

  /** The virtual time the kept history begins at; undefined when no history is kept. */
  get historyStart(): number | undefined {
    return this.engine.history?.startAt
  }

  /**
   * The cluster as it was at virtual time `t` (clamped to the history kept, up to now): a read-only view with the
   * same reads as the simulation. Undefined when no history is kept (see keepHistory).
   */
  at(t: number): SimulationView | undefined {
    const history = this.engine.history
    if (!history || typeof t !== 'number' || Number.isNaN(t)) return undefined
    const to = Math.max(history.startAt, Math.min(t, this.now))
    if (history.isKept(to)) return new SimulationView(history.stateAt(to), this.engine.config, history)
    // A moment of a large cluster's older past, let go to save memory: rebuilt by replay (and kept for the next read).
    if (this.rebuilt?.at !== to) {
      const fork = this.continueFrom(to)
      if (!fork.ok) return undefined
      this.rebuilt = { at: to, state: fork.sim.state }
    }
    return new SimulationView(this.rebuilt.state, this.engine.config, history)
  }

  /** The last past moment rebuilt by replay. */
  private rebuilt: { readonly at: number; readonly state: ClusterState } | undefined

  /**
   * A new simulation that goes on from virtual time `t` of this one's history: the actions up to `t` replayed from the
   * checkpoint before it, the clock run to `t`. Same seed, same actions, same result: it is what this simulation was at
   * `t`, with its past (moments, actions, story) up to `t`. This one is left as it is. Says why when it cannot.
   */
  continueFrom(t: number): { readonly ok: true; readonly sim: Simulation } | { readonly ok: false; readonly error: string } {
    const history = this.engine.history
    if (!history) return { ok: false, error: 'this simulation keeps no history (see keepHistory)' }
    if (typeof t !== 'number' || !Number.isFinite(t)) return { ok: false, error: argumentError('t', t, 'must be a virtual time in milliseconds') }
    const to = Math.max(history.startAt, Math.min(t, this.now))
    try {
      const checkpoint = history.checkpointFor(to)
      const restored = restoreSimulation(checkpoint.snapshot)
      if (!restored.ok) return { ok: false, error: `the checkpoint cannot be restored: ${restored.error}` }
      const fork = restored.sim
      for (const { at, action } of history.actions.slice(checkpoint.actions)) {
        if (at > to) break
        if (at > fork.now) fork.engine.advance(at - fork.now)
        runAction(fork, action)
      }
      if (to > fork.now) fork.engine.advance(to - fork.now)
      const { events, total } = history.eventsUntil(to, { writes: true })
      fork.engine.rt.events.restore(events, total)
      fork.engine.history = history.prefix(to, fork.engine.rt.events)
      fork.engine.history.note(fork.engine.state)
      return { ok: true, sim: fork }
    } catch (e) {
      return { ok: false, error: `Internal error occurred: continue from ${to} ms: ${e instanceof Error ? e.message : String(e)}` }
    }
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
    return this.remember({ type: 'resolve', pod, name, queryType: type }, this.transaction(
      () => {
        const j: Journey = { state: this.engine.state, rng: this.engine.rt.rng.packets, config: this.engine.config, hops: [], phase: 'dns', keepAlive: false, opening: true }
        const result = resolveFrom(this.engine, j, p, runtime.resolvConf!, name, type)
        this.engine.state = j.state
        return result
      },
      (e) => unresolved(`Internal error occurred: resolve: ${e instanceof Error ? e.message : String(e)}`),
    ))
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
    return this.remember({ type: 'connect', from, target, ...(opts !== undefined ? { options: opts } : {}) }, this.transaction(
      () => connect(this.engine, from, target, opts),
      (e) => notConnected(`Internal error occurred: connect: ${e instanceof Error ? e.message : String(e)}`),
    ))
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
