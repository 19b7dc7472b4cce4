import type { Engine } from '../engine'
import { invalidObjectMessage } from '../model/fieldErrors'
import { pluralName, singularName } from '../model/kinds'
import { validateReplicas } from '../model/workloadAdmission'
import { failed, type CommandResult } from './results'

/** kubectl scale deployment/<name> --replicas=N (or a ReplicaSet): validated, refused beyond the simulator's limits. */
export function scale(engine: Engine, namespace: string, name: string, replicas: unknown, kind: 'Deployment' | 'ReplicaSet' = 'Deployment'): CommandResult {
  const key = `${namespace}/${name}`
  const obj = kind === 'Deployment' ? engine.state.deployments.get(key) : engine.state.replicaSets.get(key)
  const objectName = `${kind} ${key}`
  if (!obj) return failed([{ object: objectName, path: 'metadata.name', message: `Error from server (NotFound): ${pluralName(kind)} "${name}" not found` }])
  const errs = validateReplicas('spec.replicas', replicas)
  if (errs.length) return failed(errs.map((e) => ({ object: objectName, path: e.path, message: invalidObjectMessage(kind, name, [e]), field: e.message })))
  const n = replicas as number
  const projected = engine.state.pods.size + n - obj.spec.replicas
  if (n > obj.spec.replicas && projected > engine.config.maxPods) {
    return failed([{ object: objectName, path: 'spec.replicas', message: `The ${kind} "${name}" is invalid: spec.replicas: Invalid value: ${n}: the simulator holds at most ${engine.config.maxPods} pods, and this would make ${projected}` }])
  }
  engine.state = engine.rt.api.update(engine.state, { ...obj, spec: { ...obj.spec, replicas: n } }, 'scale')
  engine.reconcile()
  return { ok: true, errors: [], applied: [{ kind, namespace, name, result: 'scaled', simulated: true, message: `${singularName(kind)}/${name} scaled` }] }
}
