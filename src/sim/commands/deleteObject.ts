import { release } from '../admission/serviceAllocation'
import { deletePodGracefully } from '../controllers/podDeletion'
import type { Engine } from '../engine'
import { builtinKind, pluralName, resolveResource, singularName } from '../model/kinds'
import { keyOf } from '../model/meta'
import type { Service } from '../model/service'
import { isSimulatedKind, type ClusterState } from '../state'
import { toTimestamp } from '../runtime/time'
import { failed, type CommandResult } from './results'

const customKindsOf = new WeakMap<ClusterState['others'], Set<string>>()

/** Kinds stored but not built in (custom resources): found once per table of such objects. */
function customKinds(state: ClusterState): Set<string> {
  let kinds = customKindsOf.get(state.others)
  if (!kinds) {
    kinds = new Set<string>()
    for (const o of state.others.values()) if (!builtinKind(o.kind)) kinds.add(o.kind)
    customKindsOf.set(state.others, kinds)
  }
  return kinds
}

/** kubectl's resource argument ("svc", "pods", "deployment.apps") -> the kind; undefined when the server has none. */
export function kindOf(state: ClusterState, resource: string): string | undefined {
  return resolveResource(resource, customKinds(state))
}

/** kubectl's error for a resource type the server does not serve. */
export const noResourceType = (resource: string) => `error: the server doesn't have a resource type "${resource}"`

/**
 * kubectl delete: pods terminate gracefully; a Service gives back its ClusterIP and ports (its EndpointSlices go with
 * it through the garbage collector); a Deployment takes its ReplicaSets and pods along; a namespace empties first.
 */
export function deleteObject(engine: Engine, resource: string, namespace: string | undefined, name: string): CommandResult {
  const kind = kindOf(engine.state, resource)
  if (!kind) return failed([{ path: '', message: noResourceType(resource) }])
  const info = builtinKind(kind)
  const ns = info ? (info.namespaced ? (namespace ?? 'default') : undefined) : (namespace ?? undefined)
  const key = keyOf(ns, name)
  const obj = engine.rt.api.lookup(engine.state, kind, key)
  if (!obj) return failed([{ object: `${kind} ${key}`, path: 'metadata.name', message: `Error from server (NotFound): ${pluralName(kind)} "${name}" not found` }])
  const objectName = `${kind} ${key}`
  let state = engine.state
  switch (kind) {
    case 'Pod':
      state = deletePodGracefully(state, engine.rt.api, obj as never)
      break
    case 'Namespace':
      if (['default', 'kube-system', 'kube-public', 'kube-node-lease'].includes(name)) {
        return failed([{ object: objectName, path: 'metadata.name', message: `Error from server (Forbidden): namespaces "${name}" is forbidden: this namespace may not be deleted` }])
      }
      state = engine.rt.api.update(state, { ...obj, metadata: { ...obj.metadata, deletionTimestamp: toTimestamp(state.now) }, status: { phase: 'Terminating' } })
      break
    case 'Node':
      for (const podKey of [...(engine.rt.index.podsByNode.get(name) ?? [])]) state = engine.rt.api.remove(state, 'Pod', podKey)
      state = engine.rt.api.remove(state, 'Node', key)
      break
    case 'Service':
      state = engine.rt.api.remove(release(state, obj as Service), 'Service', key)
      break
    default:
      state = engine.rt.api.remove(state, kind, key, isSimulatedKind(kind) ? undefined : obj.apiVersion)
  }
  engine.state = state
  engine.reconcile()
  return { ok: true, errors: [], applied: [{ kind, name, ...(ns ? { namespace: ns } : {}), result: 'deleted', simulated: isSimulatedKind(kind), message: `${singularName(kind, obj.apiVersion)} "${name}" deleted` }] }
}
