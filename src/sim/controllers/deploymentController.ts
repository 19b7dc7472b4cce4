import { controllerOf } from '../model/meta'
import type { Deployment, DeploymentCondition, ReplicaSet } from '../model/workloads'
import type { Controller, ControllerContext } from '../runtime/runtime'
import { toTimestamp } from '../runtime/time'
import type { ClusterState } from '../state'
import {
  byCreation, computeHash, maxSurge, maxUnavailable, revisionOf, sumAvailable, sumReplicas, templateEqualIgnoringHash,
} from './deploymentUtil'
import { podsOwnedBy } from './replicaSetController'

const REVISION = 'deployment.kubernetes.io/revision'
const DESIRED = 'deployment.kubernetes.io/desired-replicas'
const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas'

/** The Deployment controller (pkg/controller/deployment): rolling updates, proportional scaling, status. */
export const deploymentController: Controller = {
  name: 'deployment-controller',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      const d = state.deployments.get(key)
      if (d) state = syncDeployment(state, ctx, d)
    }
    return state
  },
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

function syncDeployment(state: ClusterState, ctx: ControllerContext, d: Deployment): ClusterState {
  if (d.metadata.deletionTimestamp) return syncStatus(state, ctx, d)
  let rss = ownedReplicaSets(state, ctx, d)
  let newRS = rss.find((rs) => templateEqualIgnoringHash(rs.spec.template, d.spec.template))
  const isScalingEvent = newRS !== undefined && rss.some((rs) => rs.spec.replicas > 0 && rs.metadata.annotations?.[DESIRED] !== String(d.spec.replicas))
  ;({ state, newRS } = ensureNewReplicaSet(state, ctx, d, rss, newRS))
  rss = ownedReplicaSets(state, ctx, d)
  newRS = rss.find((rs) => rs.metadata.uid === newRS!.metadata.uid)!
  const oldRSs = rss.filter((rs) => rs !== newRS)
  d = state.deployments.get(keyOf(d))!

  if (isScalingEvent || d.spec.paused) {
    state = proportionalScale(state, ctx, d, newRS, oldRSs)
  } else if (d.spec.strategy.type === 'Recreate') {
    state = rolloutRecreate(state, ctx, d, newRS, oldRSs)
  } else {
    state = rolloutRolling(state, ctx, d, newRS, oldRSs)
  }
  return syncStatus(state, ctx, state.deployments.get(keyOf(d))!)
}

