import { Map as IMap } from 'immutable'
import type { Endpoints, EndpointSlice } from './model/endpointSlice'
import type { Fault } from './model/fault'
import type { IpvsServiceState } from './model/ipvs'
import type { KubeObject } from './model/meta'
import type { Namespace } from './model/namespace'
import type { Node } from './model/node'
import type { Pod } from './model/pod'
import type { ProxyMode } from './model/proxyMode'
import type { Service } from './model/service'
import type { ContainerEnv } from './model/containerEnv'
import type { Header } from './model/packet'
import type { Deployment, ReplicaSet } from './model/workloads'

/** A persistent map: updating returns a new map and leaves the old one intact, so a state is a cheap snapshot. */
export type Table<T> = IMap<string, T>

/** What a container saw when it started: fixed for its life, as on a real node. */
export interface ContainerRuntime {
  readonly node: string
  /** The pod it runs for: a pod deleted and made again under the same name (a bare pod) is another pod. */
  readonly uid?: string
  readonly startedAt?: number
  readonly readyAt?: number
  readonly exitAt?: number
  readonly env?: ContainerEnv
  readonly resolvConf?: string
}

/** The API objects a watcher (kube-proxy, CoreDNS) had in its cache when it last synced. */
export interface WatchView {
  readonly services: Table<Service>
  readonly endpointSlices: Table<EndpointSlice>
  readonly syncedAt: number
}

/** What one node's kube-proxy last synced, and in which mode it wrote it (unset: iptables, as before modes were kept). */
export interface ProxyView extends WatchView {
  readonly mode?: ProxyMode
}

/** A connection tracked by one node's netfilter: the original tuple and the reply tuple after NAT. */
export interface ConntrackEntry {
  readonly orig: Header
  readonly reply: Header
  readonly expiresAt: number
  /** Where the connection was DNAT-ed to, if it was. */
  readonly dnat?: { readonly ip: string; readonly port: number }
  /** Scheduled by IPVS (not DNAT-ed by a rule): its virtual server ("TCP 10.96.0.10:80"), for `ipvsadm -Lnc`. */
  readonly ipvs?: string
  /** A TCP connection that was closed: the entry waits out TIME_WAIT, and a new connection on its tuple starts afresh. */
  readonly closed?: boolean
}

/** One node's kernel state the dataplane keeps between packets: conntrack and the `recent` module's lists. */
export interface NodeNet {
  /** Keyed by both the original and the reply tuple. */
  readonly conntrack: IMap<string, { readonly entry: ConntrackEntry; readonly dir: 'orig' | 'reply' }>
  /** name -> source IP -> last seen (virtual ms). */
  readonly recent: IMap<string, IMap<string, number>>
  /** Table size at which expired entries are next swept (conntrack's garbage collection runs now and then, not per packet). */
  readonly sweepAt: number
  /** IPVS mode: per virtual server ("TCP 10.96.0.10:53"), the round-robin position and the counters `ipvsadm --stats` shows. */
  readonly ipvs?: IMap<string, IpvsServiceState>
}

/** One node's host-local IPAM: the next address to try and the addresses in use (IP -> pod key). */
export interface NodeIpam {
  readonly next: number
  readonly used: IMap<string, string>
}

/** The whole simulated cluster: API objects plus the per-node dataplane state derived from them. */
export interface ClusterState {
  /** Virtual milliseconds since the cluster was created. */
  readonly now: number
  readonly resourceVersion: number
  readonly namespaces: Table<Namespace>
  readonly nodes: Table<Node>
  readonly pods: Table<Pod>
  readonly deployments: Table<Deployment>
  readonly replicaSets: Table<ReplicaSet>
  readonly services: Table<Service>
  readonly endpointSlices: Table<EndpointSlice>
  readonly endpoints: Table<Endpoints>
  /** Objects stored but not simulated (ServiceAccount, ConfigMap, ...), keyed "apiVersion/kind/namespace/name". */
  readonly others: Table<KubeObject>
  readonly containers: IMap<string, ContainerRuntime>
  readonly ipam: IMap<string, NodeIpam>
  /** Per node: the images its container runtime holds (image as the pod spec names it -> since when it holds it, virtual ms). */
  readonly images: IMap<string, IMap<string, number>>
  /** Service ClusterIPs, NodePorts and load-balancer addresses in use, each -> the Service key. */
  readonly clusterIPs: IMap<string, string>
  readonly nodePorts: IMap<number, string>
  readonly loadBalancerIPs: IMap<string, string>
  /** kube-proxy's --proxy-mode, cluster-wide (its ConfigMap): the mode each kube-proxy runs in once (re)started. */
  readonly proxyMode: ProxyMode
  readonly proxies: IMap<string, ProxyView>
  /** Per running CoreDNS pod (its key): what its watch last took in, which is what it answers from. */
  readonly dns: IMap<string, WatchView>
  /** Per node: conntrack and `recent` lists (the dataplane's kernel state). */
  readonly net: IMap<string, NodeNet>
  /** The faults injected and not yet healed, keyed "fault|target" (see model/fault.ts). */
  readonly faults: IMap<string, Fault>
}

/** The simulated kinds and the table each lives in. */
export const KIND_TABLES = {
  Namespace: 'namespaces',
  Node: 'nodes',
  Pod: 'pods',
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  Service: 'services',
  EndpointSlice: 'endpointSlices',
  Endpoints: 'endpoints',
} as const

export type SimulatedKind = keyof typeof KIND_TABLES

export interface KindMap {
  Namespace: Namespace
  Node: Node
  Pod: Pod
  Deployment: Deployment
  ReplicaSet: ReplicaSet
  Service: Service
  EndpointSlice: EndpointSlice
  Endpoints: Endpoints
}

export const API_VERSIONS: Record<SimulatedKind, string> = {
  Namespace: 'v1',
  Node: 'v1',
  Pod: 'v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Service: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
  Endpoints: 'v1',
}

export const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['Namespace', 'Node'])

export function isSimulatedKind(kind: string): kind is SimulatedKind {
  return Object.prototype.hasOwnProperty.call(KIND_TABLES, kind)
}

export function emptyState(): ClusterState {
  const empty = IMap<string, never>()
  return {
    now: 0,
    resourceVersion: 1000,
    namespaces: empty,
    nodes: empty,
    pods: empty,
    deployments: empty,
    replicaSets: empty,
    services: empty,
    endpointSlices: empty,
    endpoints: empty,
    others: empty,
    containers: empty,
    ipam: empty,
    images: empty,
    clusterIPs: empty,
    nodePorts: IMap<number, string>(),
    loadBalancerIPs: empty,
    proxyMode: 'iptables',
    proxies: empty,
    dns: empty,
    net: empty,
    faults: empty,
  }
}

/** Keys of unsimulated objects: enough to tell a ConfigMap from a ServiceAccount of the same name. */
export function otherKey(obj: KubeObject): string {
  return `${obj.apiVersion}/${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`
}
