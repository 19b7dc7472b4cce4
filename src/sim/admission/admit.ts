import type { ClusterConfig } from '../config'
import { invalidObjectMessage, type FieldError } from '../model/fieldErrors'
import { mapKind, pluralName, splitApiVersion, type KindInfo } from '../model/kinds'
import { keyOf, type KubeObject, type ObjectMeta } from '../model/meta'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { isSimulatedKind, KIND_TABLES, type ClusterState, type Table } from '../state'
import { admitKind } from './admitKinds'
import { decodeObject } from './decode'
import { MAX_DEPTH, MAX_ETCD_BYTES, measureBody } from './requestLimits'
import type { Claims } from './serviceAllocation'

/** One object that passed (or failed) admission. */
export interface Admitted {
  readonly kind: string
  readonly key: string
  readonly object: KubeObject
  /** The object as stored, or as admitted earlier in the same apply. */
  readonly old: KubeObject | undefined
  /** kubectl-style lines; empty when the object is accepted. */
  readonly errors: { path: string; message: string; field?: string }[]
  /** kubectl's "Warning: ..." lines (non-standard IP forms). */
  readonly warnings: string[]
}

/** What the objects before this one in the same apply have claimed: later objects see them as stored. */
export interface Batch {
  readonly claims: Claims
  /** "Kind|key" -> the object admitted for it. */
  readonly pending: Map<string, KubeObject>
  /** Nodes and pods the cluster would hold once the batch is written. */
  nodes: number
  pods: number
}

export function newBatch(state: ClusterState): Batch {
  return { claims: { ips: new Map(), ports: new Map() }, pending: new Map(), nodes: state.nodes.size, pods: state.pods.size }
}

/** Where the input came from: YAML text kubectl converted to JSON, or objects given to the engine's API. */
export type Source = 'yaml' | 'object'

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Server-managed metadata a manifest may carry (from `kubectl get -o yaml`): the API server sets its own on create. */
const SERVER_FIELDS = ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink'] as const

/** Custom resources have no scope the simulation knows: cluster-scoped when the name says so and no namespace is given. */
function clusterScoped(kind: string, info: KindInfo | undefined, meta: ObjectMeta): boolean {
  if (info) return !info.namespaced
  return meta.namespace === undefined && /^Cluster/.test(kind)
}

/**
 * Admission for one manifest object, as the API server would do it: the request limits, the REST mapping, decoding
 * into the kind's types, the namespace's lifecycle, defaults, validation with field paths, immutable fields on update,
 * and allocation checks. Nothing is written here; `batch` records what this object claims.
 */
