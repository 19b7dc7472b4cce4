import type { SimulatedKind } from '../state'

/**
 * The status each kind carries as the engine writes and reads it: what a restored object's status must look like so
 * that no controller, printer or packet trips over it later. `?` marks a field that may be absent; a list is `[shape]`.
 */
type Leaf = 'string' | 'number' | 'boolean' | 'null' | 'any'
type Shape = { readonly [field: string]: Field }
type Field = Leaf | `${Leaf}?` | Shape | readonly [Shape] | { readonly optional: Shape | readonly [Shape] }

const opt = (s: Shape | readonly [Shape]) => ({ optional: s })
const address: readonly [Shape] = [{ ip: 'string' }]
const time = 'string?'

const POD_CONDITION: Shape = { type: 'string', status: 'string', lastProbeTime: 'any', lastTransitionTime: time, reason: 'string?', message: 'string?' }
const CONTAINER_STATE: Shape = { waiting: opt({ reason: 'string?', message: 'string?' }), running: opt({ startedAt: time }), terminated: opt({ exitCode: 'number?', reason: 'string?', startedAt: time, finishedAt: time }) }
const CONTAINER_STATUS: Shape = { name: 'string', image: 'string', imageID: 'string', containerID: 'string?', ready: 'boolean', started: 'boolean?', restartCount: 'number', state: CONTAINER_STATE }
const WORKLOAD_CONDITION: Shape = { type: 'string', status: 'string', lastUpdateTime: time, lastTransitionTime: time, reason: 'string?', message: 'string?' }

const STATUS: Readonly<Record<SimulatedKind, Shape | undefined>> = {
  Namespace: { phase: 'string' },
  Node: {
    addresses: [{ type: 'string', address: 'string' }],
    capacity: 'any',
    allocatable: 'any',
    conditions: [{ type: 'string', status: 'string', reason: 'string?', message: 'string?', lastHeartbeatTime: time, lastTransitionTime: time }],
    nodeInfo: 'any',
  },
  Pod: {
    phase: 'string', conditions: opt([POD_CONDITION]), hostIP: 'string?', hostIPs: opt(address), podIP: 'string?', podIPs: opt(address),
    startTime: time, containerStatuses: opt([CONTAINER_STATUS]), qosClass: 'string?', message: 'string?', reason: 'string?',
  },
  Deployment: {
    observedGeneration: 'number?', replicas: 'number?', updatedReplicas: 'number?', readyReplicas: 'number?', availableReplicas: 'number?',
    unavailableReplicas: 'number?', conditions: opt([WORKLOAD_CONDITION]), collisionCount: 'number?',
  },
  ReplicaSet: { replicas: 'number', fullyLabeledReplicas: 'number?', readyReplicas: 'number?', availableReplicas: 'number?', observedGeneration: 'number?', conditions: opt([WORKLOAD_CONDITION]) },
  Service: { loadBalancer: { ingress: opt([{ ip: 'string', ipMode: 'string?' }]) } },
  EndpointSlice: undefined,
  Endpoints: undefined,
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype

function leafOk(leaf: Leaf, v: unknown): boolean {
  if (leaf === 'any') return true
  if (leaf === 'null') return v === null
  if (leaf === 'number') return typeof v === 'number' && Number.isFinite(v)
  return typeof v === leaf
}

function fieldError(path: string, v: unknown, field: Field): string | undefined {
  if (typeof field === 'string') {
    const optional = field.endsWith('?')
    if (optional && v === undefined) return undefined
    const leaf = (optional ? field.slice(0, -1) : field) as Leaf
    return leafOk(leaf, v) ? undefined : `${path}: must be ${leaf === 'any' ? 'set' : `a ${leaf}`}`
  }
  if ('optional' in field) return v === undefined ? undefined : fieldError(path, v, field.optional as Shape | readonly [Shape])
  if (Array.isArray(field)) {
    if (!Array.isArray(v)) return `${path}: must be a list`
    for (const [i, item] of v.entries()) {
      const e = shapeError(`${path}[${i}]`, item, field[0] as Shape)
      if (e) return e
    }
    return undefined
  }
  return shapeError(path, v, field as Shape)
}

function shapeError(path: string, v: unknown, shape: Shape): string | undefined {
  if (!isPlain(v)) return `${path}: must be an object`
  for (const [name, field] of Object.entries(shape)) {
    const e = fieldError(`${path}.${name}`, v[name], field)
    if (e) return e
  }
  return undefined
}

/** What is wrong with an object's status for its kind (extra fields are left alone), or undefined. */
export function statusError(kind: SimulatedKind, status: unknown): string | undefined {
  const shape = STATUS[kind]
  return shape ? shapeError('status', status, shape) : undefined
}
