import { controllerOf } from '../model/meta'
import type { Deployment, ReplicaSet } from '../model/workloads'
import type { Controller, ControllerContext } from '../runtime/runtime'
import type { ClusterState } from '../state'
import { POD_GONE_KEY } from '../runtime/watches'
import {
  byCreation, computeHash, DESIRED, MAX_REPLICAS, maxSurge, maxUnavailable, newRSNewReplicas, revisionOf, sumAvailable, sumReplicas, templateEqualIgnoringHash,
} from './deploymentUtil'
import { scale, scaledEvent, scaleTo, type Scaled } from './deploymentScaling'
import {
  checkPausedConditions, deploymentComplete, hasProgressing, noteNewReplicaSet, PROGRESSING, syncDeploymentStatus, syncRolloutStatus,
} from './deploymentStatus'
import { podsOwnedBy } from './replicaSetController'

const REVISION = 'deployment.kubernetes.io/revision'
const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history'

/**
 * The Deployment controller (pkg/controller/deployment): Recreate and RollingUpdate rollouts, proportional scaling,
 * pause, revision history and status. A Deployment is synced when it, one of its ReplicaSets, or (for Recreate) the
 * last of its pods changes.
 */
export const deploymentController: Controller = {
  name: 'deployment-controller',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      if (key.startsWith(POD_GONE_KEY)) {
        const d = recreateDeploymentWithoutPods(state, ctx, key.slice(POD_GONE_KEY.length))
        if (d) state = syncDeployment(state, ctx, d)
        continue
      }
      const d = state.deployments.get(key)
      if (d) state = syncDeployment(state, ctx, d)
    }
    return state
  },
}

