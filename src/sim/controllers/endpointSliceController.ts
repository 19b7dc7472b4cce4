import { MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, type Endpoint, type EndpointPort, type EndpointSlice } from '../model/endpointSlice'
import { deepEqual } from '../model/meta'
import { isPodReady, podCondition, type Pod } from '../model/pod'
import { hasSelector, isHeadless, type Service } from '../model/service'
import type { Controller, ControllerContext } from '../runtime/runtime'
import { fromTimestamp, toTimestamp } from '../runtime/time'
import type { ClusterState } from '../state'
import { SLICE_CHANGED_KEY } from '../runtime/watches'
import { cachedEndpointPorts, shouldPodBeInEndpoints } from './endpointPorts'
import { sliceSummary, type LeftOut } from './endpointSliceStory'

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
    const { tracker } = memoryOf(ctx)
    for (const key of ctx.take()) {
      if (key.startsWith(SLICE_CHANGED_KEY)) {
        const [sliceKey, svcKey] = key.slice(SLICE_CHANGED_KEY.length).split('|') as [string, string]
        // A change the controller did not write itself (or a slice it did not delete) brings its Service back a
        // moment later, as upstream's endpointSliceTracker and endpointSliceChangeMinSyncDelay do.
        if (!ownChange(tracker, sliceKey, state.endpointSlices.get(sliceKey))) ctx.after(SLICE_CHANGE_DELAY_MS, svcKey)
        continue
      }
      const svc = state.services.get(key)
      if (svc && hasSelector(svc) && !svc.metadata.deletionTimestamp) state = syncService(state, ctx, svc, key, tracker)
    }
    return state
  },
}

/**
 * The controller's process memory: the Services it has synced once (the first sync stamps the Service's creation as
 * the trigger time), and its endpointSliceTracker (slice key -> the resourceVersion it wrote, or DELETED).
 */
const memoryOf = (ctx: ControllerContext) => ctx.memory(() => ({ firstSync: new Set<string>(), tracker: new Map<string, string>() }))

/** endpointSliceChangeMinSyncDelay. */
const SLICE_CHANGE_DELAY_MS = 1000
/** What the tracker holds for a slice the controller deleted. */
const DELETED = 'deleted'

/** Whether the slice is as the controller last left it (its own write, or its own delete); forgets deleted ones. */
function ownChange(tracker: Map<string, string>, sliceKey: string, slice: EndpointSlice | undefined): boolean {
  const mine = tracker.get(sliceKey)
  if (!slice) {
    tracker.delete(sliceKey)
    return mine === DELETED
  }
  return mine === slice.metadata.resourceVersion
}

