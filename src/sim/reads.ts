import type { ClusterConfig } from './config'
import { needName, needNamespace, needOptions } from './commands/arguments'
import { kindOf, noResourceType } from './commands/deleteObject'
import type { ActionResult, SimAction } from './actions'
import { nodeRuleCount, renderTables } from './controllers/kubeProxy/iptables/nodeTables'
import { flattenEnv } from './controllers/serviceEnv'
import { kernelOf, tablesOf } from './dataplane/journey'
import { modeOf, sharedRuleCount, type NodeProxyRules } from './controllers/kubeProxy/proxyRules'
import type { ProxyMode } from './model/proxyMode'
import { dnsRecords, type DnsRecord } from './dns/records'
import { formatTable, printTable, type PrintedTable } from './kubectl/printers'
import { toYaml } from './manifests/yaml'
import { builtinKind } from './model/kinds'
import { keyOf, type KubeObject } from './model/meta'
import { nodeInternalIP } from './model/node'
import type { Pod } from './model/pod'
import { lookupObject } from './runtime/api'
import type { EventFilter, SimEvent } from './runtime/events'
import { CLUSTER_EPOCH_MS } from './runtime/time'
import { canonicalIptablesSave, ctime } from './shell/iptablesSave'
import { run as runLine } from './shell/run'
import type { RunOptions, RunResult } from './shell/types'
import { emptyState, isSimulatedKind, KIND_TABLES, type ClusterState, type Table } from './state'

/** `table`'s answer: kubectl's columns and rows, or the error kubectl would print instead. */
export interface TableResult extends PrintedTable {
  readonly error?: string
}

/** Where reads find the story: the live event log, or the history's events up to a moment. */
export interface EventSource {
  list(filter: EventFilter): SimEvent[]
  recent(n: number, filter: EventFilter): SimEvent[]
  since(t: number, filter: EventFilter): SimEvent[]
  readonly total: number
}

type GetOptions = { namespace?: string; allNamespaces?: boolean; wide?: boolean }
const GET_OPTIONS = { namespace: 'string', allNamespaces: 'boolean', wide: 'boolean' } as const
/** Stands for the time in a converted iptables-save text until it is printed. */
const SAVED_AT = '\u0000saved-at\u0000'

const byNamespaceAndName = (a: KubeObject, b: KubeObject) => {
  const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name}`
  const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`
  return ka < kb ? -1 : ka > kb ? 1 : 0
}

/**
 * Everything a simulation answers about its cluster, as pure functions of one state (and the story up to it): the live
 * Simulation reads its current state, a view of the past (`sim.at(t)`) the state it had then. No read throws.
 */
export abstract class ClusterReads {
  /** The whole cluster as one immutable value; a new object after every change, the same one when nothing changed. */
  abstract get state(): ClusterState
  /** The cluster's configuration (CIDRs, DNS domain, limits). */
  abstract get config(): ClusterConfig
  protected abstract get eventLog(): EventSource
  /** What a command line typed here sends when it would change the cluster. */
  abstract dispatch(action: SimAction): ActionResult

  /** Virtual milliseconds since the cluster was created. */
  get now(): number {
    return this.state.now
  }

  /** A read: never throws; `fallback` when the engine fails to answer. */
  protected read<T>(run: () => T, fallback: T): T {
    try {
      return run()
    } catch {
      return fallback
    }
  }

  private kindOf(kind: unknown): string | undefined {
    return typeof kind === 'string' && kind !== '' ? kindOf(this.state, kind) : undefined
  }

