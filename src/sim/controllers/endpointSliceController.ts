import { MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, type Endpoint, type EndpointPort, type EndpointSlice } from '../model/endpointSlice'
import { deepEqual } from '../model/meta'
import { isPodReady, podCondition, type Pod } from '../model/pod'
import { hasSelector, isHeadless, type Service } from '../model/service'
import type { Controller, ControllerContext } from '../runtime/runtime'
import { fromTimestamp, toTimestamp } from '../runtime/time'
import type { ClusterState } from '../state'
import { cachedEndpointPorts, shouldPodBeInEndpoints } from './endpointPorts'

const HEADLESS_LABEL = 'service.kubernetes.io/headless'
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time'
const RESERVED = new Set([SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL])

/**
 * The EndpointSlice controller (staging/src/k8s.io/endpointslice): for every Service with a selector, slices of at
 * most maxEndpointsPerSlice endpoints, grouped by how the pods resolve the Service's ports, packed the way upstream
 * packs them (fill slices being changed, then the closest-fitting unchanged one, then new ones; never rebalance).
 */
export const endpointSliceController: Controller = {
  name: 'endpointslice-controller',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      const svc = state.services.get(key)
      if (svc && hasSelector(svc) && !svc.metadata.deletionTimestamp) state = syncService(state, ctx, svc, key)
    }
    return state
  },
}

interface Group {
  readonly ports: EndpointPort[]
  readonly desired: Map<string, { endpoint: Endpoint; pod: Pod }>
}

/** When the pod last changed in a way that matters (its Ready transition): upstream's trigger time, parsed on demand. */
function podTriggerTime(pod: Pod): number {
  return fromTimestamp(podCondition(pod, 'Ready')?.lastTransitionTime ?? pod.metadata.creationTimestamp!)
}

const endpointIds = new WeakMap<Endpoint, string>()

/** An endpoint's identity: its address, hostname and pod (EndpointSet's hash key). Remembered per endpoint object. */
function endpointId(e: Endpoint): string {
  let id = endpointIds.get(e)
  if (id === undefined) endpointIds.set(e, (id = `${e.addresses.join(',')}|${e.hostname ?? ''}|${e.targetRef?.namespace ?? ''}/${e.targetRef?.name ?? ''}`))
  return id
}

/** Endpoints built per (pod object, Service object): an unchanged pod yields the identical endpoint, compared by ===. */
interface CachedEndpoint {
  readonly svc: Service
  readonly node: unknown
  readonly endpoint: Endpoint
  readonly id: string
  readonly ports: EndpointPort[]
  readonly portKey: string
}

const endpointCache = new WeakMap<Pod, CachedEndpoint>()

function cachedEndpoint(state: ClusterState, svc: Service, pod: Pod): CachedEndpoint {
  const node = pod.spec.nodeName ? state.nodes.get(pod.spec.nodeName) : undefined
  const hit = endpointCache.get(pod)
  if (hit && hit.svc === svc && hit.node === node) return hit
  const endpoint = podToEndpoint(state, svc, pod)
  const { ports, key: portKey } = cachedEndpointPorts(svc, pod)
  const entry = { svc, node, endpoint, id: endpointId(endpoint), ports, portKey }
  endpointCache.set(pod, entry)
  return entry
}

