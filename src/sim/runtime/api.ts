import { SAFE_ALPHABET } from './hash'
import { deepEqual, keyOf, objectKey, type KubeObject } from '../model/meta'
import { KIND_TABLES, isSimulatedKind, otherKey, type ClusterState, type KindMap, type SimulatedKind, type Table } from '../state'
import type { Runtime } from './runtime'
import { toTimestamp } from './time'
import { routeChange } from './watches'

/** Kinds whose metadata.generation the API server maintains (it counts spec changes). */
const GENERATION_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'EndpointSlice'])

/**
 * The API server's storage path: assigns uid, resourceVersion and timestamps, writes the object into its table (etcd),
 * keeps the indexes current and notifies the watching controllers. Validation and admission happen before this
 * (see admission/): what reaches here is accepted.
 */
export class Api {
  constructor(private readonly rt: Runtime) {}

  get<K extends SimulatedKind>(state: ClusterState, kind: K, key: string): KindMap[K] | undefined {
    return (state[KIND_TABLES[kind]] as Table<KindMap[K]>).get(key)
  }

  /** Stores a new object. `generateName` is honoured with 5 random characters, as the API server does. */
  create<T extends KubeObject>(state: ClusterState, obj: T): { state: ClusterState; object: T } {
    let meta = obj.metadata
    if (!meta.name && meta.generateName) {
      let name: string
      // SimpleNameGenerator: the base is cut to 58 characters so the name stays within 63.
      do name = meta.generateName.slice(0, 58) + this.rt.rng.string(SAFE_ALPHABET, 5)
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
    return { state: this.write({ ...state, resourceVersion: rv }, object, undefined), object }
  }

  /** Replaces a stored object. Writing an equal object is a no-op and returns the same state. */
  update<T extends KubeObject>(state: ClusterState, obj: T): ClusterState {
    const key = objectKey(obj)
    // With its apiVersion an unsimulated object is found by its key, not by a scan.
    const old = this.lookup(state, obj.kind, key, obj.apiVersion)
    if (!old) return state
    if (sameContent(old, obj)) return state
    const rv = state.resourceVersion + 1
    const specChanged = !deepEqual(old.spec, obj.spec) || !deepEqual(old['template'], obj['template'])
    const generation = GENERATION_KINDS.has(obj.kind) ? (old.metadata.generation ?? 1) + (specChanged ? 1 : 0) : undefined
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
    return { ...next, resourceVersion: state.resourceVersion + 1 }
  }

  lookup(state: ClusterState, kind: string, key: string, apiVersion?: string): KubeObject | undefined {
    if (isSimulatedKind(kind)) return (state[KIND_TABLES[kind]] as Table<KubeObject>).get(key)
    const [ns, name] = key.includes('/') ? key.split('/') : ['', key]
    if (apiVersion) return state.others.get(`${apiVersion}/${kind}/${ns}/${name}`)
    return state.others.find((o) => o.kind === kind && (o.metadata.namespace ?? '') === ns && o.metadata.name === name)
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

  /** A random RFC 4122 version 4 UUID from the simulation RNG. */
  uid(): string {
    const hex = '0123456789abcdef'
    const r = (n: number) => this.rt.rng.string(hex, n)
    return `${r(8)}-${r(4)}-4${r(3)}-${'89ab'[this.rt.rng.int(4)]}${r(3)}-${r(12)}`
  }
}

/** Equal apart from resourceVersion: writing it would change nothing a watcher could see. */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  if (a === b) return true
  const { resourceVersion: _ra, ...ma } = a.metadata
  const { resourceVersion: _rb, ...mb } = b.metadata
  if (!deepEqual(ma, mb)) return false
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (k === 'metadata') continue
    if (!deepEqual(a[k], b[k])) return false
  }
  return true
}
