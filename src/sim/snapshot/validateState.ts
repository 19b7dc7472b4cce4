import { faultKey, isFaultKind } from '../model/fault'
import { Map as IMap } from 'immutable'
import { isIPv4 } from '../runtime/ip'
import { MAX_VIRTUAL_MS } from '../config'
import { KIND_TABLES, type ClusterState, type SimulatedKind } from '../state'
import { isRecord, tableError } from './validateObjects'
import { isProxyMode, PROXY_MODES } from '../model/proxyMode'

type Check = string | undefined

/** What a field's check may use: the cluster's resourceVersion (no object may be newer) and the objects already checked. */
interface Context {
  readonly maxResourceVersion: number
  readonly seen: WeakSet<object>
}

// Deadlines (a conntrack entry's expiry) may lie a while past the clock's limit; -1 is "never synced".
const isFiniteTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -1
const isOptionalTime = (v: unknown) => v === undefined || isFiniteTime(v)

/** Each entry of an Immutable Map, checked; the first failure names the field and the key. */
function eachEntry(field: string, table: unknown, entry: (key: unknown, value: unknown) => Check): Check {
  if (!IMap.isMap(table)) return `${field}: must be a table`
  for (const [k, v] of table as IMap<unknown, unknown>) {
    const error = entry(k, v)
    if (error) return `${field}[${JSON.stringify(k)}]: ${error}`
  }
  return undefined
}

const ownerTable = (field: string, key: (k: unknown) => boolean, keyText: string) => (value: unknown) =>
  eachEntry(field, value, (k, v) => (!key(k) ? `the key must be ${keyText}` : typeof v === 'string' && v !== '' ? undefined : 'must name the Service holding it'))

const kindTable = (kind: SimulatedKind) => (value: unknown, ctx: Context) => tableError(kind, KIND_TABLES[kind], value, ctx.maxResourceVersion, ctx.seen)

/** A watch view, as an entry of a table of them (each kube-proxy's, each CoreDNS pod's): its errors name its fields. */
function watchViewError(view: unknown, ctx: Context): Check {
  if (!isRecord(view)) return 'must be a watch view'
  if (!isFiniteTime(view['syncedAt'])) return 'syncedAt: must be a virtual time'
  return tableError('Service', 'services', view['services'], ctx.maxResourceVersion, ctx.seen) ?? tableError('EndpointSlice', 'endpointSlices', view['endpointSlices'], ctx.maxResourceVersion, ctx.seen)
}

const isHeader = (h: unknown) =>
  isRecord(h) && ['tcp', 'udp', 'sctp'].includes(h['proto'] as string) && typeof h['src'] === 'string' && typeof h['dst'] === 'string' && Number.isInteger(h['sport']) && Number.isInteger(h['dport'])

function conntrackError(value: unknown): Check {
  if (!isRecord(value) || (value['dir'] !== 'orig' && value['dir'] !== 'reply')) return 'must be a conntrack entry with its direction'
  const e = value['entry']
  if (!isRecord(e) || !isHeader(e['orig']) || !isHeader(e['reply']) || !isFiniteTime(e['expiresAt'])) return 'must hold the original and reply tuples and when it expires'
  const dnat = e['dnat']
  if (dnat !== undefined && !(isRecord(dnat) && typeof dnat['ip'] === 'string' && Number.isInteger(dnat['port']))) return 'dnat: must be an address and port'
  if (e['closed'] !== undefined && typeof e['closed'] !== 'boolean') return 'closed: must be true or false'
  return undefined
}

function containerError(value: unknown): Check {
  if (!isRecord(value) || typeof value['node'] !== 'string') return 'must name the node running it'
  for (const [k, v] of Object.entries(value)) {
    if (k === 'node' || k === 'resolvConf') continue
    if (k === 'uid') {
      if (typeof v !== 'string') return 'uid: must be the pod\'s uid'
      continue
    }
    if (k === 'env') {
      if (!isRecord(v) || !isRecord(v['declared']) || !isRecord(v['services'])) return 'env: must hold the declared and the service-link variables'
      if (![...Object.values(v['declared']), ...Object.values(v['services'])].every((x) => typeof x === 'string')) return 'env: every variable must be a string'
    } else if (!isOptionalTime(v)) return `${k}: must be a virtual time`
  }
  if (value['resolvConf'] !== undefined && typeof value['resolvConf'] !== 'string') return 'resolvConf: must be text'
  return undefined
}

/**
 * One check per field of the cluster state. Typed over every key of ClusterState, so a field added to the state
 * without saying how a snapshot of it is checked does not compile.
 */
