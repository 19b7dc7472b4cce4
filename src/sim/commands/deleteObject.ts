import { RESOURCE_NAMES, resourceName } from '../admission/admit'
import { release } from '../admission/serviceAllocation'
import { deletePodGracefully } from '../controllers/podDeletion'
import type { Engine } from '../engine'
import { keyOf } from '../model/meta'
import type { Service } from '../model/service'
import { CLUSTER_SCOPED, isSimulatedKind } from '../state'
import { toTimestamp } from '../runtime/time'
import { etcdKey, failed, type CommandResult } from './results'

/** kubectl's names and short names: the simulated kinds, and the common ones stored but not simulated. */
const KIND_ALIASES: Record<string, string> = {
  cm: 'ConfigMap', configmap: 'ConfigMap', configmaps: 'ConfigMap',
  sa: 'ServiceAccount', serviceaccount: 'ServiceAccount', serviceaccounts: 'ServiceAccount',
  secret: 'Secret', secrets: 'Secret',
  ds: 'DaemonSet', daemonset: 'DaemonSet', daemonsets: 'DaemonSet',
  sts: 'StatefulSet', statefulset: 'StatefulSet', statefulsets: 'StatefulSet',
  job: 'Job', jobs: 'Job', cj: 'CronJob', cronjob: 'CronJob', cronjobs: 'CronJob',
  ing: 'Ingress', ingress: 'Ingress', ingresses: 'Ingress',
  netpol: 'NetworkPolicy', networkpolicy: 'NetworkPolicy', networkpolicies: 'NetworkPolicy',
  pvc: 'PersistentVolumeClaim', persistentvolumeclaim: 'PersistentVolumeClaim', persistentvolumeclaims: 'PersistentVolumeClaim',
  po: 'Pod', pod: 'Pod', pods: 'Pod',
  svc: 'Service', service: 'Service', services: 'Service',
  deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment',
  rs: 'ReplicaSet', replicaset: 'ReplicaSet', replicasets: 'ReplicaSet',
  ep: 'Endpoints', endpoints: 'Endpoints',
  endpointslice: 'EndpointSlice', endpointslices: 'EndpointSlice',
  ns: 'Namespace', namespace: 'Namespace', namespaces: 'Namespace',
  no: 'Node', node: 'Node', nodes: 'Node',
}

/** "svc" -> "Service"; unknown names are returned as given (an unsimulated kind such as ConfigMap). */
export function normalizeKind(kind: string): string {
  return KIND_ALIASES[kind.toLowerCase()] ?? kind
}

/**
 * kubectl delete: pods terminate gracefully; a Service gives back its ClusterIP and ports (its EndpointSlices go with
 * it through the garbage collector); a Deployment takes its ReplicaSets and pods along; a namespace empties first.
 */
export function deleteObject(engine: Engine, rawKind: string, namespace: string | undefined, name: string): CommandResult {
  const kind = normalizeKind(rawKind)
  const ns = CLUSTER_SCOPED.has(kind) ? undefined : (namespace ?? 'default')
  const key = keyOf(ns, name)
  const obj = engine.rt.api.lookup(engine.state, kind, key)
  const plural = RESOURCE_NAMES[kind]?.plural ?? `${kind.toLowerCase()}s`
  if (!obj) return failed([{ object: `${kind} ${key}`, path: 'metadata.name', message: `Error from server (NotFound): ${plural} "${name}" not found` }])
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
  engine.rt.record({ time: state.now, actor: 'API server', action: 'delete', object: objectName, message: kind === 'Pod' ? `Marked ${objectName} for graceful deletion (${(obj.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30}s grace period)` : `Deleted ${objectName}` })
  engine.rt.record({ time: state.now, actor: 'etcd', action: kind === 'Pod' ? 'store' : 'delete', object: objectName, message: `${kind === 'Pod' ? 'Stored' : 'Deleted'} ${etcdKey(kind, ns, name)}` })
  engine.reconcile()
  return { ok: true, errors: [], applied: [{ kind, name, ...(ns ? { namespace: ns } : {}), result: 'deleted', simulated: isSimulatedKind(kind), message: `${resourceName(kind, obj.apiVersion)} "${name}" deleted` }] }
}
