import { TIMING } from '../config'
import { faultOf, isNodeDown, withoutFaultsOf } from '../faults'
import type { Node, Taint } from '../model/node'
import { controllerOf } from '../model/meta'
import type { Pod, PodCondition } from '../model/pod'
import type { Controller, ControllerContext } from '../runtime/runtime'
import { fromTimestamp, toTimestamp } from '../runtime/time'
import type { ClusterState } from '../state'
import { deletePodGracefully } from './podDeletion'
import { tolerates } from './scheduler'

export const UNREACHABLE = 'node.kubernetes.io/unreachable'
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'
/** Its key for "evict this pod if its node is still tainted": the taint eviction controller's timer. */
export const EVICT_KEY = 'evict|'

const NODE_CONDITIONS = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']

/**
 * The node lifecycle controller of kube-controller-manager, with the taint eviction controller it starts
 * (pkg/controller/nodelifecycle, pkg/controller/tainteviction):
 * - every --node-monitor-period (5 s) it looks at each node's heartbeat (the kubelet renews its Lease every 10 s);
 *   a node not heard from for --node-monitor-grace-period (50 s) gets its conditions set Unknown ("Kubelet stopped
 *   posting node status."), the taints `node.kubernetes.io/unreachable` NoSchedule and NoExecute, and its pods
 *   Ready False (MarkPodsNotReady), each with its event;
 * - a pod on a NoExecute-tainted node is deleted once its toleration runs out (300 s by default, from the
 *   DefaultTolerationSeconds admission plugin), "Marking for deletion Pod ns/name"; with its kubelet gone the pod stays
 *   Terminating, while its ReplicaSet makes a replacement elsewhere;
 * - when the kubelet posts Ready again, the taints go at the next look and pending evictions are cancelled;
 * - a cordoned node (spec.unschedulable) gets `node.kubernetes.io/unschedulable:NoSchedule` (TaintNodesByCondition).
 * Heartbeats are not written while a node is healthy (nothing would read them but this controller): the last one
 * before a fault is computed from the kubelet's renew period and a per-node phase.
 */
export const nodeLifecycleController: Controller = {
  name: 'node-lifecycle-controller',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      if (key.startsWith(EVICT_KEY)) state = evictIfDue(state, ctx, key.slice(EVICT_KEY.length))
      else if (key.startsWith('pod|')) state = podOnTaintedNode(state, ctx, key.slice(4))
      else state = syncNode(state, ctx, key)
    }
    return state
  },
}

/** The kubelet's last Lease renewal at or before `t`: every 10 s since the node registered (as `describe node` shows it). */
export function lastRenewal(node: Node, t: number): number {
  const created = fromTimestamp(node.metadata.creationTimestamp!)
  return created + Math.floor(Math.max(0, t - created) / TIMING.leaseRenewInterval) * TIMING.leaseRenewInterval
}

/** When the controller sets a node that went down at `since` Unknown: the first look after the grace period since it last saw a renewal. */
export function unknownAt(node: Node, since: number): number {
  const lastRenew = lastRenewal(node, since)
  const seen = Math.ceil(lastRenew / TIMING.nodeMonitorPeriod) * TIMING.nodeMonitorPeriod
  return (Math.floor((seen + TIMING.nodeMonitorGracePeriod) / TIMING.nodeMonitorPeriod) + 1) * TIMING.nodeMonitorPeriod
}

/** The controller's first look strictly after `t`. */
const lookAfter = (t: number) => (Math.floor(t / TIMING.nodeMonitorPeriod) + 1) * TIMING.nodeMonitorPeriod

const readyOf = (node: Node) => node.status.conditions.find((c) => c.type === 'Ready')