export const STATE_FIELDS: { readonly [K in keyof ClusterState]: (value: unknown, ctx: Context) => Check } = {
  now: (v) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_VIRTUAL_MS ? undefined : `now: must be a virtual time from 0 to ${MAX_VIRTUAL_MS.toLocaleString('en-US')} ms (100 years)`),
  resourceVersion: (v) => (Number.isSafeInteger(v) && (v as number) >= 1 ? undefined : 'resourceVersion: must be a positive integer'),
  namespaces: kindTable('Namespace'),
  nodes: kindTable('Node'),
  pods: kindTable('Pod'),
  deployments: kindTable('Deployment'),
  replicaSets: kindTable('ReplicaSet'),
  services: kindTable('Service'),
  endpointSlices: kindTable('EndpointSlice'),
  endpoints: kindTable('Endpoints'),
  others: (v, ctx) => tableError('other', 'others', v, ctx.maxResourceVersion, ctx.seen),
  containers: (v) => eachEntry('containers', v, (k, c) => (typeof k !== 'string' ? 'the key must be a pod' : containerError(c))),
  ipam: (v) =>
    eachEntry('ipam', v, (_, n) => {
      if (!isRecord(n) || !Number.isSafeInteger(n['next'])) return 'must say which address is tried next'
      return eachEntry('used', n['used'], (ip, pod) => (typeof ip === 'string' && isIPv4(ip) && typeof pod === 'string' ? undefined : 'must map an IPv4 address to a pod'))
    }),
  images: (v) => eachEntry('images', v, (_, held) => eachEntry('images', held, (image, at) => (typeof image === 'string' && isFiniteTime(at) ? undefined : 'must map an image to when the node got it'))),
  clusterIPs: ownerTable('clusterIPs', (k) => typeof k === 'string' && isIPv4(k), 'an IPv4 address'),
  nodePorts: ownerTable('nodePorts', (k) => Number.isInteger(k) && (k as number) > 0 && (k as number) < 65536, 'a port number'),
  loadBalancerIPs: ownerTable('loadBalancerIPs', (k) => typeof k === 'string' && isIPv4(k), 'an IPv4 address'),
  proxyMode: (v) => (isProxyMode(v) ? undefined : `proxyMode: must be one of ${PROXY_MODES.join(', ')}`),
  proxies: (v, ctx) => eachEntry('proxies', v, (_, view) => watchViewError(view, ctx) ?? (isRecord(view) && view['mode'] !== undefined && !isProxyMode(view['mode']) ? `mode: must be one of ${PROXY_MODES.join(', ')}` : undefined)),
  dns: (v, ctx) => eachEntry('dns', v, (_, view) => watchViewError(view, ctx)),
  net: (v) =>
    eachEntry('net', v, (_, n) => {
      if (!isRecord(n) || !Number.isSafeInteger(n['sweepAt'])) return 'must hold conntrack, the recent lists and when it is next swept'
      return (
        eachEntry('conntrack', n['conntrack'], (k, e) => (typeof k === 'string' ? conntrackError(e) : 'the key must be a tuple')) ??
        (n['ipvs'] === undefined ? undefined : eachEntry('ipvs', n['ipvs'], (_, st) => (isRecord(st) && Number.isSafeInteger(st['last']) && Number.isSafeInteger(st['conns']) ? undefined : 'must hold the round-robin position and the counters'))) ??
        eachEntry('recent', n['recent'], (_, list) => eachEntry('list', list, (ip, at) => (typeof ip === 'string' && isFiniteTime(at) ? undefined : 'must map an address to when it was seen')))
      )
    }),
  faults: (v) =>
    eachEntry('faults', v, (k, f) => {
      if (!isRecord(f) || !isFaultKind(f['fault']) || typeof f['target'] !== 'string' || !isFiniteTime(f['since'])) return 'must say which fault, on what, since when'
      return k === faultKey(f['fault'], f['target']) ? undefined : 'the key must be "fault|target"'
    }),
}

/**
 * What the engine takes for granted across tables: a pod names its node with a string, and a pod that has an
 * address runs on a node that exists (deleting a node deletes its pods at once).
 */
function referencesError(state: ClusterState): Check {
  for (const [key, pod] of state.pods) {
    const node = pod.spec.nodeName as unknown
    if (node !== undefined && typeof node !== 'string') return `pods: Pod "${key}": spec.nodeName: must be a node's name`
    if ((pod.status.podIP !== undefined || pod.status.hostIP !== undefined) && !(typeof node === 'string' && state.nodes.has(node))) return `pods: Pod "${key}" has an address but runs on no node of the cluster`
    if (pod.status.hostIP !== undefined && typeof pod.status.hostIP !== 'string') return `pods: Pod "${key}": status.hostIP: must be an address`
  }
  return undefined
}

/** What is wrong with a decoded state, field by field (every field must be there, and no other), or undefined. */
export function stateError(state: unknown): Check {
  if (!isRecord(state)) return 'the state is not an object'
  const fields = Object.keys(STATE_FIELDS)
  for (const key of Object.keys(state)) if (!fields.includes(key)) return `the state has a field this simulator does not know: ${key}`
  for (const key of fields) if (!(key in state)) return `the state lacks its ${key} field`
  const ctx: Context = { maxResourceVersion: Number.isSafeInteger(state['resourceVersion']) ? (state['resourceVersion'] as number) : 0, seen: new WeakSet() }
  for (const [key, check] of Object.entries(STATE_FIELDS)) {
    const error = check(state[key], ctx)
    if (error) return error
  }
  return referencesError(state as unknown as ClusterState)
}
