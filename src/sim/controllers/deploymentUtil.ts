import { fnv32a, safeEncodeString } from '../runtime/hash'
import type { Deployment, PodTemplateSpec, ReplicaSet } from '../model/workloads'
import { deepEqual } from '../model/meta'

/** The annotations a Deployment writes on its ReplicaSets: the replica count it asked for, and that plus maxSurge. */
export const DESIRED = 'deployment.kubernetes.io/desired-replicas'
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas'

/** JSON with sorted keys: a canonical text of plain API data. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null'
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`
  const o = v as Record<string, unknown>
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`
}

/**
 * pod-template-hash (controller.ComputeHash): FNV-32a of the template (and collisionCount), in decimal, safe-encoded.
 * Go hashes a spew dump of its own structs, which no other language can reproduce; we hash canonical JSON, so the value
 * has the real shape (e.g. "7c5ddbdf54") but not the value a real cluster would print for the same template.
 */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  const text = canonicalJson(template) + (collisionCount !== undefined ? `#${collisionCount}` : '')
  return safeEncodeString(String(fnv32a(text)))
}

/** GetValueFromIntOrPercent. */
export function intOrPercent(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0
  if (typeof v === 'number') return v
  const pct = Number(v.replace('%', ''))
  const x = (pct * total) / 100
  return roundUp ? Math.ceil(x) : Math.floor(x)
}

/** ResolveFenceposts: maxSurge rounds up, maxUnavailable down; both zero makes unavailable 1. */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec.strategy.rollingUpdate
  const surge = intOrPercent(ru?.maxSurge, d.spec.replicas, true)
  let unavailable = intOrPercent(ru?.maxUnavailable, d.spec.replicas, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return { surge, unavailable }
}

export function maxSurge(d: Deployment): number {
  return d.spec.strategy.type === 'RollingUpdate' ? resolveFenceposts(d).surge : 0
}

export function maxUnavailable(d: Deployment): number {
  if (d.spec.strategy.type !== 'RollingUpdate' || d.spec.replicas === 0) return 0
  return Math.min(resolveFenceposts(d).unavailable, d.spec.replicas)
}

/** Template equality ignoring the pod-template-hash label (EqualIgnoreHash). */
export function templateEqualIgnoringHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  const strip = (t: PodTemplateSpec) => {
    const { 'pod-template-hash': _h, ...labels } = t.metadata?.labels ?? {}
    return { ...t, metadata: { ...t.metadata, labels } }
  }
  return deepEqual(strip(a), strip(b))
}

export function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)
}

export const sumReplicas = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + rs.spec.replicas, 0)
export const sumAvailable = (rss: readonly ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status.availableReplicas ?? 0), 0)

/** NewRSNewReplicas: Recreate starts the new ReplicaSet at full size; RollingUpdate grows it as far as maxSurge allows. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  if (d.spec.strategy.type === 'Recreate') return d.spec.replicas
  const current = sumReplicas(allRSs)
  const maxTotal = d.spec.replicas + maxSurge(d)
  if (current >= maxTotal) return newRS.spec.replicas
  return newRS.spec.replicas + Math.min(maxTotal - current, d.spec.replicas - newRS.spec.replicas)
}

/** Go's math.Round: halves away from zero. */
const roundHalfAway = (x: number) => (x >= 0 ? Math.floor(x + 0.5) : Math.ceil(x - 0.5))

/**
 * GetReplicaSetProportion: how many replicas a ReplicaSet gains (or loses) when the Deployment is resized mid-rollout,
 * in proportion to its share of the size it was last annotated with, never more than is left to hand out.
 */
export function replicaSetProportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (rs.spec.replicas === 0 || toAdd === 0 || toAdd === added) return 0
  let fraction: number
  if (d.spec.replicas === 0) fraction = -rs.spec.replicas
  else {
    const annotated = Number(rs.metadata.annotations?.['deployment.kubernetes.io/max-replicas'])
    const before = Number.isInteger(annotated) && annotated > 0 ? annotated : (d.status.replicas ?? 0)
    // No annotation and no status to go by: the ReplicaSet's own size is its share.
    fraction = before === 0 ? rs.spec.replicas : roundHalfAway((rs.spec.replicas * (d.spec.replicas + maxSurge(d))) / before) - rs.spec.replicas
  }
  const allowed = toAdd - added
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed)
}

/** Oldest first, ties by name (controller.ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp!
  const tb = b.metadata.creationTimestamp!
  if (ta !== tb) return ta < tb ? -1 : 1
  return a.metadata.name < b.metadata.name ? -1 : 1
}