function syncNode(state: ClusterState, ctx: ControllerContext, name: string): ClusterState {
  let node = state.nodes.get(name)
  if (!node) return withoutFaultsOf(state, name)
  state = syncUnschedulableTaint(state, ctx, node)
  node = state.nodes.get(name)!
  const ready = readyOf(node)
  if (isNodeDown(state, name)) {
    if (ready?.status === 'Unknown') return state
    const at = unknownAt(node, faultOf(state, 'node-down', name)!.since)
    if (state.now < at) {
      ctx.after(at - state.now, name)
      return state
    }
    return markUnknown(state, ctx, node)
  }
  // The kubelet is up: it posts Ready as soon as it is back (kubelet_node_status.go), then this controller takes the taints off at its next look.
  if (ready?.status === 'Unknown') {
    const at = toTimestamp(state.now)
    const conditions = node.status.conditions.map((c) => (NODE_CONDITIONS.includes(c.type) ? kubeletCondition(c.type, at) : c))
    state = ctx.api.as(`kubelet/${name}`).update(state, { ...node, status: { ...node.status, conditions } })
    ctx.record({ actor: `kubelet/${name}`, action: 'ready', object: `Node ${name}`, reason: 'NodeReady', message: `Node ${name} status is now: NodeReady` })
    node = state.nodes.get(name)!
  }
  if (!(node.spec.taints ?? []).some((t) => t.key === UNREACHABLE)) return state
  const look = lookAfter(fromTimestamp(readyOf(node)!.lastTransitionTime))
  if (state.now < look) {
    ctx.after(look - state.now, name)
    return state
  }
  for (const key of ctx.index.podsByNode.get(name) ?? []) {
    const pod = ctx.index.pods.get(key)
    if (pod && !pod.metadata.deletionTimestamp && evictionDelay(pod, { key: UNREACHABLE, effect: 'NoExecute' }) !== undefined) {
      ctx.record({ actor: 'taint-eviction-controller', action: 'cancel', object: `Pod ${key}`, reason: 'TaintManagerEviction', message: `Cancelling deletion of Pod ${key}` })
    }
  }
  return ctx.api.update(state, { ...node, spec: withoutTaints(node.spec, (t) => t.key === UNREACHABLE) })
}

function kubeletCondition(type: string, at: string): Node['status']['conditions'][number] {
  switch (type) {
    case 'MemoryPressure':
      return { type, status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: at, lastTransitionTime: at }
    case 'DiskPressure':
      return { type, status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: at, lastTransitionTime: at }
    case 'PIDPressure':
      return { type, status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: at, lastTransitionTime: at }
    default:
      return { type, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at, lastTransitionTime: at }
  }
}

function withoutTaints(spec: Node['spec'], drop: (t: Taint) => boolean): Node['spec'] {
  const taints = (spec.taints ?? []).filter((t) => !drop(t))
  const { taints: _taints, ...rest } = spec
  return taints.length > 0 ? { ...rest, taints } : rest
}

/** tryUpdateNodeHealth past the grace period, then doNoScheduleTaintingPass, MarkPodsNotReady and doNoExecuteTaintingPass. */
function markUnknown(state: ClusterState, ctx: ControllerContext, node: Node): ClusterState {
  const name = node.metadata.name
  const at = toTimestamp(state.now)
  const conditions = node.status.conditions.map((c) =>
    NODE_CONDITIONS.includes(c.type) ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at } : c,
  )
  state = ctx.api.update(state, { ...node, status: { ...node.status, conditions } })
  ctx.record({ actor: 'node-controller', action: 'notready', object: `Node ${name}`, reason: 'NodeNotReady', message: `Node ${name} status is now: NodeNotReady` })
  const tainted = (effect: Taint['effect']): Taint => ({ key: UNREACHABLE, effect, timeAdded: at })
  node = state.nodes.get(name)!
  state = ctx.api.update(state, { ...node, spec: { ...node.spec, taints: [...(node.spec.taints ?? []).filter((t) => t.key !== UNREACHABLE), tainted('NoSchedule')] } })
  for (const key of ctx.index.podsByNode.get(name) ?? []) {
    const pod = ctx.index.pods.get(key)
    if (!pod) continue
    const ready = pod.status.conditions?.find((c) => c.type === 'Ready')
    if (ready && ready.status !== 'False') {
      const conditionsOfPod = pod.status.conditions!.map((c): PodCondition => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: at } : c))
      state = ctx.api.update(state, { ...pod, status: { ...pod.status, conditions: conditionsOfPod } })
    }
    ctx.record({ actor: 'node-controller', action: 'notready', object: `Pod ${key}`, reason: 'NodeNotReady', message: 'Node is not ready' })
  }
  node = state.nodes.get(name)!
  state = ctx.api.update(state, { ...node, spec: { ...node.spec, taints: [...(node.spec.taints ?? []), tainted('NoExecute')] } })
  for (const key of ctx.index.podsByNode.get(name) ?? []) state = podOnTaintedNode(state, ctx, key)
  return state
}

