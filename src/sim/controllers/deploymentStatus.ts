import type { Deployment, DeploymentCondition, ReplicaSet } from '../model/workloads'
import type { ControllerContext } from '../runtime/runtime'
import { toTimestamp } from '../runtime/time'
import type { ClusterState } from '../state'
import { maxUnavailable, sumAvailable, sumReplicas } from './deploymentUtil'

type Status = Deployment['status']
type ConditionDraft = Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>

/** The Progressing reasons of pkg/controller/deployment/util. */
export const PROGRESSING = {
  newReplicaSetCreated: 'NewReplicaSetCreated',
  foundNewReplicaSet: 'FoundNewReplicaSet',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newReplicaSetAvailable: 'NewReplicaSetAvailable',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const

/**
 * SetDeploymentCondition: a condition with the same status and reason is left as it is (message included); otherwise
 * it replaces the old one at the end of the list, keeping the transition time when only the reason changed.
 */
export function setCondition(conditions: readonly DeploymentCondition[], now: string, c: ConditionDraft): DeploymentCondition[] {
  const old = conditions.find((x) => x.type === c.type)
  if (old && old.status === c.status && old.reason === c.reason) return [...conditions]
  const lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : now
  return [...conditions.filter((x) => x.type !== c.type), { ...c, lastUpdateTime: now, lastTransitionTime }]
}

const progressingOf = (status: Status) => status.conditions?.find((c) => c.type === 'Progressing')

/** calculateStatus: the counts summed over the ReplicaSets, and Available against maxUnavailable. */
function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: string): Status {
  const available = sumAvailable(allRSs)
  const unavailable = Math.max(0, sumReplicas(allRSs) - available)
  const conditions = setCondition(d.status.conditions ?? [], now, available >= d.spec.replicas - maxUnavailable(d)
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' })
  return {
    observedGeneration: d.metadata.generation,
    replicas: allRSs.reduce((n, rs) => n + (rs.status.replicas ?? 0), 0),
    updatedReplicas: newRS?.status.replicas ?? 0,
    readyReplicas: allRSs.reduce((n, rs) => n + (rs.status.readyReplicas ?? 0), 0),
    availableReplicas: available,
    ...(unavailable > 0 ? { unavailableReplicas: unavailable } : {}),
    conditions,
    ...(d.status.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  }
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: Deployment, status: Status): boolean {
  const n = d.spec.replicas
  return status.updatedReplicas === n && status.replicas === n && status.availableReplicas === n && (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
}

/** DeploymentProgressing: more updated, ready or available pods than last time, or fewer old ones. */
function deploymentProgressing(d: Deployment, next: Status): boolean {
  const old = d.status
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0)
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0)
  return (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
}

const writeStatus = (state: ClusterState, ctx: ControllerContext, d: Deployment, status: Status) => ctx.api.update(state, { ...d, status })

/** syncDeploymentStatus: counts and Available only (a scaling event, a paused or deleted Deployment). */
export function syncDeploymentStatus(state: ClusterState, ctx: ControllerContext, d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ClusterState {
  return writeStatus(state, ctx, d, calculateStatus(d, allRSs, newRS, toTimestamp(state.now)))
}

/**
 * syncRolloutStatus: the status, and the Progressing condition estimated from what changed since the last sync
 * (NewReplicaSetAvailable once complete, ReplicaSetUpdated whenever something moved). A Deployment whose last rollout
 * completed and that runs only updated pods is not re-estimated. The progress deadline is not enforced here.
 */
export function syncRolloutStatus(state: ClusterState, ctx: ControllerContext, d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ClusterState {
  const now = toTimestamp(state.now)
  const next = calculateStatus(d, allRSs, newRS, now)
  const current = progressingOf(d.status)
  const isComplete = next.replicas === next.updatedReplicas && current?.reason === PROGRESSING.newReplicaSetAvailable
  let conditions = next.conditions ?? []
  if (!isComplete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`
    if (deploymentComplete(d, next)) {
      conditions = setCondition(conditions, now, { type: 'Progressing', status: 'True', reason: PROGRESSING.newReplicaSetAvailable, message: `${subject} has successfully progressed.` })
    } else if (deploymentProgressing(d, next)) {
      // Progress refreshes the condition (message and update time) even when its reason stays the same.
      const lastTransitionTime = current?.status === 'True' ? current.lastTransitionTime : now
      conditions = [
        ...conditions.filter((c) => c.type !== 'Progressing'),
        { type: 'Progressing', status: 'True', reason: PROGRESSING.replicaSetUpdated, message: `${subject} is progressing.`, lastUpdateTime: now, lastTransitionTime },
      ]
    }
  }
  // getReplicaFailures: the new ReplicaSet's ReplicaFailure, else an old one's, copied as the Deployment's (with its times).
  const failed = [newRS, ...allRSs].flatMap((rs) => rs?.status.conditions ?? []).find((c) => c.type === 'ReplicaFailure')
  const held = conditions.find((c) => c.type === 'ReplicaFailure')
  if (!failed) conditions = conditions.filter((c) => c.type !== 'ReplicaFailure')
  else if (!held || held.status !== failed.status || held.reason !== failed.reason) {
    const { type, status, reason, message, lastTransitionTime } = failed
    conditions = [...conditions.filter((c) => c.type !== 'ReplicaFailure'), { type, status, reason, message, lastUpdateTime: lastTransitionTime, lastTransitionTime }]
  }
  return writeStatus(state, ctx, d, { ...next, conditions })
}

/** checkPausedConditions: Progressing Unknown while paused, and once more when resumed, so a pause never times out. */
export function checkPausedConditions(state: ClusterState, ctx: ControllerContext, d: Deployment): ClusterState {
  const current = progressingOf(d.status)
  const pausedNoted = current?.reason === PROGRESSING.paused
  let draft: ConditionDraft | undefined
  if (d.spec.paused && !pausedNoted) draft = { type: 'Progressing', status: 'Unknown', reason: PROGRESSING.paused, message: 'Deployment is paused' }
  else if (!d.spec.paused && pausedNoted) draft = { type: 'Progressing', status: 'Unknown', reason: PROGRESSING.resumed, message: 'Deployment is resumed' }
  if (!draft) return state
  return writeStatus(state, ctx, d, { ...d.status, conditions: setCondition(d.status.conditions ?? [], toTimestamp(state.now), draft) })
}

/** Sets the Progressing condition a new ReplicaSet brings (NewReplicaSetCreated, or FoundNewReplicaSet when none was set). */
export function noteNewReplicaSet(state: ClusterState, ctx: ControllerContext, d: Deployment, reason: 'NewReplicaSetCreated' | 'FoundNewReplicaSet', rsName: string): ClusterState {
  const message = reason === PROGRESSING.newReplicaSetCreated ? `Created new replica set "${rsName}"` : `Found new replica set "${rsName}"`
  return writeStatus(state, ctx, d, { ...d.status, conditions: setCondition(d.status.conditions ?? [], toTimestamp(state.now), { type: 'Progressing', status: 'True', reason, message }) })
}

/** Whether the Deployment has a Progressing condition at all. */
export const hasProgressing = (d: Deployment): boolean => progressingOf(d.status) !== undefined
