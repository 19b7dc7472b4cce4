import type { KubeObject } from '../sim/model/meta'
import { API_VERSIONS, KIND_TABLES, type ClusterState, type SimulatedKind, type Table } from '../sim/state'
import type { ObjectSource } from './objects'
import type { ServedResource } from './resources'
import type { ObjectFilter } from './selectors'

/** A watch event's type, as the API server streams it. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

/** One change to one object, as the hub saw it between two states. */
interface Change {
  readonly type: WatchEventType
  /** "group/Kind": which resource's watchers it is for. */
  readonly id: string
  readonly old?: KubeObject
  readonly object: KubeObject
  readonly rv: number
}

/** What a watch asks for, and where its events go (objects on the virtual clock; the caller encodes them). */
export interface WatchRequest {
  readonly resource: ServedResource
  readonly namespace?: string
  readonly filter: ObjectFilter
  readonly send: (type: WatchEventType, object: KubeObject) => void
}

const HISTORY = 20_000
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '')
const idOf = (r: Pick<ServedResource, 'group' | 'kind'>) => (r.kind === 'Event' ? '/Event' : `${r.group}/${r.kind}`)
const SIMULATED = Object.entries(KIND_TABLES) as [SimulatedKind, keyof ClusterState][]

/**
 * Watches, computed the way etcd's watch would see them: after each advance or write, the engine's tables are
 * compared with the state last published (a table that is the same object did not change; in one that changed, an
 * entry that is not the same object was written), and each change goes to the watchers of its kind whose namespace and
 * selectors it matches. An object that stops matching a watch's selector leaves it as DELETED, one that starts
 * matching enters as ADDED. Recent changes are kept, so that a watch from a list's resourceVersion misses nothing.
 */
export class WatchHub {
  private prev: ClusterState
  private prevEvents: Map<string, KubeObject> | undefined
  private history: Change[] = []
  private readonly watchers = new Set<WatchRequest>()

  constructor(private readonly source: ObjectSource) {
    this.prev = source.sim.state
  }

  /** How many watches are open. */
  get size(): number {
    return this.watchers.size
  }

  /** Opens a watch: from `resourceVersion` (recent changes after it replayed), or with every object ADDED first when none is given. */
  subscribe(w: WatchRequest, resourceVersion: number | undefined): () => void {
    this.publish()
    if (w.resource.kind === 'Event' && !this.prevEvents) this.prevEvents = new Map(this.source.events.list().map((e) => [e.metadata.name, e]))
    if (resourceVersion === undefined || resourceVersion === 0) {
      for (const o of this.source.list(w.resource, w.namespace)) if (w.filter(o)) w.send('ADDED', o)
    } else {
      const id = idOf(w.resource)
      for (const c of this.history) if (c.rv > resourceVersion && c.id === id) deliver(w, c)
    }
    this.watchers.add(w)
    return () => {
      this.watchers.delete(w)
      if (![...this.watchers].some((x) => x.resource.kind === 'Event')) this.prevEvents = undefined
    }
  }

  /** Finds what changed since the last call and sends it to the watchers. Call after every advance and every write. */
  publish(): void {
    const state = this.source.sim.state
    const changes: Change[] = []
    if (state !== this.prev) {
      for (const [kind, table] of SIMULATED) {
        const before = this.prev[table] as Table<KubeObject>
        const after = state[table] as Table<KubeObject>
        if (before !== after) diff(before, after, `${groupOf(API_VERSIONS[kind])}/${kind}`, state.resourceVersion, changes)
      }
      if (state.others !== this.prev.others) diffOthers(this.prev.others, state.others, state.resourceVersion, changes)
      this.prev = state
    }
    if (this.prevEvents) {
      const next = new Map(this.source.events.list().map((e) => [e.metadata.name, e]))
      diff(this.prevEvents, next, '/Event', state.resourceVersion, changes)
      this.prevEvents = next
    }
    if (changes.length === 0) return
    this.history.push(...changes)
    if (this.history.length > HISTORY * 1.25) this.history = this.history.slice(-HISTORY)
    for (const w of this.watchers) {
      const id = idOf(w.resource)
      for (const c of changes) if (c.id === id) deliver(w, c)
    }
  }
}

/** A table of objects by key: the engine's immutable maps, or the events' Map. */
type Entries = { get(k: string): KubeObject | undefined; entries(): Iterable<[string, KubeObject]> }

function diff(before: Entries, after: Entries, id: string, stateRv: number, out: Change[]): void {
  for (const [k, obj] of after.entries()) {
    const old = before.get(k)
    if (old === obj) continue
    out.push(old ? { type: 'MODIFIED', id, old, object: obj, rv: Number(obj.metadata.resourceVersion) } : { type: 'ADDED', id, object: obj, rv: Number(obj.metadata.resourceVersion) })
  }
  for (const [k, old] of before.entries()) if (after.get(k) === undefined) out.push(deleted(old, id, stateRv))
}

/** `others` holds every unsimulated kind in one table: each change is routed by its object's group and kind. */
function diffOthers(before: Table<KubeObject>, after: Table<KubeObject>, stateRv: number, out: Change[]): void {
  const id = (o: KubeObject) => `${groupOf(o.apiVersion)}/${o.kind}`
  for (const [k, obj] of after) {
    const old = before.get(k)
    if (old !== obj) out.push(old ? { type: 'MODIFIED', id: id(obj), old, object: obj, rv: Number(obj.metadata.resourceVersion) } : { type: 'ADDED', id: id(obj), object: obj, rv: Number(obj.metadata.resourceVersion) })
  }
  for (const [k, old] of before) if (!after.has(k)) out.push(deleted(old, id(old), stateRv))
}

/** A DELETED event carries the object as last stored, at the resourceVersion of its deletion. */
const deleted = (old: KubeObject, id: string, rv: number): Change => ({ type: 'DELETED', id, object: { ...old, metadata: { ...old.metadata, resourceVersion: String(rv) } }, rv })

function deliver(w: WatchRequest, c: Change): void {
  const inScope = (o: KubeObject | undefined) => o !== undefined && (w.namespace === undefined || !w.resource.namespaced || o.metadata.namespace === w.namespace) && w.filter(o)
  if (c.type !== 'MODIFIED') {
    if (inScope(c.object)) w.send(c.type, c.object)
    return
  }
  const was = inScope(c.old)
  const is = inScope(c.object)
  if (was && is) w.send('MODIFIED', c.object)
  else if (is) w.send('ADDED', c.object)
  else if (was) w.send('DELETED', c.object)
}