/**
 * How long a pod may stay on a node with this NoExecute taint (getMinTolerationTime): undefined when a toleration
 * without tolerationSeconds lets it stay for good (daemon pods), 0 when nothing tolerates it.
 */
export function evictionDelay(pod: Pod, taint: Pick<Taint, 'key' | 'effect'>): number | undefined {
  const matching = (pod.spec.tolerations ?? []).filter((t) => tolerates([t], taint as Taint))
  if (matching.length === 0) return 0
  if (matching.some((t) => t.tolerationSeconds === undefined)) return undefined
  return Math.max(0, Math.min(...matching.map((t) => t.tolerationSeconds!))) * 1000
}

/** A pod bound to a node: if the node carries the unreachable NoExecute taint, its eviction is timed from the taint. */
function podOnTaintedNode(state: ClusterState, ctx: ControllerContext, key: string): ClusterState {
  const pod = state.pods.get(key)
  const node = pod?.spec.nodeName ? state.nodes.get(pod.spec.nodeName) : undefined
  const taint = node?.spec.taints?.find((t) => t.key === UNREACHABLE && t.effect === 'NoExecute')
  if (!pod || !taint || pod.metadata.deletionTimestamp) return state
  const delay = evictionDelay(pod, taint)
  if (delay === undefined) return state
  const due = Math.max(state.now, (taint.timeAdded ? fromTimestamp(taint.timeAdded) : state.now) + delay)
  if (due > state.now) {
    ctx.after(due - state.now, `${EVICT_KEY}${key}`)
    return state
  }
  return evict(state, ctx, pod, key)
}

function evictIfDue(state: ClusterState, ctx: ControllerContext, key: string): ClusterState {
  return podOnTaintedNode(state, ctx, key)
}

/** The taint eviction controller deletes the pod: a DisruptionTarget condition first, then a graceful delete. */
function evict(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string): ClusterState {
  ctx.record({ actor: 'taint-eviction-controller', action: 'evict', object: `Pod ${key}`, reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${key}${controllerOf(pod.metadata) ? '' : ' (a bare pod: nothing will replace it)'}` })
  const at = toTimestamp(state.now)
  const disruption: PodCondition = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: at, reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' }
  state = ctx.api.update(state, { ...pod, status: { ...pod.status, conditions: [...(pod.status.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget'), disruption] } })
  return deletePodGracefully(state, ctx.api, state.pods.get(key)!)
}

/** TaintNodesByCondition: a cordoned node gets the unschedulable NoSchedule taint, an uncordoned one loses it. */
function syncUnschedulableTaint(state: ClusterState, ctx: ControllerContext, node: Node): ClusterState {
  const has = (node.spec.taints ?? []).some((t) => t.key === UNSCHEDULABLE)
  if (Boolean(node.spec.unschedulable) === has) return state
  const spec = node.spec.unschedulable
    ? { ...node.spec, taints: [...(node.spec.taints ?? []), { key: UNSCHEDULABLE, effect: 'NoSchedule' as const, timeAdded: toTimestamp(state.now) }] }
    : withoutTaints(node.spec, (t) => t.key === UNSCHEDULABLE)
  return ctx.api.update(state, { ...node, spec })
}