  /** The stored objects of a kind, sorted by namespace and name, as plain API objects; [] for a kind with none. */
  list(kind: string, namespace?: string): KubeObject[] {
    const k = this.kindOf(kind)
    if (!k || needNamespace(namespace)) return []
    return this.read(() => {
      const table: Iterable<KubeObject> = isSimulatedKind(k) ? (this.state[KIND_TABLES[k]] as Table<KubeObject>).values() : this.state.others.filter((o) => o.kind === k).values()
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
    return this.read(() => lookupObject(this.state, k, keyOf(ns, name)), undefined)
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
    return [...this.state.others.values()].sort(byNamespaceAndName)
  }

  /**
   * The node's *filter and *nat tables as kube-proxy writes them (its iptables-restore input, chains grouped and
   * services ordered as kube-proxy's own tests print them), preceded by the built-in chains and the jumps into them,
   * with flannel's chains (FLANNEL-POSTRTG, FLANNEL-FWD) and jumps as flannel writes them.
   * Built from the Services and EndpointSlices kube-proxy on that node saw at its last sync. Undefined for no such node.
   */
  kubeProxyRules(nodeName: string): string | undefined {
    if (typeof nodeName !== 'string' || !this.state.nodes.has(nodeName)) return undefined
    return this.read(() => renderTables(tablesOf(this.state, nodeName, this.config.podCIDR.text)), undefined)
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
    const node = typeof nodeName === 'string' ? this.state.nodes.get(nodeName) : undefined
    if (!node) return undefined
    const view = this.proxyView(nodeName)
    if (modeOf(view) !== 'iptables') return this.read(() => sharedRuleCount(view, { name: nodeName, ip: nodeInternalIP(node), podCIDR: node.spec.podCIDR }, this.config.podCIDR.text), undefined)
    return this.read(() => nodeRuleCount(view, { name: nodeName, ip: nodeInternalIP(node) }, this.config.podCIDR.text), undefined)
  }

  /** kube-proxy's --proxy-mode for the cluster (each node's kube-proxy runs in it once it has restarted). */
  get proxyMode(): ProxyMode {
    return this.state.proxyMode
  }

  /**
   * What kube-proxy wrote on the node, structured, in the mode it last synced in: the iptables tables; IPVS's virtual
   * servers, ipsets and kube-ipvs0 addresses; or the nftables table. Undefined for no such node.
   */
  proxyRules(nodeName: string): NodeProxyRules | undefined {
    if (typeof nodeName !== 'string' || !this.state.nodes.has(nodeName)) return undefined
    return this.read(() => kernelOf(this.state, nodeName, this.config.podCIDR.text).proxy, undefined)
  }

  private proxyView(nodeName: string) {
    const empty = emptyState()
    return this.state.proxies.get(nodeName) ?? { services: empty.services, endpointSlices: empty.endpointSlices, syncedAt: -1 }
  }

  /** The pod "ns/name" (or "name" in default), when there is one. */
  protected pod(pod: unknown): Pod | undefined {
    if (typeof pod !== 'string' || pod === '') return undefined
    return this.state.pods.get(pod.includes('/') ? pod : `default/${pod}`)
  }

  /** Why `pod` cannot be looked into, as kubectl exec would say; undefined when its container runs. */
  containerProblem(pod: unknown): string | undefined {
    const bad = needName('pod', pod)
    if (bad) return bad
    const p = this.pod(pod)
    if (!p) return `Error from server (NotFound): pods "${String(pod).split('/').pop()}" not found`
    const runtime = this.state.containers.get(`${p.metadata.namespace}/${p.metadata.name}`)
    if (!runtime?.resolvConf || !p.status.podIP) return `error: unable to upgrade connection: container not found ("${p.spec.containers[0]?.name}")`
    return undefined
  }

  /** The container's environment as fixed when it started (service links included); undefined until it runs. */
  env(pod: string): Record<string, string> | undefined {
    if (this.containerProblem(pod)) return undefined
    const p = this.pod(pod)!
    return this.read(() => flattenEnv(this.state.containers.get(`${p.metadata.namespace}/${p.metadata.name}`)!.env!), undefined)
  }

  /** /etc/resolv.conf inside the pod, as the kubelet wrote it at container start; undefined until it runs. */
  resolvConf(pod: string): string | undefined {
    if (this.containerProblem(pod)) return undefined
    const p = this.pod(pod)!
    return this.state.containers.get(`${p.metadata.namespace}/${p.metadata.name}`)!.resolvConf
  }

  /**
   * The records a CoreDNS pod (`kube-system/<name>`, or just its name) answers from right now: what its own watch
   * last took in. Without a pod, the running pod whose watch caught up last. Empty when no CoreDNS pod runs.
   */
  dnsRecords(pod?: string): DnsRecord[] {
    return this.read(() => {
      const views = this.state.dns
      const key = pod === undefined ? undefined : pod.includes('/') ? pod : `kube-system/${pod}`
      let view = key === undefined ? undefined : views.get(key)
      if (key === undefined) for (const v of views.values()) if (!view || v.syncedAt > view.syncedAt) view = v
      return view ? dnsRecords(view, this.config.clusterDomain) : []
    }, [])
  }

  /** The newest `n` events (cheap: for views that redraw every frame); `{ writes: true }` adds the API server's writes. */
  recentEvents(n: number, filter?: EventFilter): SimEvent[] {
    if (typeof n !== 'number' || !(n >= 0)) return []
    return this.eventLog.recent(Math.floor(Math.min(n, 1e9)), filter ?? {})
  }

  /** The events of the last moment: those at or after virtual time `t` (ms), oldest first. */
  eventsSince(t: number, filter?: EventFilter): SimEvent[] {
    if (typeof t !== 'number' || Number.isNaN(t)) return []
    return this.eventLog.since(t, filter ?? {})
  }

  /** How many events have been recorded in all: changes exactly when a new event arrives. */
  get eventCount(): number {
    return this.eventLog.total
  }

  /**
   * The story so far: who did what to which object, when and why (the newest 20,000). `{ writes: true }` adds the API
   * server's record of every write (its newest 20,000), each with `write` set.
   */
  events(filter?: EventFilter): SimEvent[] {
    return this.eventLog.list(filter ?? {})
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

}