/** ownedBy: the slice's owner references name this very Service. */
function ownedBy(slice: EndpointSlice, svc: Service): boolean {
  return (slice.metadata.ownerReferences ?? []).some((r) => r.uid === svc.metadata.uid && r.kind === 'Service' && r.apiVersion === 'v1')
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

function syncService(state: ClusterState, ctx: ControllerContext, svc: Service, key: string, tracker: Map<string, string>): ClusterState {
  const max = ctx.config.maxEndpointsPerSlice
  const { firstSync } = memoryOf(ctx)
  const isFirst = !firstSync.has(svc.metadata.uid!)
  firstSync.add(svc.metadata.uid!)

  // The desired endpoints, grouped by port mapping.
  const groups = new Map<string, Group>()
  const left: LeftOut = { matching: 0, finished: 0, noIP: 0 }
  for (const podKey of ctx.index.podsMatching(svc.metadata.namespace, svc.spec.selector!)) {
    const pod = ctx.index.pods.get(podKey)
    if (!pod) continue
    left.matching++
    if (!shouldPodBeInEndpoints(pod, true)) {
      if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') left.finished++
      else left.noIP++
      continue
    }
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
  const why = new Map<EndpointSlice, string>()
  const drop = (slice: EndpointSlice, reason: string) => {
    toDelete.push(slice)
    why.set(slice, reason)
  }
  let trigger = Infinity
  const object = `Service ${key}`

  const existingByGroup = new Map<string, EndpointSlice[]>()
  for (const slice of existing) {
    const portKey = JSON.stringify(slice.ports ?? [])
    // A slice labelled as the controller's but not owned by this Service (written by hand, or left from an older
    // Service of the same name) is not trusted: its endpoints are not the Service's.
    if (!ownedBy(slice, svc)) drop(slice, `it carries the EndpointSlice controller's labels but ${object} does not own it`)
    else if (slice.addressType !== 'IPv4') drop(slice, `${object} serves IPv4 only, and its addressType is ${slice.addressType}`)
    else if (!groups.has(portKey)) {
      drop(slice, (slice.endpoints ?? []).length === 0 ? `${object} has endpoints now, so its placeholder is not needed` : `no pod of ${object} resolves its ports that way any more`)
    } else existingByGroup.set(portKey, [...(existingByGroup.get(portKey) ?? []), slice])
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
        // An endpoint equal to the one stored stays the stored object: a rewritten slice then shares all but what
        // changed with the one before (what keeps an hour of history small).
        const same = want.endpoint === ep || deepEqual(want.endpoint, ep)
        kept.push(same ? ep : want.endpoint)
        if (!same) {
          changed = true
          trigger = Math.min(trigger, podTriggerTime(want.pod))
        }
      }
      if (changed && kept.length === 0) drop(slice, `none of its endpoints belongs to ${object} any more`)
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
    const reusable = toDelete.find((s) => s.ports === null && (s.endpoints === null || s.endpoints.length === 0) && ownedBy(s, svc) && s.addressType === 'IPv4')
    if (reusable) toDelete.splice(toDelete.indexOf(reusable), 1)
    else toCreate.push({ ports: [], endpoints: [] })
  }

  const triggerTime = isFirst ? svc.metadata.creationTimestamp! : trigger !== Infinity ? toTimestamp(trigger) : undefined
  const annotate = (slice: { metadata: EndpointSlice['metadata'] }) => {
    const { [TRIGGER_TIME]: _old, ...rest } = slice.metadata.annotations ?? {}
    return triggerTime ? { ...rest, [TRIGGER_TIME]: triggerTime } : rest
  }
  const written = (sliceKey: string, st: ClusterState) => tracker.set(sliceKey, st.endpointSlices.get(sliceKey)!.metadata.resourceVersion!)
  for (const [slice, endpoints] of toUpdate) {
    const next = { ...slice, metadata: { ...slice.metadata, labels }, endpoints } as EndpointSlice
    state = ctx.api.update(state, { ...next, metadata: { ...next.metadata, annotations: annotate(next) } })
    written(`${svc.metadata.namespace}/${slice.metadata.name}`, state)
    ctx.record({ actor: 'endpointslice-controller', action: 'update', object: `EndpointSlice ${svc.metadata.namespace}/${slice.metadata.name}`, message: sliceSummary(endpoints, left, object) })
  }
  for (const c of toCreate) {
    // finalize(): a create reuses a slice that would be deleted instead, keeping its name, if the Service owns it.
    const i = toDelete.findIndex((s) => ownedBy(s, svc) && s.addressType === 'IPv4')
    const recycled = i >= 0 ? toDelete.splice(i, 1)[0] : undefined
    const isPlaceholder = c.ports.length === 0 && c.endpoints.length === 0 && placeholder
    const body = { ports: isPlaceholder ? null : c.ports, endpoints: isPlaceholder ? null : c.endpoints }
    if (recycled) {
      const next = { ...recycled, metadata: { ...recycled.metadata, labels }, ...body } as EndpointSlice
      state = ctx.api.update(state, { ...next, metadata: { ...next.metadata, annotations: annotate(next) } })
      written(`${svc.metadata.namespace}/${recycled.metadata.name}`, state)
      ctx.record({ actor: 'endpointslice-controller', action: 'update', object: `EndpointSlice ${svc.metadata.namespace}/${recycled.metadata.name}`, message: sliceSummary(c.endpoints, left, object) })
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
    written(`${svc.metadata.namespace}/${created.object.metadata.name}`, state)
    ctx.record({ actor: 'endpointslice-controller', action: 'create', object: `EndpointSlice ${svc.metadata.namespace}/${created.object.metadata.name}`, message: sliceSummary(c.endpoints, left, object) })
  }
  for (const slice of toDelete) {
    const sliceKey = `${slice.metadata.namespace}/${slice.metadata.name}`
    state = ctx.api.remove(state, 'EndpointSlice', sliceKey)
    tracker.set(sliceKey, DELETED)
    ctx.record({ actor: 'endpointslice-controller', action: 'delete', object: `EndpointSlice ${sliceKey}`, message: `Deleted: ${why.get(slice)}` })
  }
  return state
}
