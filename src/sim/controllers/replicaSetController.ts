import { controllerOf } from '../model/meta'
import { isPodActive, isPodReady, podCondition, type Pod } from '../model/pod'
import { podFromTemplate } from '../model/podFactory'
import type { ReplicaSet } from '../model/workloads'
import type { Controller, ControllerContext } from '../runtime/runtime'
import { fromTimestamp, toTimestamp } from '../runtime/time'
import { SAFE_ALPHABET } from '../runtime/hash'
import { forbiddenPodMessage, mountServiceAccountToken, serviceAccountForbidden } from '../admission/serviceAccount'
import type { ClusterState } from '../state'
import { deletePodGracefully } from './podDeletion'

/** replicaset.BurstReplicas: the most pods one sync creates or deletes. */
const BURST_REPLICAS = 500

/** The ReplicaSet controller (pkg/controller/replicaset): keeps spec.replicas active pods and reports their status. */
export const replicaSetController: Controller = {
  name: 'replicaset-controller',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      const rs = state.replicaSets.get(key)
      if (!rs || rs.metadata.deletionTimestamp) continue
      state = syncReplicaSet(state, ctx, rs)
    }
    return state
  },
}

export function podsOwnedBy(ctx: ControllerContext, uid: string): Pod[] {
  const pods: Pod[] = []
  for (const dep of ctx.index.dependentsOf(uid)) {
    if (!dep.startsWith('Pod|')) continue
    const pod = ctx.index.pods.get(dep.slice(4))
    if (pod && controllerOf(pod.metadata)?.uid === uid) pods.push(pod)
  }
  return pods
}

