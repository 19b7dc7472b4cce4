import { SAFE_ALPHABET } from './hash'
import { etcdKey } from '../model/kinds'
import { deepEqual, keyOf, objectKey, type KubeObject } from '../model/meta'
import { KIND_TABLES, isSimulatedKind, otherKey, type ClusterState, type KindMap, type SimulatedKind, type Table } from '../state'
import type { ApiWrite } from './events'
import type { Runtime } from './runtime'
import { toTimestamp } from './time'
import { routeChange } from './watches'

/** Kinds whose metadata.generation the API server maintains (it counts spec changes). */
const GENERATION_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'EndpointSlice'])

/**
 * The API server's storage path: assigns uid, resourceVersion and timestamps, writes the object into its table (etcd),
 * keeps the indexes current, notifies the watching controllers, and records each write (who sent it, where etcd keeps
 * it, the new resourceVersion): the one place every write goes through. Validation and admission happen before this
 * (see admission/): what reaches here is accepted. One Api per writer (`as`), all sharing one store.
 */
export class Api {
  private readonly writers: Map<string, Api>

  constructor(private readonly rt: Runtime, readonly writer = 'kubectl', shared?: Map<string, Api>) {
    this.writers = shared ?? new Map([[writer, this]])
  }

  /** The same API server, for writes sent by `writer` (a controller's name; "kubelet" names the node from the object). */
  as(writer: string): Api {
    let api = this.writers.get(writer)
    if (!api) this.writers.set(writer, (api = new Api(this.rt, writer, this.writers)))
    return api
  }

  get<K extends SimulatedKind>(state: ClusterState, kind: K, key: string): KindMap[K] | undefined {
    return (state[KIND_TABLES[kind]] as Table<KindMap[K]>).get(key)
  }

  /** Stores a new object. `generateName` is honoured with 5 random characters, as the API server does. */
  create<T extends KubeObject>(state: ClusterState, obj: T): { state: ClusterState; object: T } {
    let meta = obj.metadata
    if (!meta.name && meta.generateName) {
      let name: string
      // SimpleNameGenerator: the base is cut to 58 characters so the name stays within 63.
      do name = meta.generateName.slice(0, 58) + this.rt.rng.names.string(SAFE_ALPHABET, 5)
      while (this.exists(state, obj.kind, keyOf(meta.namespace, name)))
      meta = { ...meta, name }
    }
    const rv = state.resourceVersion + 1
    meta = {
      ...meta,
      uid: meta.uid ?? this.uid(),
      resourceVersion: String(rv),
      creationTimestamp: meta.creationTimestamp ?? toTimestamp(state.now),
      ...(GENERATION_KINDS.has(obj.kind) ? { generation: 1 } : {}),
    }
    const object = { ...obj, metadata: meta } as T
    this.record(state.now, object, 'create', rv)
    return { state: this.write({ ...state, resourceVersion: rv }, object, undefined), object }
  }

  /**
   * Replaces a stored object. Writing an equal object is a no-op and returns the same state. `subresource` says the
   * write came through the scale subresource; a write that changes only the status is recorded as a status update.
   */
  update<T extends KubeObject>(state: ClusterState, obj: T, subresource?: 'scale'): ClusterState {
    const key = objectKey(obj)
    // With its apiVersion an unsimulated object is found by its key, not by a scan.
    const old = this.lookup(state, obj.kind, key, isSimulatedKind(obj.kind) ? undefined : obj.apiVersion)
    if (!old) return state
    const change = classify(old, obj)
    if (change === 'same') return state
    const rv = state.resourceVersion + 1
    const counted = GENERATION_KINDS.has(obj.kind)
    const specChanged = counted && change === 'changed' && (!deepEqual(old.spec, obj.spec) || !deepEqual(old['template'], obj['template']))
    const generation = counted ? (old.metadata.generation ?? 1) + (specChanged ? 1 : 0) : undefined
    const object = {
      ...obj,
      metadata: {
        ...obj.metadata,
        uid: old.metadata.uid,
        creationTimestamp: old.metadata.creationTimestamp,
        resourceVersion: String(rv),
        ...(generation !== undefined ? { generation } : {}),
      },
    } as T
    const marked = !old.metadata.deletionTimestamp && object.metadata.deletionTimestamp !== undefined
    this.record(state.now, object, marked ? 'delete' : 'update', rv, subresource ?? (change === 'status' ? 'status' : undefined))
    return this.write({ ...state, resourceVersion: rv }, object, old)
  }

  /** Removes an object from storage at once (the end of a graceful deletion, or a kind without one). */
  remove(state: ClusterState, kind: string, key: string, apiVersion?: string): ClusterState {
    const old = this.lookup(state, kind, key, apiVersion)
    if (!old) return state
    const next = isSimulatedKind(kind)
      ? { ...state, [KIND_TABLES[kind]]: (state[KIND_TABLES[kind]] as Table<KubeObject>).delete(key) }
      : { ...state, others: state.others.delete(otherKey(old)) }
    this.rt.index.update(kind, key, old, undefined)
    routeChange(this.rt, kind, key, old, undefined)
    this.record(state.now, old, 'delete', state.resourceVersion + 1, undefined, true)
    return { ...next, resourceVersion: state.resourceVersion + 1 }
  }

  lookup(state: ClusterState, kind: string, key: string, apiVersion?: string): KubeObject | undefined {
    return lookupObject(state, kind, key, apiVersion)
  }

  private exists(state: ClusterState, kind: string, key: string): boolean {
    return this.lookup(state, kind, key) !== undefined
  }

