import { Map as IMap } from 'immutable'
import { decodeObject } from '../admission/decode'
import { validateLabels, type FieldError } from '../model/fieldErrors'
import { keyOf, type KubeObject } from '../model/meta'
import type { Pod } from '../model/pod'
import { validatePodSpec } from '../model/podSpecAdmission'
import type { Service } from '../model/service'
import { validateService } from '../model/serviceAdmission'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { validateDeployment, validateReplicaSet } from '../model/workloadAdmission'
import { isIPv4 } from '../runtime/ip'
import { API_VERSIONS, CLUSTER_SCOPED, isSimulatedKind, otherKey, type SimulatedKind } from '../state'
import { statusError } from './statusShapes'

/** A plain object (not an array, a JS Map or Set, or an Immutable Map). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype
}

const isStringMap = (v: unknown) => isRecord(v) && Object.values(v).every((x) => typeof x === 'string')
const isList = (v: unknown, item: (x: unknown) => boolean) => Array.isArray(v) && v.every(item)

/**
 * Checks one object as the state stores it, the way the engine relies on it: its table key, kind and apiVersion, the
 * metadata the API server sets, and the spec through the same validation and strict decoding `apply` uses. Returns
 * what is wrong, naming the object and the field, or undefined. Each distinct object is checked once (`seen`): the watch
 * views share most of theirs with the state.
 */
export function storedObjectError(kind: string, key: string, obj: unknown, maxResourceVersion: number, seen: WeakSet<object>): string | undefined {
  if (isRecord(obj) && seen.has(obj)) return undefined
  const error = check(kind, key, obj, maxResourceVersion)
  if (error) return error
  seen.add(obj as object)
  return undefined
}

function check(kind: string, key: string, obj: unknown, maxResourceVersion: number): string | undefined {
  const simulated = isSimulatedKind(kind)
  const name = simulated ? `${kind} "${key}"` : `the object stored as "${key}"`
  if (!isRecord(obj)) return `${name} is not an object`
  if (simulated ? obj['kind'] !== kind : typeof obj['kind'] !== 'string' || isSimulatedKind(obj['kind'])) return `${name}: kind: must be ${simulated ? kind : 'a kind the simulator stores without simulating'}`
  if (simulated ? obj['apiVersion'] !== API_VERSIONS[kind] : typeof obj['apiVersion'] !== 'string') return `${name}: apiVersion: must be ${simulated ? API_VERSIONS[kind] : 'a string'}`
  const meta = obj['metadata']
  if (!isRecord(meta)) return `${name}: metadata: must be an object`
  if (typeof meta['name'] !== 'string' || meta['name'] === '') return `${name}: metadata.name: must be a non-empty string`
  const clusterScoped = simulated && CLUSTER_SCOPED.has(kind)
  if (meta['namespace'] !== undefined && (typeof meta['namespace'] !== 'string' || meta['namespace'] === '' || clusterScoped)) return `${name}: metadata.namespace: ${clusterScoped ? 'a cluster-scoped object has none' : 'must be a non-empty string'}`
  if (simulated && !clusterScoped && meta['namespace'] === undefined) return `${name}: metadata.namespace: must be set`
  const expected = simulated ? keyOf(meta['namespace'] as string | undefined, meta['name']) : otherKey(obj as unknown as KubeObject)
  if (expected !== key) return `${name} is stored under the wrong key (its metadata says "${expected}")`
  if (typeof meta['uid'] !== 'string' || meta['uid'] === '') return `${name}: metadata.uid: must be a non-empty string`
  const rv = meta['resourceVersion']
  if (typeof rv !== 'string' || !/^[1-9]\d{0,15}$/.test(rv) || Number(rv) > maxResourceVersion) return `${name}: metadata.resourceVersion: must be a number no greater than the cluster's (${maxResourceVersion})`
  for (const field of ['creationTimestamp', 'deletionTimestamp'] as const) {
    const ts = meta[field]
    if (ts !== undefined && (typeof ts !== 'string' || Number.isNaN(Date.parse(ts)))) return `${name}: metadata.${field}: must be a timestamp`
  }
  for (const field of ['generation', 'deletionGracePeriodSeconds'] as const) {
    const n = meta[field]
    if (n !== undefined && !Number.isSafeInteger(n)) return `${name}: metadata.${field}: must be an integer`
  }
  const labels = meta['labels']
  if (labels !== undefined && !isStringMap(labels)) return `${name}: metadata.labels: must be a map of strings`
  const labelErrors = validateLabels('metadata.labels', labels as Record<string, string> | undefined)
  if (labelErrors.length) return `${name}: ${labelErrors[0]!.message}`
  if (meta['annotations'] !== undefined && !isStringMap(meta['annotations'])) return `${name}: metadata.annotations: must be a map of strings`
  const owners = meta['ownerReferences']
  if (owners !== undefined && !isList(owners, (o) => isRecord(o) && ['apiVersion', 'kind', 'name', 'uid'].every((f) => typeof o[f] === 'string'))) return `${name}: metadata.ownerReferences: each must name an apiVersion, kind, name and uid`
  if (meta['finalizers'] !== undefined && !isList(meta['finalizers'], (f) => typeof f === 'string')) return `${name}: metadata.finalizers: must be a list of strings`
  if (!simulated) return undefined
  // The stored object must decode into its kind's types, as what the API server wrote would.
  const decoded = decodeObject(kind, obj)
  if (!decoded.ok) return `${name}: ${decoded.error.path}: ${decoded.error.message.split(': ').slice(-1)[0]}`
  const spec = specErrors(kind, decoded.object as unknown as KubeObject)
  if (spec.length) return `${name}: ${spec[0]!.message}`
  const status = statusError(kind, obj['status'])
  return status ? `${name}: ${status}` : undefined
}