function syncReplicaSet(state: ClusterState, ctx: ControllerContext, rs: ReplicaSet): ClusterState {
  const ns = rs.metadata.namespace
  const pods = podsOwnedBy(ctx, rs.metadata.uid!)
  const active = pods.filter(isPodActive)
  const diff = active.length - rs.spec.replicas
  const object = `ReplicaSet ${ns}/${rs.metadata.name}`
  const key = `${ns}/${rs.metadata.name}`
  const failures = ctx.memory(() => new Map<string, number>())
  let failure: string | undefined
  if (diff < 0) {
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }
    const generateName = `${rs.metadata.name}-`
    for (let i = 0; i < Math.min(-diff, BURST_REPLICAS); i++) {
      const draft = podFromTemplate(rs.spec.template, ns, generateName, owner)
      // The API server's ServiceAccount admission refuses a pod whose account does not exist.
      const refused = serviceAccountForbidden(state, draft, NOTHING_PENDING)
      if (refused) {
        failure = forbiddenPodMessage(generateName, refused, false)
        ctx.record({ actor: 'replicaset-controller', action: 'fail', object, reason: 'FailedCreate', message: `Error creating: ${failure}` })
        break
      }
      const created = ctx.api.create(state, mountServiceAccountToken(state, draft, () => ctx.rng.names.string(SAFE_ALPHABET, 5)))
      state = created.state
      ctx.record({ actor: 'replicaset-controller', action: 'create', object, reason: 'SuccessfulCreate', message: `Created pod: ${created.object.metadata.name}` })
    }
    if (!failure && -diff > BURST_REPLICAS) ctx.enqueue('replicaset-controller', key)
  } else if (diff > 0) {
    const related = relatedPods(state, ctx, rs)
    for (const pod of podsToDelete(active, related, diff, state.now).slice(0, BURST_REPLICAS)) {
      state = deletePodGracefully(state, ctx.api, pod)
      ctx.record({ actor: 'replicaset-controller', action: 'delete', object, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}` })
    }
  }
  if (failure) {
    // The workqueue's rate limiter: 5 ms, doubling with every failure in a row, at most 1000 s.
    const n = failures.get(key) ?? 0
    failures.set(key, n + 1)
    ctx.after(Math.min(5 * 2 ** n, 1_000_000), key)
  } else failures.delete(key)
  return updateStatus(state, ctx, state.replicaSets.get(key)!, failure)
}

const NOTHING_PENDING: ReadonlySet<string> = new Set()

function updateStatus(state: ClusterState, ctx: ControllerContext, rs: ReplicaSet, failure?: string): ClusterState {
  const active = podsOwnedBy(ctx, rs.metadata.uid!).filter(isPodActive)
  const minReady = (rs.spec.minReadySeconds ?? 0) * 1000
  let ready = 0
  let available = 0
  let nextAvailableAt = Infinity
  for (const pod of active) {
    if (!isPodReady(pod)) continue
    ready++
    const since = fromTimestamp(podCondition(pod, 'Ready')!.lastTransitionTime)
    if (minReady === 0 || since + minReady <= state.now) available++
    else nextAvailableAt = Math.min(nextAvailableAt, since + minReady)
  }
  if (nextAvailableAt !== Infinity) ctx.after(nextAvailableAt - state.now, `${rs.metadata.namespace}/${rs.metadata.name}`)
  // ReplicaFailure: set when creating pods fails (the first failure's message is kept), removed once a sync succeeds.
  const held = rs.status.conditions?.find((c) => c.type === 'ReplicaFailure')
  const conditions = failure
    ? [held ?? { type: 'ReplicaFailure' as const, status: 'True' as const, lastTransitionTime: toTimestamp(state.now), reason: 'FailedCreate', message: failure }]
    : (rs.status.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure')
  const status: ReplicaSet['status'] = {
    replicas: active.length,
    fullyLabeledReplicas: active.length,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata.generation,
    ...(conditions.length ? { conditions } : {}),
  }
  return ctx.api.update(state, { ...rs, status })
}

/** Pods of every ReplicaSet with the same controlling owner: what "more pods on the same node" counts. */
function relatedPods(state: ClusterState, ctx: ControllerContext, rs: ReplicaSet): Pod[] {
  const owner = controllerOf(rs.metadata)
  if (!owner) return podsOwnedBy(ctx, rs.metadata.uid!)
  const out: Pod[] = []
  for (const dep of ctx.index.dependentsOf(owner.uid)) {
    if (!dep.startsWith('ReplicaSet|')) continue
    const sibling = state.replicaSets.get(dep.slice('ReplicaSet|'.length))
    if (sibling) out.push(...podsOwnedBy(ctx, sibling.metadata.uid!))
  }
  return out
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 }

/** getPodsToDelete with ActivePodsWithRanks: the pods a scale-down removes first. */
export function podsToDelete(active: Pod[], related: Pod[], diff: number, now: number): Pod[] {
  if (diff >= active.length) return active
  const perNode = new Map<string, number>()
  for (const p of related) if (isPodActive(p)) perNode.set(p.spec.nodeName ?? '', (perNode.get(p.spec.nodeName ?? '') ?? 0) + 1)
  const ranked = active.map((pod) => ({ pod, rank: perNode.get(pod.spec.nodeName ?? '') ?? 0 }))
  ranked.sort((a, b) => compareForDeletion(a.pod, a.rank, b.pod, b.rank, now))
  return ranked.slice(0, diff).map((r) => r.pod)
}

function compareForDeletion(a: Pod, rankA: number, b: Pod, rankB: number, now: number): number {
  const assignedA = a.spec.nodeName ? 1 : 0
  const assignedB = b.spec.nodeName ? 1 : 0
  if (assignedA !== assignedB) return assignedA - assignedB
  const phaseA = PHASE_RANK[a.status.phase] ?? 2
  const phaseB = PHASE_RANK[b.status.phase] ?? 2
  if (phaseA !== phaseB) return phaseA - phaseB
  const readyA = isPodReady(a) ? 1 : 0
  const readyB = isPodReady(b) ? 1 : 0
  if (readyA !== readyB) return readyA - readyB
  const costA = Number(a.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0)
  const costB = Number(b.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0)
  if (costA !== costB) return costA - costB
  if (rankA !== rankB) return rankB - rankA
  if (readyA && readyB) {
    const c = compareLogBuckets(podCondition(a, 'Ready')!.lastTransitionTime, podCondition(b, 'Ready')!.lastTransitionTime, now, a, b)
    if (c !== 0) return c
  }
  const restartsA = Math.max(0, ...(a.status.containerStatuses ?? []).map((s) => s.restartCount))
  const restartsB = Math.max(0, ...(b.status.containerStatuses ?? []).map((s) => s.restartCount))
  if (restartsA !== restartsB) return restartsB - restartsA
  return compareLogBuckets(a.metadata.creationTimestamp!, b.metadata.creationTimestamp!, now, a, b)
}

/** LogarithmicScaleDown: newer first, but times in the same power-of-two age bucket tie, broken by the lower UID. */
function compareLogBuckets(tsA: string, tsB: string, now: number, a: Pod, b: Pod): number {
  if (tsA === tsB) return 0
  const bucket = (ts: string) => {
    const ageNs = (now - fromTimestamp(ts)) * 1e6
    return ageNs <= 0 ? -1 : Math.floor(Math.log2(ageNs))
  }
  const ba = bucket(tsA)
  const bb = bucket(tsB)
  if (ba !== bb) return ba - bb
  return a.metadata.uid! < b.metadata.uid! ? -1 : a.metadata.uid! > b.metadata.uid! ? 1 : 0
}