  private write(state: ClusterState, obj: KubeObject, old: KubeObject | undefined): ClusterState {
    const key = objectKey(obj)
    const next = isSimulatedKind(obj.kind)
      ? { ...state, [KIND_TABLES[obj.kind]]: (state[KIND_TABLES[obj.kind]] as Table<KubeObject>).set(key, obj) }
      : { ...state, others: state.others.set(otherKey(obj), obj) }
    this.rt.index.update(obj.kind, key, old, obj)
    routeChange(this.rt, obj.kind, key, old, obj)
    return next
  }

  /** The API server's record of one write: who, what, where etcd keeps it, at which resourceVersion. */
  private record(time: number, obj: KubeObject, verb: ApiWrite['verb'], rv: number, subresource?: ApiWrite['subresource'], removed = false): void {
    const { namespace, name } = obj.metadata
    const by = this.writer === 'kubelet' ? `kubelet/${obj.kind === 'Node' ? name : ((obj.spec as { nodeName?: string } | undefined)?.nodeName ?? '')}` : this.writer
    const object = `${obj.kind} ${namespace ? `${namespace}/` : ''}${name}`
    const key = etcdKey(obj.kind, namespace, name, isSimulatedKind(obj.kind) ? undefined : obj.apiVersion)
    let message: string
    if (removed) message = `${by} deleted ${object}: removed ${key} from etcd (resourceVersion ${rv})`
    else if (verb === 'delete') message = `${by} deleted ${object}: marked for graceful deletion (${obj.metadata.deletionGracePeriodSeconds ?? 0}s), stored at ${key}, resourceVersion ${rv}`
    else if (subresource === 'scale') message = `${by} scaled ${object} to ${(obj.spec as { replicas?: number }).replicas} replicas (the scale subresource): stored at ${key}, resourceVersion ${rv}`
    else message = `${by} ${verb === 'create' ? 'created' : subresource === 'status' ? 'updated the status of' : 'updated'} ${object}: stored at ${key}, resourceVersion ${rv}`
    const watch = removed ? 'DELETED' : verb === 'create' ? 'ADDED' : 'MODIFIED'
    const watchers = WATCHERS[obj.kind]
    this.rt.record({ time, actor: 'API server', action: verb, object, message, write: { by, verb, ...(subresource ? { subresource } : {}), key, resourceVersion: String(rv), watch, ...(watchers ? { watchers } : {}) } })
  }

  /** A random RFC 4122 version 4 UUID from the simulation RNG. */
  uid(): string {
    const hex = '0123456789abcdef'
    const r = (n: number) => this.rt.rng.names.string(hex, n)
    return `${r(8)}-${r(4)}-4${r(3)}-${'89ab'[this.rt.rng.names.int(4)]}${r(3)}-${r(12)}`
  }
}

/**
 * Who watches each kind, as the components' informers are set up upstream (the kube-controller-manager's controllers,
 * the scheduler, each kubelet for its own pods, each node's kube-proxy, CoreDNS's kubernetes plugin). A write's watch
 * event goes to all of them; each acts on it in its own time (CoreDNS and kube-proxy a moment later, see TIMING).
 */
const WATCHERS: Readonly<Record<string, readonly string[]>> = {
  Service: ['endpointslice-controller', 'endpoints-controller', 'service-lb-controller', 'CoreDNS', 'kube-proxy on every node'],
  EndpointSlice: ['endpointslice-controller', 'endpointslice-mirroring-controller', 'CoreDNS', 'kube-proxy on every node'],
  Endpoints: ['endpointslice-mirroring-controller'],
  Pod: ['replicaset-controller', 'daemonset-controller', 'endpointslice-controller', 'endpoints-controller', 'default-scheduler', 'the kubelet of its node'],
  Deployment: ['deployment-controller'],
  ReplicaSet: ['replicaset-controller', 'deployment-controller'],
  DaemonSet: ['daemonset-controller'],
  Node: ['default-scheduler', 'daemonset-controller', 'kube-proxy on every node'],
  Namespace: ['namespace-controller', 'serviceaccount-controller', 'root-ca-cert-publisher'],
}

/** Equal apart from resourceVersion. */
function sameMeta(a: KubeObject['metadata'], b: KubeObject['metadata']): boolean {
  if (a === b) return true
  const am = a as unknown as Record<string, unknown>
  const bm = b as unknown as Record<string, unknown>
  for (const k in am) if (k !== 'resourceVersion' && am[k] !== bm[k] && !deepEqual(am[k], bm[k])) return false
  for (const k in bm) if (k !== 'resourceVersion' && !(k in am) && bm[k] !== undefined) return false
  return true
}

/**
 * What a write would change, in one pass: nothing a watcher could see (writing it is a no-op), only the status (a
 * status update, as kubelets and controllers send them), or more.
 */
function classify(a: KubeObject, b: KubeObject): 'same' | 'status' | 'changed' {
  if (a === b) return 'same'
  if (!sameMeta(a.metadata, b.metadata)) return 'changed'
  let status = false
  for (const k in a) {
    if (k === 'metadata' || a[k] === b[k] || deepEqual(a[k], b[k])) continue
    if (k !== 'status') return 'changed'
    status = true
  }
  for (const k in b) {
    if (k in a || b[k] === undefined) continue
    if (k !== 'status') return 'changed'
    status = true
  }
  return status ? 'status' : 'same'
}

/** The stored object of a kind under "namespace/name" (or "name"), whichever table holds it. */
export function lookupObject(state: ClusterState, kind: string, key: string, apiVersion?: string): KubeObject | undefined {
  if (isSimulatedKind(kind)) return (state[KIND_TABLES[kind]] as Table<KubeObject>).get(key)
  const [ns, name] = key.includes('/') ? key.split('/') : ['', key]
  if (apiVersion) return state.others.get(`${apiVersion}/${kind}/${ns}/${name}`)
  return state.others.find((o) => o.kind === kind && (o.metadata.namespace ?? '') === ns && o.metadata.name === name)
}
