import type { ClusterReads, Deployment, ReplicaSet } from '../../sim'

/** One revision of a Deployment, as `kubectl rollout history` numbers it: its ReplicaSet and how many pods it has now. */
export interface Revision {
  readonly revision: number
  readonly replicaSet: string
  /** The images of its pod template, "container=image". */
  readonly images: readonly string[]
  readonly desired: number
  readonly ready: number
  /** The ReplicaSet whose template is the Deployment's: the one the rollout grows. */
  readonly current: boolean
}

const revisionOf = (rs: ReplicaSet) => Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0)

/** The Deployment's ReplicaSets, newest revision first, read from the cluster (live or a past moment). */
export function rolloutRevisions(reader: Pick<ClusterReads, 'list'>, deployment: Deployment): Revision[] {
  const uid = deployment.metadata.uid
  const owned = (reader.list('ReplicaSet', deployment.metadata.namespace) as ReplicaSet[]).filter((rs) => rs.metadata.ownerReferences?.some((o) => o.uid === uid && o.controller))
  // The current ReplicaSet carries the highest revision (the Deployment controller renumbers one it rolls back to).
  const newest = Math.max(0, ...owned.map(revisionOf))
  return owned
    .map((rs) => ({
      revision: revisionOf(rs),
      replicaSet: rs.metadata.name,
      images: rs.spec.template.spec.containers.map((c) => `${c.name}=${c.image}`),
      desired: rs.spec.replicas,
      ready: rs.status.readyReplicas ?? 0,
      current: revisionOf(rs) === newest,
    }))
    .sort((a, b) => b.revision - a.revision)
}