const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace}/${o.metadata.name}`

/** getNewReplicaSet(createIfNotExisted): find or create the ReplicaSet for the current template; keep revisions right. */
function ensureNewReplicaSet(state: ClusterState, ctx: ControllerContext, d: Deployment, rss: ReplicaSet[], existing: ReplicaSet | undefined) {
  const oldRSs = rss.filter((rs) => rs !== existing)
  const newRevision = String(Math.max(0, ...oldRSs.map(revisionOf)) + 1)
  if (existing) {
    if (revisionOf(existing) < Number(newRevision)) {
      state = ctx.api.update(state, { ...existing, metadata: { ...existing.metadata, annotations: { ...existing.metadata.annotations, [REVISION]: newRevision } } })
    }
    state = setDeploymentRevision(state, ctx, d, String(Math.max(revisionOf(existing), Number(newRevision))))
    return { state, newRS: state.replicaSets.get(keyOf(existing))! }
  }
  const hash = computeHash(d.spec.template, d.status.collisionCount)
  const name = `${d.metadata.name}-${hash}`
  const ns = d.metadata.namespace
  const clash = state.replicaSets.get(`${ns}/${name}`)
  if (clash) {
    // A different template hashed to the same name: bump collisionCount and try again on the next pass (as upstream).
    state = ctx.api.update(state, { ...d, status: { ...d.status, collisionCount: (d.status.collisionCount ?? 0) + 1 } })
    return ensureNewReplicaSet(state, ctx, state.deployments.get(keyOf(d))!, rss, existing)
  }
  const surge = maxSurge(d)
  const template = { ...d.spec.template, metadata: { ...d.spec.template.metadata, labels: { ...d.spec.template.metadata?.labels, 'pod-template-hash': hash } } }
  const draft: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: ns,
      labels: template.metadata.labels,
      annotations: { ...copyableAnnotations(d), [DESIRED]: String(d.spec.replicas), [MAX_REPLICAS]: String(d.spec.replicas + surge), [REVISION]: newRevision },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      replicas: 0,
      selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, 'pod-template-hash': hash } },
      template,
      ...(d.spec.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}),
    },
    status: { replicas: 0 },
  }
  const replicas = d.spec.strategy.type === 'Recreate' ? 0 : newRSNewReplicas(d, [...oldRSs, draft], draft)
  const created = ctx.api.create(state, { ...draft, spec: { ...draft.spec, replicas } })
  state = created.state
  if (replicas > 0) scaledEvent(ctx, d, name, 0, replicas)
  state = setDeploymentRevision(state, ctx, state.deployments.get(keyOf(d))!, newRevision)
  return { state, newRS: created.object }
}

function copyableAnnotations(d: Deployment): Record<string, string> {
  const skip = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history', DESIRED, MAX_REPLICAS])
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !skip.has(k)))
}

function setDeploymentRevision(state: ClusterState, ctx: ControllerContext, d: Deployment, revision: string): ClusterState {
  if (d.metadata.annotations?.[REVISION] === revision) return state
  return ctx.api.update(state, { ...d, metadata: { ...d.metadata, annotations: { ...d.metadata.annotations, [REVISION]: revision } } })
}

/** NewRSNewReplicas for RollingUpdate: grow the new ReplicaSet as far as maxSurge allows. */
function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  const current = sumReplicas(allRSs)
  const maxTotal = d.spec.replicas + maxSurge(d)
  if (current >= maxTotal) return newRS.spec.replicas
  return newRS.spec.replicas + Math.min(maxTotal - current, d.spec.replicas - newRS.spec.replicas)
}

function scaleReplicaSet(state: ClusterState, ctx: ControllerContext, d: Deployment, rs: ReplicaSet, size: number): ClusterState {
  const annotations = { ...rs.metadata.annotations, [DESIRED]: String(d.spec.replicas), [MAX_REPLICAS]: String(d.spec.replicas + maxSurge(d)) }
  const next = ctx.api.update(state, { ...rs, metadata: { ...rs.metadata, annotations }, spec: { ...rs.spec, replicas: size } })
  if (size !== rs.spec.replicas) scaledEvent(ctx, d, rs.metadata.name, rs.spec.replicas, size)
  return next
}

function scaledEvent(ctx: ControllerContext, d: Deployment, rsName: string, from: number, to: number): void {
  ctx.record({
    actor: 'deployment-controller',
    action: to > from ? 'scale up' : 'scale down',
    object: `Deployment ${d.metadata.namespace}/${d.metadata.name}`,
    reason: 'ScalingReplicaSet',
    message: `Scaled ${to > from ? 'up' : 'down'} replica set ${rsName} from ${from} to ${to}`,
  })
}

function rolloutRolling(state: ClusterState, ctx: ControllerContext, d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): ClusterState {
  // reconcileNewReplicaSet
  if (newRS.spec.replicas !== d.spec.replicas) {
    const size = newRS.spec.replicas > d.spec.replicas ? d.spec.replicas : newRSNewReplicas(d, [...oldRSs, newRS], newRS)
    if (size !== newRS.spec.replicas) return scaleReplicaSet(state, ctx, d, newRS, size)
  }
  // reconcileOldReplicaSets
  const activeOld = oldRSs.filter((rs) => rs.spec.replicas > 0)
  if (sumReplicas(activeOld) === 0) return cleanup(state, ctx, d, oldRSs, newRS)
  const allRSs = [...oldRSs, newRS]
  const minAvailable = d.spec.replicas - maxUnavailable(d)
  const newUnavailable = newRS.spec.replicas - (newRS.status.availableReplicas ?? 0)
  const maxScaledDown = sumReplicas(allRSs) - minAvailable - newUnavailable
  if (maxScaledDown <= 0) return state
  // cleanupUnhealthyReplicas: old pods that are not available go first.
  let cleaned = 0
  for (const rs of [...activeOld].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break
    const unhealthy = rs.spec.replicas - (rs.status.availableReplicas ?? 0)
    if (unhealthy <= 0) continue
    const n = Math.min(maxScaledDown - cleaned, unhealthy)
    state = scaleReplicaSet(state, ctx, d, rs, rs.spec.replicas - n)
    cleaned += n
  }
  if (cleaned > 0) return state
  // scaleDownOldReplicaSetsForRollingUpdate
  const available = sumAvailable(allRSs)
  if (available <= minAvailable) return state
  let toScale = available - minAvailable
  for (const rs of [...activeOld].sort(byCreation)) {
    if (toScale <= 0) break
    const n = Math.min(rs.spec.replicas, toScale)
    state = scaleReplicaSet(state, ctx, d, rs, rs.spec.replicas - n)
    toScale -= n
  }
  return state
}

function rolloutRecreate(state: ClusterState, ctx: ControllerContext, d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): ClusterState {
  const activeOld = oldRSs.filter((rs) => rs.spec.replicas > 0)
  if (activeOld.length > 0) {
    for (const rs of activeOld) state = scaleReplicaSet(state, ctx, d, rs, 0)
    return state
  }
  // Wait until every old pod is gone before starting new ones.
  if (oldRSs.some((rs) => podsOwnedBy(ctx, rs.metadata.uid!).length > 0)) return state
  if (newRS.spec.replicas !== d.spec.replicas) return scaleReplicaSet(state, ctx, d, newRS, d.spec.replicas)
  return cleanup(state, ctx, d, oldRSs, newRS)
}

/** scale(): a replicas change mid-rollout is spread over the active ReplicaSets in proportion to their size. */
function proportionalScale(state: ClusterState, ctx: ControllerContext, d: Deployment, newRS: ReplicaSet, oldRSs: ReplicaSet[]): ClusterState {
  const active = [...oldRSs, newRS].filter((rs) => rs.spec.replicas > 0)
  if (active.length <= 1) {
    const target = active[0] ?? newRS
    return target.spec.replicas === d.spec.replicas && target.metadata.annotations?.[DESIRED] === String(d.spec.replicas)
      ? state
      : scaleReplicaSet(state, ctx, d, target, d.spec.replicas)
  }
  if (d.spec.strategy.type !== 'RollingUpdate') return state
  const allowed = d.spec.replicas > 0 ? d.spec.replicas + maxSurge(d) : 0
  const toAdd = allowed - sumReplicas(active)
  const sorted = [...active].sort((a, b) => b.spec.replicas - a.spec.replicas || (toAdd > 0 ? -byCreation(a, b) : byCreation(a, b)))
  const sizes = new Map<ReplicaSet, number>()
  let added = 0
  for (const rs of sorted) {
    let proportion = 0
    if (toAdd !== 0 && toAdd !== added) {
      const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? d.status.replicas ?? 0)
      const raw = annotated > 0 ? (rs.spec.replicas * allowed) / annotated : rs.spec.replicas
      const rounded = raw >= 0 ? Math.floor(raw + 0.5) : Math.ceil(raw - 0.5)
      const fraction = d.spec.replicas === 0 ? -rs.spec.replicas : rounded - rs.spec.replicas
      proportion = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added)
    }
    sizes.set(rs, rs.spec.replicas + proportion)
    added += proportion
  }
  const first = sorted[0]!
  sizes.set(first, Math.max(0, sizes.get(first)! + toAdd - added))
  for (const rs of sorted) state = scaleReplicaSet(state, ctx, d, state.replicaSets.get(keyOf(rs))!, sizes.get(rs)!)
  return state
}

/** Old ReplicaSets beyond revisionHistoryLimit, scaled to zero and empty, are deleted. */
function cleanup(state: ClusterState, ctx: ControllerContext, d: Deployment, oldRSs: ReplicaSet[], _newRS: ReplicaSet): ClusterState {
  const dead = oldRSs.filter((rs) => rs.spec.replicas === 0 && (rs.status.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b))
  const excess = oldRSs.length - d.spec.revisionHistoryLimit
  for (const rs of dead.slice(0, Math.max(0, excess))) state = ctx.api.remove(state, 'ReplicaSet', keyOf(rs))
  return state
}

function syncStatus(state: ClusterState, ctx: ControllerContext, d: Deployment): ClusterState {
  const rss = ownedReplicaSets(state, ctx, d)
  const newRS = rss.find((rs) => templateEqualIgnoringHash(rs.spec.template, d.spec.template))
  const replicas = rss.reduce((n, rs) => n + (rs.status.replicas ?? 0), 0)
  const updated = newRS?.status.replicas ?? 0
  const ready = rss.reduce((n, rs) => n + (rs.status.readyReplicas ?? 0), 0)
  const available = sumAvailable(rss)
  const unavailable = Math.max(0, sumReplicas(rss) - available)
  const now = toTimestamp(state.now)
  let conditions = [...(d.status.conditions ?? [])]
  const minAvailable = d.spec.replicas - maxUnavailable(d)
  conditions = setCondition(conditions, now, available >= minAvailable
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' })
  const rsName = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`
  const complete = updated === d.spec.replicas && replicas === d.spec.replicas && available === d.spec.replicas
  const progressing = conditions.find((c) => c.type === 'Progressing')
  if (complete) {
    conditions = setCondition(conditions, now, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `${rsName} has successfully progressed.` })
  } else if (!progressing || progressing.reason !== 'NewReplicaSetAvailable' || updated !== replicas) {
    conditions = setCondition(conditions, now, { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `${rsName} is progressing.` })
  }
  const status: Deployment['status'] = {
    observedGeneration: d.metadata.generation,
    replicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    ...(unavailable > 0 ? { unavailableReplicas: unavailable } : {}),
    conditions,
    ...(d.status.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
  }
  return ctx.api.update(state, { ...d, status })
}

/** SetDeploymentCondition: same status and reason is a no-op; otherwise replace, keeping the transition time if status held. */
function setCondition(conditions: DeploymentCondition[], now: string, c: Omit<DeploymentCondition, 'lastUpdateTime' | 'lastTransitionTime'>): DeploymentCondition[] {
  const old = conditions.find((x) => x.type === c.type)
  if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return conditions
  const lastTransitionTime = old && old.status === c.status ? old.lastTransitionTime : now
  return [...conditions.filter((x) => x.type !== c.type), { ...c, lastUpdateTime: now, lastTransitionTime }]
}