/** The engine's own validation of the fields controllers read, and the status fields they rely on. */
function specErrors(kind: SimulatedKind, obj: KubeObject): FieldError[] {
  const fail = (path: string, what: string): FieldError[] => [{ path, message: `${path}: ${what}` }]
  switch (kind) {
    case 'Namespace':
      return isRecord(obj.status) ? [] : fail('status', 'must be an object')
    case 'Node': {
      const spec = obj.spec as Record<string, unknown> | undefined
      const status = obj.status as Record<string, unknown> | undefined
      if (!isRecord(spec) || typeof spec['podCIDR'] !== 'string') return fail('spec.podCIDR', 'must be a CIDR')
      if (!isRecord(status) || !isList(status['addresses'], (a) => isRecord(a) && typeof a['type'] === 'string' && typeof a['address'] === 'string')) return fail('status.addresses', 'must be a list of addresses')
      if (!isStringMap(status['allocatable']) || !isStringMap(status['capacity'])) return fail('status.allocatable', 'must be a map of quantities')
      return []
    }
    case 'Pod': {
      const status = obj.status as Record<string, unknown> | undefined
      const errs = validatePodSpec('spec', obj.spec as Pod['spec'], true)
      if (errs.length) return errs
      if (!isRecord(status) || typeof status['phase'] !== 'string') return fail('status.phase', 'must be set')
      if (status['podIP'] !== undefined && (typeof status['podIP'] !== 'string' || !isIPv4(status['podIP']))) return fail('status.podIP', 'must be an IPv4 address')
      for (const list of ['conditions', 'containerStatuses'] as const) {
        if (status[list] !== undefined && !isList(status[list], isRecord)) return fail(`status.${list}`, 'must be a list of objects')
      }
      return []
    }
    case 'Service': {
      const errs = validateService(obj as Service)
      if (errs.length) return errs
      const status = obj.status as Record<string, unknown> | undefined
      return isRecord(status) && isRecord(status['loadBalancer']) ? [] : fail('status.loadBalancer', 'must be an object')
    }
    case 'Deployment':
      return [...validateDeployment((obj as Deployment).spec, obj as Deployment), ...(isRecord(obj.status) ? [] : fail('status', 'must be an object'))]
    case 'ReplicaSet':
      return [...validateReplicaSet(obj as ReplicaSet), ...(isRecord(obj.status) ? [] : fail('status', 'must be an object'))]
    case 'EndpointSlice': {
      if (!['IPv4', 'IPv6', 'FQDN'].includes(obj['addressType'] as string)) return fail('addressType', 'must be IPv4, IPv6 or FQDN')
      const endpoints = obj['endpoints']
      if (endpoints !== null && !Array.isArray(endpoints)) return fail('endpoints', 'must be a list or null')
      for (const [i, ep] of ((endpoints as unknown[]) ?? []).entries()) {
        if (!isRecord(ep) || !isList(ep['addresses'], (a) => typeof a === 'string') || (ep['addresses'] as unknown[]).length === 0) return fail(`endpoints[${i}].addresses`, 'must be a non-empty list of addresses')
        const conditions = ep['conditions']
        if (conditions !== undefined && (!isRecord(conditions) || !Object.values(conditions).every((c) => c === undefined || c === null || typeof c === 'boolean'))) return fail(`endpoints[${i}].conditions`, 'must be true or false for ready, serving and terminating')
        const ref = ep['targetRef']
        if (ref !== undefined && !(isRecord(ref) && ['kind', 'name', 'namespace'].every((f) => typeof ref[f] === 'string'))) return fail(`endpoints[${i}].targetRef`, 'must name a pod')
        for (const f of ['nodeName', 'hostname', 'zone'] as const) if (ep[f] !== undefined && typeof ep[f] !== 'string') return fail(`endpoints[${i}].${f}`, 'must be a string')
      }
      const ports = obj['ports']
      if (ports !== null && !isList(ports, isRecord)) return fail('ports', 'must be a list of objects or null')
      return []
    }
    case 'Endpoints': {
      const subsets = obj['subsets']
      if (subsets === undefined) return []
      if (!isList(subsets, isRecord)) return fail('subsets', 'must be a list of objects')
      for (const [i, s] of (subsets as Record<string, unknown>[]).entries()) {
        for (const list of ['addresses', 'notReadyAddresses', 'ports'] as const) {
          if (s[list] !== undefined && !isList(s[list], isRecord)) return fail(`subsets[${i}].${list}`, 'must be a list of objects')
        }
      }
      return []
    }
  }
}

/** Checks a table of API objects: an Immutable Map from each object's key to the object (kind "other": unsimulated ones). */
export function tableError(kind: string, field: string, table: unknown, maxResourceVersion: number, seen: WeakSet<object>): string | undefined {
  if (!IMap.isMap(table)) return `${field}: must be a table of objects`
  for (const [key, obj] of table as IMap<unknown, unknown>) {
    if (typeof key !== 'string') return `${field}: has a key that is not a string`
    const error = storedObjectError(kind, key, obj, maxResourceVersion, seen)
    if (error) return `${field}: ${error}`
  }
  return undefined
}
