import type { Deployment, ReplicaSet } from '../model/workloads'
import type { ControllerContext } from '../runtime/runtime'
import type { ClusterState } from '../state'
import { byCreation, DESIRED, MAX_REPLICAS, maxSurge, replicaSetProportion, sumReplicas } from './deploymentUtil'

const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`
const active = (rss: readonly ReplicaSet[]) => rss.filter((rs) => rs.spec.replicas > 0)
const withNew = (oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined) => (newRS ? [...oldRSs, newRS] : [...oldRSs])

/** What a scaling step did: the state after it, and whether a ReplicaSet's size changed. */
export interface Scaled {
  readonly state: ClusterState
  readonly scaled: boolean
}

/** scaleReplicaSet: writes the size and the desired/max annotations; an event when the size changed. */
export function scaleReplicaSet(state: ClusterState, ctx: ControllerContext, d: Deployment, rs: ReplicaSet, size: number): Scaled {
  const annotations = { ...rs.metadata.annotations, [DESIRED]: String(d.spec.replicas), [MAX_REPLICAS]: String(d.spec.replicas + maxSurge(d)) }
  const next = ctx.api.update(state, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas: size } })
  if (size === rs.spec.replicas) return { state: next, scaled: false }
  scaledEvent(ctx, d, rs.metadata.name, rs.spec.replicas, size)
  return { state: next, scaled: true }
}

/** scaleReplicaSetAndRecordEvent: nothing at all when the size is already right. */
export function scaleTo(state: ClusterState, ctx: ControllerContext, d: Deployment, rs: ReplicaSet, size: number): Scaled {
  return rs.spec.replicas === size ? { state, scaled: false } : scaleReplicaSet(state, ctx, d, rs, size)
}

/** The ScalingReplicaSet event, in upstream's words. */
export function scaledEvent(ctx: ControllerContext, d: Deployment, rsName: string, from: number, to: number): void {
  ctx.record({
    actor: 'deployment-controller',
    action: to > from ? 'scale up' : 'scale down',
    object: `Deployment ${d.metadata.namespace}/${d.metadata.name}`,
    reason: 'ScalingReplicaSet',
    message: `Scaled ${to > from ? 'up' : 'down'} replica set ${rsName} from ${from} to ${to}`,
  })
}

/**
 * scale: one active ReplicaSet (or none: the newest) takes the whole count; a saturated new one leaves the old ones at
 * zero; otherwise a rolling Deployment spreads the change over the active ReplicaSets in proportion to their size.
 */
export function scale(state: ClusterState, ctx: ControllerContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ClusterState {
  const activeAll = active(withNew(oldRSs, newRS))
  if (activeAll.length <= 1) {
    const target = activeAll[0] ?? newRS ?? [...oldRSs].sort(byCreation).at(-1)
    return target ? scaleTo(state, ctx, d, target, d.spec.replicas).state : state
  }
  if (newRS && isSaturated(d, newRS)) {
    for (const rs of active(oldRSs)) state = scaleTo(state, ctx, d, rs, 0).state
    return state
  }
  if (d.spec.strategy.type !== 'RollingUpdate') return state
  const allowed = d.spec.replicas > 0 ? d.spec.replicas + maxSurge(d) : 0
  const toAdd = allowed - sumReplicas(activeAll)
  // Larger first; among equals the newer first when growing, the older first when shrinking.
  const sorted = toAdd === 0 ? activeAll : [...activeAll].sort((a, b) => b.spec.replicas - a.spec.replicas || (toAdd > 0 ? byCreation(b, a) : byCreation(a, b)))
  const sizes = new Map<ReplicaSet, number>()
  let added = 0
  for (const rs of sorted) {
    const p = replicaSetProportion(rs, d, toAdd, added)
    sizes.set(rs, rs.spec.replicas + p)
    added += p
  }
  // Leftovers go to the largest.
  if (toAdd !== 0) sizes.set(sorted[0]!, Math.max(0, sizes.get(sorted[0]!)! + toAdd - added))
  for (const rs of sorted) state = scaleReplicaSet(state, ctx, d, state.replicaSets.get(keyOf(rs))!, sizes.get(rs)!).state
  return state
}

/** IsSaturated: the new ReplicaSet has the full count, was annotated for it, and all of it is available. */
function isSaturated(d: Deployment, rs: ReplicaSet): boolean {
  return rs.spec.replicas === d.spec.replicas && rs.metadata.annotations?.[DESIRED] === String(d.spec.replicas) && rs.status.availableReplicas === d.spec.replicas
}
