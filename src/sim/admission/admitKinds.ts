import type { ClusterConfig } from '../config'
import type { EndpointSlice, Endpoints } from '../model/endpointSlice'
import { admitEndpoints, admitEndpointSlice, defaultEndpointSlice } from '../model/endpointsAdmission'
import { dns1035LabelProblems, dns1123LabelProblems, dns1123SubdomainProblems, type FieldError } from '../model/fieldErrors'
import { deepEqual, type KubeObject } from '../model/meta'
import { validateObjectMeta } from '../model/metaAdmission'
import { validateNode } from '../model/nodeAdmission'
import type { Node } from '../model/node'
import type { Pod, PodSpec } from '../model/pod'
import { qosClass } from '../model/podFactory'
import { defaultPodSpec, validatePodSpec, validatePodUpdate } from '../model/podSpecAdmission'
import { withoutServiceAccountMount } from './serviceAccount'
import type { Service, ServiceSpec } from '../model/service'
import { defaultServiceSpec, normalizeServiceAddresses, validateService, validateServiceUpdate } from '../model/serviceAdmission'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { defaultDeploymentSpec, defaultReplicaSetSpec, validateDeployment, validateReplicaSet, validateSelectorUpdate } from '../model/workloadAdmission'
import type { ClusterState } from '../state'
import type { Batch } from './admit'
import { checkAllocation, inheritAllocations } from './serviceAllocation'

/** What a kind's admission makes of a decoded object: the object to store, or why not. */
export interface KindAdmission {
  readonly object: KubeObject
  readonly errors: FieldError[]
  readonly warnings: string[]
}

/**
 * Defaulting, validation and the kind's admission steps, per kind, for a decoded object whose metadata (name,
 * namespace) is settled. `old` is the stored object or the one admitted earlier in the batch.
 */
export function admitKind(state: ClusterState, object: KubeObject, old: KubeObject | undefined, config: ClusterConfig, batch: Batch): KindAdmission {
  const meta = object.metadata
  switch (object.kind) {
    case 'Namespace': {
      const errors = validateObjectMeta(meta, dns1123LabelProblems)
      const admitted = {
        ...object,
        metadata: { ...meta, labels: { ...meta.labels, 'kubernetes.io/metadata.name': meta.name } },
        spec: { finalizers: ['kubernetes'] },
        status: old?.status ?? { phase: 'Active' },
      }
      return { object: admitted, errors, warnings: [] }
    }
    case 'Node':
      return { object, errors: [...validateObjectMeta(meta, dns1123SubdomainProblems), ...validateNode(object as Node, old as Node | undefined)], warnings: [] }
    case 'Service':
      return admitService(state, object as Service, old as Service | undefined, config, batch)
    case 'Deployment': {
      const d = object as Deployment
      const live = old as Deployment | undefined
      const sent = (d.spec ?? {}) as Partial<Deployment['spec']>
      // An apply that leaves replicas out keeps the live count (it was scaled, or never set).
      const spec = defaultDeploymentSpec({ ...sent, replicas: sent.replicas ?? live?.spec.replicas ?? 1 })
      const admitted = { ...d, spec, status: live?.status ?? {} }
      const errors = [...validateObjectMeta(meta, dns1123SubdomainProblems), ...validateDeployment(sent, admitted)]
      if (live && errors.length === 0) errors.push(...validateSelectorUpdate(spec.selector, live.spec.selector, deepEqual))
      return { object: admitted, errors, warnings: [] }
    }
    case 'ReplicaSet': {
      const rs = object as ReplicaSet
      const live = old as ReplicaSet | undefined
      const admitted = { ...rs, spec: defaultReplicaSetSpec((rs.spec ?? {}) as Partial<ReplicaSet['spec']>), status: live?.status ?? { replicas: 0 } }
      const errors = [...validateObjectMeta(meta, dns1123SubdomainProblems), ...validateReplicaSet(admitted)]
      if (live && errors.length === 0) errors.push(...validateSelectorUpdate(admitted.spec.selector, live.spec.selector, deepEqual))
      return { object: admitted, errors, warnings: [] }
    }
    case 'Pod': {
      const live = old as Pod | undefined
      let spec = defaultPodSpec(((object as Pod).spec ?? { containers: [] }) as PodSpec, true)
      const errors = [...validateObjectMeta(meta, dns1123SubdomainProblems), ...validatePodSpec('spec', spec, true)]
      if (live && errors.length === 0) {
        // What admission added when the pod was created (its service account token volume) is not the manifest's.
        const update = validatePodUpdate(spec, live.spec, (x, y) => deepEqual(withoutServiceAccountMount(x), withoutServiceAccountMount(y)))
        errors.push(...update.errors)
        spec = update.spec
      }
      const pod = { ...object, spec } as Pod
      return { object: { ...pod, status: live?.status ?? { phase: 'Pending', qosClass: qosClass(pod) } }, errors, warnings: [] }
    }
    case 'EndpointSlice': {
      const r = admitEndpointSlice(defaultEndpointSlice(object as EndpointSlice), old as EndpointSlice | undefined)
      return { object: r.slice, errors: [...validateObjectMeta(meta, dns1123SubdomainProblems), ...r.errors], warnings: r.warnings }
    }
    case 'Endpoints': {
      const r = admitEndpoints(object as Endpoints)
      return { object: r.endpoints, errors: [...validateObjectMeta(meta, dns1123SubdomainProblems), ...r.errors], warnings: r.warnings }
    }
    default:
      return { object, errors: validateObjectMeta(meta, dns1123SubdomainProblems), warnings: [] }
  }
}

/** Defaults, the addresses in the form consumers read, what the live Service allocated, validation, allocation checks. */
function admitService(state: ClusterState, svc: Service, old: Service | undefined, config: ClusterConfig, batch: Batch): KindAdmission {
  const { spec: normalized, warnings } = normalizeServiceAddresses(defaultServiceSpec((svc.spec ?? {}) as Partial<ServiceSpec>))
  const spec = inheritAllocations(normalized, old)
  const admitted: Service = { ...svc, spec, status: old?.status ?? { loadBalancer: {} } }
  const errors = [...validateObjectMeta(svc.metadata, dns1035LabelProblems), ...validateService(admitted)]
  if (old) errors.push(...validateServiceUpdate(admitted, old))
  if (errors.length === 0) errors.push(...checkAllocation(state, admitted, old, config, batch.claims))
  return { object: admitted, errors, warnings }
}
