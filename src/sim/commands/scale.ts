import { RESOURCE_NAMES } from '../admission/admit'
import type { Engine } from '../engine'
import { validateReplicas } from '../model/workloadAdmission'
import { invalidObjectMessage } from '../model/fieldErrors'
import { etcdKey, failed, type CommandResult } from './results'

/** kubectl scale deployment/<name> --replicas=N (or a ReplicaSet): validated, refused beyond the simulator's limits. */
export function scale(engine: Engine, namespace: string, name: string, replicas: unknown, kind: 'Deployment' | 'ReplicaSet' = 'Deployment'): CommandResult {
  const key = `${namespace}/${name}`
  const obj = kind === 'Deployment' ? engine.state.deployments.get(key) : engine.state.replicaSets.get(key)
  const objectName = `${kind} ${key}`
  if (!obj) return failed([{ object: objectName, path: 'metadata.name', message: `Error from server (NotFound): ${RESOURCE_NAMES[kind]!.plural} "${name}" not found` }])
  const errs = validateReplicas('spec.replicas', replicas)
  if (errs.length) return failed(errs.map((e) => ({ object: objectName, path: e.path, message: invalidObjectMessage(kind, name, [e]), field: e.message })))
  const n = replicas as number
  const projected = engine.state.pods.size + n - obj.spec.replicas
  if (projected > engine.config.maxPods) {
    return failed([{ object: objectName, path: 'spec.replicas', message: `The ${kind} "${name}" is invalid: spec.replicas: Invalid value: ${n}: the simulator holds at most ${engine.config.maxPods} pods, and this would make ${projected}` }])
  }
  const before = engine.state
  engine.state = engine.rt.api.update(engine.state, { ...obj, spec: { ...obj.spec, replicas: n } })
  const changed = engine.state !== before
  if (changed) {
    engine.rt.record({ time: engine.state.now, actor: 'API server', action: 'scale', object: objectName, message: `Scaled ${objectName} from ${obj.spec.replicas} to ${n} replicas (the scale subresource)` })
    engine.rt.record({ time: engine.state.now, actor: 'etcd', action: 'store', object: objectName, message: `Stored ${etcdKey(kind, namespace, name)} (resourceVersion ${engine.state.resourceVersion})` })
  }
  engine.reconcile()
  return { ok: true, errors: [], applied: [{ kind, namespace, name, result: 'scaled', simulated: true, message: `${RESOURCE_NAMES[kind]!.singular}/${name} scaled` }] }
}