function podToEndpoint(state: ClusterState, svc: Service, pod: Pod): Endpoint {
  const serving = isPodReady(pod)
  const terminating = pod.metadata.deletionTimestamp !== undefined
  const zone = pod.spec.nodeName ? state.nodes.get(pod.spec.nodeName)?.metadata.labels?.['topology.kubernetes.io/zone'] : undefined
  return {
    addresses: [pod.status.podIP!],
    conditions: { ready: svc.spec.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
    ...(pod.spec.hostname && pod.spec.subdomain === svc.metadata.name ? { hostname: pod.spec.hostname } : {}),
    ...(pod.spec.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    ...(zone ? { zone } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid! },
  }
}

const labelCache = new WeakMap<Service, Record<string, string>>()

/** The labels a Service's slices carry; the same object for the same Service object, so unchanged labels compare by ===. */
function sliceLabels(svc: Service): Record<string, string> {
  const hit = labelCache.get(svc)
  if (hit) return hit
  const labels: Record<string, string> = {}
  for (const [k, v] of Object.entries(svc.metadata.labels ?? {})) if (!RESERVED.has(k)) labels[k] = v
  labels[SERVICE_NAME_LABEL] = svc.metadata.name
  labels[MANAGED_BY_LABEL] = MANAGED_BY_CONTROLLER
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = ''
  labelCache.set(svc, labels)
  return labels
}

function syncService(state: ClusterState, ctx: ControllerContext, svc: Service, key: string): ClusterState {
  const max = ctx.config.maxEndpointsPerSlice
  const firstSync = ctx.memory(() => new Set<string>())
  const isFirst = !firstSync.has(svc.metadata.uid!)
  firstSync.add(svc.metadata.uid!)

  // The desired endpoints, grouped by port mapping.
  const groups = new Map<string, Group>()
  for (const podKey of ctx.index.podsMatching(svc.metadata.namespace, svc.spec.selector!)) {
    const pod = ctx.index.pods.get(podKey)
    if (!pod || !shouldPodBeInEndpoints(pod, true)) continue
    const { endpoint, ports, portKey, id } = cachedEndpoint(state, svc, pod)
    let group = groups.get(portKey)
    if (!group) groups.set(portKey, (group = { ports, desired: new Map() }))
    group.desired.set(id, { endpoint, pod })
  }

  const existing: EndpointSlice[] = []
  for (const sliceKey of ctx.index.slicesByService.get(key) ?? []) {
    const slice = state.endpointSlices.get(sliceKey)
    if (slice && slice.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_CONTROLLER && !slice.metadata.deletionTimestamp) existing.push(slice)
  }
  const labels = sliceLabels(svc)
  const toCreate: { ports: EndpointPort[]; endpoints: Endpoint[] }[] = []
  const toUpdate = new Map<EndpointSlice, Endpoint[]>()
  const toDelete: EndpointSlice[] = []
  let trigger = Infinity

  const existingByGroup = new Map<string, EndpointSlice[]>()
  for (const slice of existing) {
    const portKey = JSON.stringify(slice.ports ?? [])
    if (!groups.has(portKey)) toDelete.push(slice)
    else existingByGroup.set(portKey, [...(existingByGroup.get(portKey) ?? []), slice])
  }

  for (const [portKey, group] of groups) {
    const unchanged: EndpointSlice[] = []
    const updating: { slice: EndpointSlice; endpoints: Endpoint[] }[] = []
    // 1. Keep, update or drop the endpoints already in slices.
    for (const slice of existingByGroup.get(portKey) ?? []) {
      const kept: Endpoint[] = []
      let changed = false
      for (const ep of slice.endpoints ?? []) {
        const id = endpointId(ep)
        const want = group.desired.get(id)
        if (!want) {
          changed = true
          continue
        }
        group.desired.delete(id)
        kept.push(want.endpoint)
        if (want.endpoint !== ep && !deepEqual(want.endpoint, ep)) {
          changed = true
          trigger = Math.min(trigger, podTriggerTime(want.pod))
        }
      }
      if (changed && kept.length === 0) toDelete.push(slice)
      else if (changed || (slice.metadata.labels !== labels && !deepEqual(slice.metadata.labels, labels))) updating.push({ slice, endpoints: kept })
      else unchanged.push(slice)
    }
    const pending = [...group.desired.values()]
    for (const p of pending) trigger = Math.min(trigger, podTriggerTime(p.pod))
    let next = 0
    // 2. Top up the slices already being changed, fullest first.
    updating.sort((a, b) => b.endpoints.length - a.endpoints.length)
    for (const u of updating) while (u.endpoints.length < max && next < pending.length) u.endpoints.push(pending[next++]!.endpoint)
    for (const u of updating) toUpdate.set(u.slice, u.endpoints)
    // 3. Leftovers: the unchanged slice that would end closest to full, else new slices.
    while (next < pending.length) {
      const remaining = pending.length - next
      let target: EndpointSlice | undefined
      if (remaining < max) {
        let bestGap = Infinity
        for (const s of unchanged) {
          const gap = max - (remaining + (s.endpoints?.length ?? 0))
          if (gap >= 0 && gap < bestGap) {
            bestGap = gap
            target = s
          }
        }
      }
      if (target) {
        unchanged.splice(unchanged.indexOf(target), 1)
        const endpoints = [...(target.endpoints ?? [])]
        while (endpoints.length < max && next < pending.length) endpoints.push(pending[next++]!.endpoint)
        toUpdate.set(target, endpoints)
      } else {
        const endpoints: Endpoint[] = []
        while (endpoints.length < max && next < pending.length) endpoints.push(pending[next++]!.endpoint)
        toCreate.push({ ports: group.ports, endpoints })
      }
    }
  }

  // A Service whose selector matches no usable pod keeps exactly one empty placeholder slice.
  const placeholder = groups.size === 0
  const survivors = existing.length - toDelete.length
  if (placeholder && survivors === 0) {
    const reusable = toDelete.find((s) => s.ports === null && (s.endpoints === null || s.endpoints.length === 0))
    if (reusable) toDelete.splice(toDelete.indexOf(reusable), 1)
    else toCreate.push({ ports: [], endpoints: [] })
  }

  const triggerTime = isFirst ? svc.metadata.creationTimestamp! : trigger !== Infinity ? toTimestamp(trigger) : undefined
  const annotate = (slice: { metadata: EndpointSlice['metadata'] }) => {
    const { [TRIGGER_TIME]: _old, ...rest } = slice.metadata.annotations ?? {}
    return triggerTime ? { ...rest, [TRIGGER_TIME]: triggerTime } : rest
  }
  const object = `Service ${key}`
  for (const [slice, endpoints] of toUpdate) {
    const next = { ...slice, metadata: { ...slice.metadata, labels }, endpoints } as EndpointSlice
    state = ctx.api.update(state, { ...next, metadata: { ...next.metadata, annotations: annotate(next) } })
    ctx.record({ actor: 'endpointslice-controller', action: 'update', object: `EndpointSlice ${svc.metadata.namespace}/${slice.metadata.name}`, message: sliceSummary(endpoints, `for ${object}`) })
  }
  for (const c of toCreate) {
    // finalize(): a create reuses a slice that would be deleted instead, keeping its name.
    const recycled = toDelete.shift()
    const isPlaceholder = c.ports.length === 0 && c.endpoints.length === 0 && placeholder
    const body = { ports: isPlaceholder ? null : c.ports, endpoints: isPlaceholder ? null : c.endpoints }
    if (recycled) {
      const next = { ...recycled, metadata: { ...recycled.metadata, labels }, ...body } as EndpointSlice
      state = ctx.api.update(state, { ...next, metadata: { ...next.metadata, annotations: annotate(next) } })
      ctx.record({ actor: 'endpointslice-controller', action: 'update', object: `EndpointSlice ${svc.metadata.namespace}/${recycled.metadata.name}`, message: sliceSummary(c.endpoints, `for ${object}`) })
      continue
    }
    const slice: EndpointSlice = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: '',
        generateName: `${svc.metadata.name}-`,
        namespace: svc.metadata.namespace,
        labels,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata.name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      addressType: 'IPv4',
      ...body,
    }
    const created = ctx.api.create(state, { ...slice, metadata: { ...slice.metadata, annotations: annotate(slice) } })
    state = created.state
    ctx.record({ actor: 'endpointslice-controller', action: 'create', object: `EndpointSlice ${svc.metadata.namespace}/${created.object.metadata.name}`, message: sliceSummary(c.endpoints, `for ${object}`) })
  }
  for (const slice of toDelete) {
    state = ctx.api.remove(state, 'EndpointSlice', `${slice.metadata.namespace}/${slice.metadata.name}`)
    ctx.record({ actor: 'endpointslice-controller', action: 'delete', object: `EndpointSlice ${svc.metadata.namespace}/${slice.metadata.name}`, message: `Deleted: no endpoints of ${object} are left in it` })
  }
  return state
}

function sliceSummary(endpoints: readonly Endpoint[], suffix: string): string {
  const ready = endpoints.filter((e) => e.conditions.ready).length
  const terminating = endpoints.filter((e) => e.conditions.terminating).length
  if (endpoints.length === 0) return `No pods match the selector: placeholder slice with no endpoints ${suffix}`
  return `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'} (${ready} ready${terminating ? `, ${terminating} terminating` : ''}) ${suffix}`
}