const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`
const reload = (state: ClusterState, d: Deployment) => state.deployments.get(keyOf(d)) ?? d

/**
 * The deletePod handler: a pod of a Recreate Deployment is gone; if it was the last of all its ReplicaSets' pods, the
 * Deployment is synced so its new ReplicaSet can start. `rsKey` names the pod's ReplicaSet.
 */
function recreateDeploymentWithoutPods(state: ClusterState, ctx: ControllerContext, rsKey: string): Deployment | undefined {
  const rs = state.replicaSets.get(rsKey)
  const owner = rs && controllerOf(rs.metadata)
  if (!rs || owner?.kind !== 'Deployment') return undefined
  const d = state.deployments.get(`${rs.metadata.namespace}/${owner.name}`)
  if (!d || d.metadata.uid !== owner.uid || d.spec.strategy.type !== 'Recreate') return undefined
  return ownedReplicaSets(state, ctx, d).every((r) => podsOwnedBy(ctx, r.metadata.uid!).length === 0) ? d : undefined
}

function ownedReplicaSets(state: ClusterState, ctx: ControllerContext, d: Deployment): ReplicaSet[] {
  const out: ReplicaSet[] = []
  for (const dep of ctx.index.dependentsOf(d.metadata.uid!)) {
    if (!dep.startsWith('ReplicaSet|')) continue
    const rs = state.replicaSets.get(dep.slice('ReplicaSet|'.length))
    if (rs && controllerOf(rs.metadata)?.uid === d.metadata.uid && !rs.metadata.deletionTimestamp) out.push(rs)
  }
  return out.sort(byCreation)
}

/** syncDeployment: deleted -> status only; pause bookkeeping; paused or resized -> sync(); else the strategy's rollout. */
function syncDeployment(state: ClusterState, ctx: ControllerContext, d: Deployment): ClusterState {
  if (d.metadata.deletionTimestamp) {
    const { newRS, oldRSs } = splitReplicaSets(d, ownedReplicaSets(state, ctx, d))
    return syncDeploymentStatus(state, ctx, d, withNew(oldRSs, newRS), newRS)
  }
  state = checkPausedConditions(state, ctx, d)
  d = reload(state, d)
  if (d.spec.paused || isScalingEvent(d, ownedReplicaSets(state, ctx, d))) return sync(state, ctx, d)
  return d.spec.strategy.type === 'Recreate' ? rolloutRecreate(state, ctx, d) : rolloutRolling(state, ctx, d)
}

const withNew = (oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined) => (newRS ? [...oldRSs, newRS] : [...oldRSs])
const active = (rss: readonly ReplicaSet[]) => rss.filter((rs) => rs.spec.replicas > 0)

/** FindNewReplicaSet (the oldest whose template matches) and FindOldReplicaSets (all the others). */
function splitReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
  const newRS = rsList.find((rs) => templateEqualIgnoringHash(rs.spec.template, d.spec.template))
  return { newRS, oldRSs: rsList.filter((rs) => rs !== newRS) }
}

/** isScalingEvent: an active ReplicaSet was annotated for a different replica count than the Deployment now asks. */
function isScalingEvent(d: Deployment, rsList: readonly ReplicaSet[]): boolean {
  return active(rsList).some((rs) => {
    const desired = rs.metadata.annotations?.[DESIRED]
    return desired !== undefined && desired !== String(d.spec.replicas)
  })
}

interface Sets {
  readonly state: ClusterState
  readonly d: Deployment
  readonly newRS: ReplicaSet | undefined
  readonly oldRSs: ReplicaSet[]
}

/**
 * getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created only when `create` is set, so Recreate can scale the
 * old ones down first) and the old ones, with the new one's revision above every old one and the Deployment's equal to it.
 */
function getAllReplicaSetsAndSyncRevision(state: ClusterState, ctx: ControllerContext, d: Deployment, create: boolean): Sets {
  const { newRS: existing, oldRSs } = splitReplicaSets(d, ownedReplicaSets(state, ctx, d))
  const newRevision = Math.max(0, ...oldRSs.map(revisionOf)) + 1
  if (existing) {
    const had = existing.metadata.annotations?.[REVISION]
    // SetNewReplicaSetAnnotations: the Deployment's own annotations are copied onto its new ReplicaSet.
    const annotations = { ...existing.metadata.annotations, ...copyableAnnotations(d) }
    if (revisionOf(existing) < newRevision) {
      annotations[REVISION] = String(newRevision)
      // A template rolled back to: its earlier revisions are kept for `kubectl rollout history`.
      if (had !== undefined) annotations[REVISION_HISTORY] = annotations[REVISION_HISTORY] ? `${annotations[REVISION_HISTORY]},${had}` : had
    }
    const { minReadySeconds: _m, ...spec } = existing.spec
    state = ctx.api.update(state, { ...existing, metadata: { ...existing.metadata, annotations }, spec: d.spec.minReadySeconds ? { ...spec, minReadySeconds: d.spec.minReadySeconds } : spec })
    const newRS = state.replicaSets.get(keyOf(existing))!
    state = setDeploymentRevision(state, ctx, d, newRS.metadata.annotations![REVISION]!)
    if (!hasProgressing(reload(state, d))) state = noteNewReplicaSet(state, ctx, reload(state, d), PROGRESSING.foundNewReplicaSet, newRS.metadata.name)
    return { state, d: reload(state, d), newRS, oldRSs }
  }
  if (!create) return { state, d, newRS: undefined, oldRSs }
  const hash = computeHash(d.spec.template, d.status.collisionCount)
  const name = `${d.metadata.name}-${hash}`
  if (state.replicaSets.has(`${d.metadata.namespace}/${name}`)) {
    // A different template hashed to a name in use: bump collisionCount and hash again (as upstream).
    state = ctx.api.update(state, { ...d, status: { ...d.status, collisionCount: (d.status.collisionCount ?? 0) + 1 } })
    return getAllReplicaSetsAndSyncRevision(state, ctx, reload(state, d), create)
  }
  const labels = { ...d.spec.template.metadata?.labels, 'pod-template-hash': hash }
  const draft: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels,
      annotations: { ...copyableAnnotations(d), [DESIRED]: String(d.spec.replicas), [MAX_REPLICAS]: String(d.spec.replicas + maxSurge(d)), [REVISION]: String(newRevision) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: 0,
      selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, 'pod-template-hash': hash } },
      template: { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels } },
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
    },
    status: { replicas: 0 },
  }
  const replicas = newRSNewReplicas(d, [...oldRSs, draft], draft)
  const created = ctx.api.create(state, { ...draft, spec: { ...draft.spec, replicas } })
  state = created.state
  if (replicas > 0) scaledEvent(ctx, d, name, 0, replicas)
  state = setDeploymentRevision(state, ctx, reload(state, d), String(newRevision))
  state = noteNewReplicaSet(state, ctx, reload(state, d), PROGRESSING.newReplicaSetCreated, name)
  return { state, d: reload(state, d), newRS: created.object, oldRSs }
}

function copyableAnnotations(d: Deployment): Record<string, string> {
  const skip = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, REVISION_HISTORY, DESIRED, MAX_REPLICAS])
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !skip.has(k)))
}

function setDeploymentRevision(state: ClusterState, ctx: ControllerContext, d: Deployment, revision: string): ClusterState {
  if (d.metadata.annotations?.[REVISION] === revision) return state
  return ctx.api.update(state, { ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: revision } } })
}

/** The ReplicaSets as stored now (a step may have written some of them). */
const current = (state: ClusterState, rss: readonly ReplicaSet[]) => rss.map((rs) => state.replicaSets.get(keyOf(rs)) ?? rs)

function finish(state: ClusterState, ctx: ControllerContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ClusterState {
  const all = current(state, withNew(oldRSs, newRS))
  return syncRolloutStatus(state, ctx, reload(state, d), all, newRS && state.replicaSets.get(keyOf(newRS)))
}

/** rolloutRolling: grow the new ReplicaSet within maxSurge, then shrink the old ones within maxUnavailable. */
function rolloutRolling(state: ClusterState, ctx: ControllerContext, d: Deployment): ClusterState {
  const sets = getAllReplicaSetsAndSyncRevision(state, ctx, d, true)
  ;({ state, d } = sets)
  const newRS = sets.newRS!
  const oldRSs = sets.oldRSs
  // reconcileNewReplicaSet
  if (newRS.spec.replicas !== d.spec.replicas) {
    const size = newRS.spec.replicas > d.spec.replicas ? d.spec.replicas : newRSNewReplicas(d, [...oldRSs, newRS], newRS)
    const up = scaleTo(state, ctx, d, newRS, size)
    if (up.scaled) return finish(up.state, ctx, d, newRS, oldRSs)
  }
  const down = reconcileOldReplicaSets(state, ctx, d, newRS, oldRSs)
  if (down.scaled) return finish(down.state, ctx, d, newRS, oldRSs)
  if (deploymentComplete(d, d.status)) state = cleanupDeployment(state, ctx, d, oldRSs)
  return finish(state, ctx, d, newRS, oldRSs)
}

/** reconcileOldReplicaSets: unhealthy old pods go first, then healthy ones as far as availability allows. */
function reconcileOldReplicaSets(state: ClusterState, ctx: ControllerContext, d: Deployment, newRS: ReplicaSet, oldRSs: readonly ReplicaSet[]): Scaled {
  const activeOld = active(oldRSs).sort(byCreation)
  if (sumReplicas(activeOld) === 0) return { state, scaled: false }
  const minAvailable = d.spec.replicas - maxUnavailable(d)
  const newUnavailable = newRS.spec.replicas - (newRS.status.availableReplicas ?? 0)
  const maxScaledDown = sumReplicas([...oldRSs, newRS]) - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return { state, scaled: false }
  let total = 0
  // cleanupUnhealthyReplicas
  for (const rs of activeOld) {
    if (total >= maxScaledDown) break
    const unhealthy = rs.spec.replicas - (rs.status.availableReplicas ?? 0)
    if (unhealthy <= 0) continue
    const n = Math.min(maxScaledDown - total, unhealthy)
    state = scaleTo(state, ctx, d, rs, rs.spec.replicas - n).state
    total += n
  }
  // scaleDownOldReplicaSetsForRollingUpdate: availability is what the ReplicaSets last reported.
  const available = sumAvailable([...oldRSs, newRS])
  if (available > minAvailable) {
    const toScale = available - minAvailable
    let done = 0
    for (const rs of current(state, activeOld)) {
      if (done >= toScale) break
      if (rs.spec.replicas === 0) continue
      const n = Math.min(rs.spec.replicas, toScale - done)
      state = scaleTo(state, ctx, d, rs, rs.spec.replicas - n).state
      done += n
    }
    total += done
  }
  return { state, scaled: total > 0 }
}

/**
 * rolloutRecreate: scale every old ReplicaSet to zero; wait while any old pod exists (terminating ones too, unless it
 * finished); only then create the new ReplicaSet, at full size.
 */
function rolloutRecreate(state: ClusterState, ctx: ControllerContext, d: Deployment): ClusterState {
  let sets = getAllReplicaSetsAndSyncRevision(state, ctx, d, false)
  ;({ state, d } = sets)
  let scaledDown = false
  for (const rs of active(sets.oldRSs)) {
    const r = scaleTo(state, ctx, d, rs, 0)
    state = r.state
    scaledDown ||= r.scaled
  }
  if (scaledDown || oldPodsRunning(ctx, sets.newRS, current(state, sets.oldRSs))) return finish(state, ctx, d, sets.newRS, sets.oldRSs)
  if (!sets.newRS) {
    sets = getAllReplicaSetsAndSyncRevision(state, ctx, d, true)
    ;({ state, d } = sets)
  }
  state = scaleTo(state, ctx, d, sets.newRS!, d.spec.replicas).state
  if (deploymentComplete(d, d.status)) state = cleanupDeployment(state, ctx, d, sets.oldRSs)
  return finish(state, ctx, d, sets.newRS, sets.oldRSs)
}

/** oldPodsRunning: an old ReplicaSet still reports pods, or an old pod exists that has not Failed or Succeeded. */
function oldPodsRunning(ctx: ControllerContext, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): boolean {
  if (oldRSs.some((rs) => (rs.status.replicas ?? 0) > 0)) return true
  return oldRSs.some((rs) => rs !== newRS && podsOwnedBy(ctx, rs.metadata.uid!).some((p) => p.status.phase !== 'Failed' && p.status.phase !== 'Succeeded'))
}

/** sync: a paused Deployment or a replica count change is only scaled (never rolled), then its status written. */
function sync(state: ClusterState, ctx: ControllerContext, d: Deployment): ClusterState {
  const sets = getAllReplicaSetsAndSyncRevision(state, ctx, d, false)
  ;({ state, d } = sets)
  state = scale(state, ctx, d, sets.newRS, sets.oldRSs)
  if (d.spec.paused) state = cleanupDeployment(state, ctx, d, current(state, sets.oldRSs))
  const newRS = sets.newRS && state.replicaSets.get(keyOf(sets.newRS))
  return syncDeploymentStatus(state, ctx, reload(state, d), current(state, withNew(sets.oldRSs, sets.newRS)), newRS)
}

/** cleanupDeployment: beyond revisionHistoryLimit, the oldest revisions go, if they are scaled to zero and empty. */
function cleanupDeployment(state: ClusterState, ctx: ControllerContext, d: Deployment, oldRSs: readonly ReplicaSet[]): ClusterState {
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp)
  const excess = cleanable.length - d.spec.revisionHistoryLimit
  if (excess <= 0) return state
  const byRevision = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b))
  for (const rs of byRevision.slice(0, excess)) {
    if ((rs.status.replicas ?? 0) !== 0 || rs.spec.replicas !== 0 || (rs.metadata.generation ?? 0) > (rs.status.observedGeneration ?? 0)) continue
    state = ctx.api.remove(state, 'ReplicaSet', keyOf(rs))
  }
  return state
}
