import type { Engine } from '../engine'
import { revisionOf, templateEqualIgnoringHash } from '../controllers/deploymentUtil'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { failed, type CommandResult } from './results'

/**
 * kubectl rollout undo deployment/<name>: the template of the ReplicaSet at the previous revision (the highest below
 * the current one, as kubectl's DeploymentRollbacker finds it) becomes the Deployment's template again, its
 * pod-template-hash label left out. The Deployment controller then scales that old ReplicaSet back up, under a new
 * revision number. With no earlier revision, kubectl's error.
 */
export function rolloutUndo(engine: Engine, namespace: string, name: string): CommandResult {
  const d = engine.state.deployments.get(`${namespace}/${name}`)
  const object = `Deployment ${namespace}/${name}`
  if (!d) return failed([{ object, path: 'metadata.name', message: `Error from server (NotFound): deployments.apps "${name}" not found` }])
  const owned: ReplicaSet[] = []
  for (const dep of engine.rt.index.dependentsOf(d.metadata.uid!)) {
    const [kind, key] = dep.split('|') as [string, string]
    const rs = kind === 'ReplicaSet' ? engine.state.replicaSets.get(key) : undefined
    if (rs) owned.push(rs)
  }
  const current = owned.find((rs) => templateEqualIgnoringHash(rs.spec.template, d.spec.template))
  const currentRevision = current ? revisionOf(current) : Math.max(0, ...owned.map(revisionOf))
  const previous = owned.filter((rs) => revisionOf(rs) < currentRevision && rs !== current).sort((a, b) => revisionOf(b) - revisionOf(a))[0]
  if (!previous) return failed([{ object, path: 'metadata.annotations', message: `error: no rollout history found for deployment "${name}"` }])
  const { 'pod-template-hash': _hash, ...labels } = previous.spec.template.metadata?.labels ?? {}
  const template = { ...previous.spec.template, metadata: { ...previous.spec.template.metadata, labels } }
  const next: Deployment = { ...d, spec: { ...d.spec, template } }
  engine.state = engine.rt.api.update(engine.state, next)
  engine.reconcile()
  return { ok: true, errors: [], applied: [{ kind: 'Deployment', namespace, name, result: 'rolled back', simulated: true, message: `deployment.apps/${name} rolled back` }] }
}