export function admit(state: ClusterState, raw: unknown, config: ClusterConfig, batch: Batch, source: Source): Admitted {
  const fail = (message: string, path = '', kind = '', key = ''): Admitted => ({ kind, key, object: raw as KubeObject, old: undefined, errors: [{ path, message }], warnings: [] })
  const parsing = source === 'yaml' ? 'error: error parsing STDIN: error converting YAML to JSON: ' : 'error: '
  if (!isMapping(raw)) {
    const kind = Array.isArray(raw) ? 'array' : typeof raw === 'boolean' ? 'bool' : raw === null || raw === undefined ? 'null' : typeof raw === 'string' || typeof raw === 'number' ? typeof raw : 'object'
    return fail(`error: unable to decode "STDIN": json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`)
  }
  const body = measureBody(raw)
  if ('kind' in body) {
    if (body.kind === 'unsupported') return fail(`${parsing}json: ${body.detail}`)
    if (body.kind === 'depth') return fail(`${parsing}json: exceeded max depth of ${MAX_DEPTH}`)
  }
  const apiVersion = raw['apiVersion']
  const kind = raw['kind']
  const missing = [...(typeof apiVersion === 'string' && apiVersion ? [] : ['apiVersion not set']), ...(typeof kind === 'string' && kind ? [] : ['kind not set'])]
  // kubectl's client-side validation (kubectl/pkg/validation): an aggregate of the two errors, bracketed when both.
  const aggregate = missing.length === 1 ? missing[0]! : `[${missing.join(', ')}]`
  if (missing.length) return fail(`error: error validating "STDIN": error validating data: ${aggregate}; if you choose to ignore these errors, turn validation off with --validate=false`, missing.length === 2 ? '' : missing[0]!.split(' ')[0]!)
  const rawMeta = isMapping(raw['metadata']) ? raw['metadata'] : {}
  const shownName = typeof rawMeta['name'] === 'string' ? rawMeta['name'] : ''
  const mapping = mapKind(apiVersion as string, kind as string)
  if (!mapping.ok) {
    return fail(`resource mapping not found for name: "${shownName}" namespace: "${typeof rawMeta['namespace'] === 'string' ? rawMeta['namespace'] : ''}" from "STDIN": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`, 'kind', kind as string)
  }
  if ('kind' in body) return fail(`Error from server (RequestEntityTooLarge): error when creating "STDIN": Request entity too large: limit is ${body.limit}`, '', kind as string)
  const decoded = decodeObject(kind as string, raw)
  const version = splitApiVersion(apiVersion as string).version
  if (!decoded.ok) {
    return fail(`Error from server (BadRequest): error when creating "STDIN": ${kind} in version "${version}" cannot be handled as a ${kind}: ${decoded.error.message}`, decoded.error.path, kind as string)
  }
  const obj = decoded.object as unknown as KubeObject
  const meta = (obj.metadata ?? {}) as ObjectMeta
  if (!meta.name) return fail('error: resource name may not be empty', 'metadata.name', kind as string)
  const scoped = clusterScoped(kind as string, mapping.info, meta)
  const namespace = scoped ? undefined : (meta.namespace || 'default')
  const key = keyOf(namespace, meta.name)
  const resource = pluralName(kind as string, apiVersion as string)
  const old = batch.pending.get(`${kind}|${key}`) ?? lookup(state, kind as string, apiVersion as string, key)
  if (namespace !== undefined) {
    const ns = batch.pending.get(`Namespace|${namespace}`) ?? state.namespaces.get(namespace)
    if (!ns) return fail(`Error from server (NotFound): error when creating "STDIN": namespaces "${namespace}" not found`, 'metadata.namespace', kind as string, key)
    if (!old && (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      return fail(`Error from server (Forbidden): error when creating "STDIN": ${resource} "${meta.name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, 'metadata.namespace', kind as string, key)
    }
  }
  if (!old && meta.resourceVersion) return fail('Error from server (BadRequest): error when creating "STDIN": resourceVersion should not be set on objects to be created', 'metadata.resourceVersion', kind as string, key)
  if (old?.metadata.resourceVersion && meta.resourceVersion && meta.resourceVersion !== old.metadata.resourceVersion) {
    return fail(`Error from server (Conflict): error when applying patch: Operation cannot be fulfilled on ${resource} "${meta.name}": the object has been modified; please apply your changes to the latest version and try again`, 'metadata.resourceVersion', kind as string, key)
  }
  const cleanMeta: Record<string, unknown> = { ...meta }
  for (const f of SERVER_FIELDS) delete cleanMeta[f]
  // A cluster-scoped object has no namespace, whatever the manifest says.
  delete cleanMeta['namespace']
  const object = { ...obj, apiVersion, kind, metadata: { ...cleanMeta, name: meta.name, ...(namespace !== undefined ? { namespace } : {}) } } as KubeObject
  const result = admitKind(state, object, old, config, batch)
  const errors: FieldError[] = result.errors
  if (errors.length === 0) errors.push(...limits(kind as string, result.object, old, config, batch))
  if (errors.length === 0 && 'kind' in measureBody(result.object, MAX_ETCD_BYTES)) {
    return fail('Error from server: error when creating "STDIN": etcdserver: request is too large', '', kind as string, key)
  }
  if (errors.length === 0) batch.pending.set(`${kind}|${key}`, result.object)
  return {
    kind: kind as string,
    key,
    object: result.object,
    old,
    errors: errors.map((e) => (e.path.startsWith('!') ? { path: e.path.slice(1), message: e.message } : { path: e.path, message: invalidObjectMessage(kind as string, meta.name, [e]), field: e.message })),
    warnings: result.warnings,
  }
}

function lookup(state: ClusterState, kind: string, apiVersion: string, key: string): KubeObject | undefined {
  if (isSimulatedKind(kind)) return (state[KIND_TABLES[kind]] as Table<KubeObject>).get(key)
  const [ns, name] = key.includes('/') ? key.split('/') : ['', key]
  return state.others.get(`${apiVersion}/${kind}/${ns}/${name}`)
}

/**
 * The simulator's own limits (nodes and pods a browser tab can hold), counted over the whole batch. Their errors are
 * whole lines (path marked "!"), not field errors of the object.
 */
function limits(kind: string, object: KubeObject, old: KubeObject | undefined, config: ClusterConfig, batch: Batch): FieldError[] {
  const name = object.metadata.name
  if (kind === 'Node' && !old) {
    batch.nodes++
    if (batch.nodes > config.maxNodes) return [{ path: '!metadata.name', message: `The Node "${name}" is invalid: the simulator holds at most ${config.maxNodes} nodes` }]
  }
  const replicas = (o: KubeObject | undefined) => (o as Deployment | ReplicaSet | undefined)?.spec?.replicas ?? 0
  const delta = kind === 'Deployment' || kind === 'ReplicaSet' ? replicas(object) - replicas(old) : kind === 'Pod' && !old ? 1 : 0
  batch.pods += delta
  if (delta > 0 && batch.pods > config.maxPods) {
    return [{ path: '!spec.replicas', message: `The ${kind} "${name}" is invalid: spec.replicas: Invalid value: ${replicas(object)}: the simulator holds at most ${config.maxPods} pods, and this would make ${batch.pods}` }]
  }
  return []
}
