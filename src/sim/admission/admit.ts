import type { ClusterConfig } from '../config'
import { forbidden, invalid, invalidObjectMessage, required, validateDns1123Label, validateDns1123Subdomain, validateLabels, type FieldError } from '../model/fieldErrors'
import { deepEqual, keyOf, type KubeObject, type LabelSelector } from '../model/meta'
import type { Pod } from '../model/pod'
import { qosClass } from '../model/podFactory'
import { defaultPodSpec, validatePodSpec } from '../model/podSpecAdmission'
import type { Service } from '../model/service'
import { defaultServiceSpec, validateServiceSpec } from '../model/serviceAdmission'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { defaultDeploymentSpec, defaultReplicaSetSpec, validateDeployment, validateReplicaSet } from '../model/workloadAdmission'
import { API_VERSIONS, CLUSTER_SCOPED, isSimulatedKind, type ClusterState } from '../state'
import { withoutServiceAccountMount } from './serviceAccount'
import { checkAllocation, inheritAllocations, type Claims } from './serviceAllocation'
import { strictDecodingError } from './strictDecoding'

/** One object that passed (or failed) admission. */
export interface Admitted {
  readonly kind: string
  readonly key: string
  readonly object: KubeObject
  readonly old: KubeObject | undefined
  /** kubectl-style lines; empty when the object is accepted. */
  readonly errors: { path: string; message: string; field?: string }[]
}

/** kubectl's resource names, for "deployments.apps "web" not found" and "deployment.apps/web created". */
export const RESOURCE_NAMES: Record<string, { plural: string; singular: string }> = {
  Namespace: { plural: 'namespaces', singular: 'namespace' },
  Node: { plural: 'nodes', singular: 'node' },
  Pod: { plural: 'pods', singular: 'pod' },
  Deployment: { plural: 'deployments.apps', singular: 'deployment.apps' },
  ReplicaSet: { plural: 'replicasets.apps', singular: 'replicaset.apps' },
  Service: { plural: 'services', singular: 'service' },
  EndpointSlice: { plural: 'endpointslices.discovery.k8s.io', singular: 'endpointslice.discovery.k8s.io' },
  Endpoints: { plural: 'endpoints', singular: 'endpoints' },
}

export function resourceName(kind: string, apiVersion?: string): string {
  if (RESOURCE_NAMES[kind]) return RESOURCE_NAMES[kind].singular
  const group = apiVersion?.includes('/') ? `.${apiVersion.split('/')[0]}` : ''
  return `${kind.toLowerCase()}${group}`
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * Admission for one manifest object, as the API server would do it: type checks, defaults, validation with field
 * paths, immutable fields on update, and allocation checks. Nothing is written here.
 */
export function admit(state: ClusterState, raw: unknown, config: ClusterConfig, claims: Claims, pendingNamespaces: Set<string>): Admitted {
  const fail = (message: string, path = '', kind = '', key = ''): Admitted => ({ kind, key, object: raw as KubeObject, old: undefined, errors: [{ path, message }] })
  if (!isObject(raw)) return fail('error validating data: the document is not a mapping of fields (expected apiVersion, kind, metadata, ...)')
  const missing = [...(typeof raw['apiVersion'] === 'string' && raw['apiVersion'] ? [] : ['apiVersion not set']), ...(typeof raw['kind'] === 'string' && raw['kind'] ? [] : ['kind not set'])]
  if (missing.length) return fail(`error validating data: [${missing.join(', ')}]`, missing.length === 2 ? '' : missing[0]!.split(' ')[0]!)
  const apiVersion = raw['apiVersion'] as string
  const kind = raw['kind'] as string
  const metadata = isObject(raw['metadata']) ? raw['metadata'] : undefined
  const name = metadata?.['name']
  if (typeof name !== 'string' || name === '') return fail('error: resource name may not be empty', 'metadata.name', kind)
  const simulated = isSimulatedKind(kind)
  if (simulated && API_VERSIONS[kind] !== apiVersion) {
    return fail(`resource mapping not found for name: "${name}" namespace: "${metadata?.['namespace'] ?? ''}" from "STDIN": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first`, 'apiVersion', kind)
  }
  const decoding = strictDecodingError(kind, apiVersion, raw)
  if (decoding) return fail(decoding.message, decoding.path, kind, keyOf(CLUSTER_SCOPED.has(kind) ? undefined : ((metadata?.['namespace'] as string) ?? 'default'), name))
  const clusterScoped = CLUSTER_SCOPED.has(kind) || (!simulated && metadata?.['namespace'] === undefined && /^(Cluster|PersistentVolume$|StorageClass$|CustomResourceDefinition$|PriorityClass$|IngressClass$)/.test(kind))
  const namespace = clusterScoped ? undefined : typeof metadata?.['namespace'] === 'string' ? (metadata['namespace'] as string) : 'default'
  const key = keyOf(namespace, name)
  const errors: FieldError[] = []
  errors.push(...validateLabels('metadata.labels', metadata?.['labels']))
  if (metadata?.['annotations'] !== undefined && !isObject(metadata['annotations'])) errors.push(invalid('metadata.annotations', metadata['annotations'], 'must be a map of string keys to string values'))
  if (namespace !== undefined && !state.namespaces.has(namespace) && !pendingNamespaces.has(namespace)) {
    return fail(`Error from server (NotFound): namespaces "${namespace}" not found`, 'metadata.namespace', kind, key)
  }
  const meta = { ...(metadata as object), name, ...(namespace !== undefined ? { namespace } : {}) } as KubeObject['metadata']
  let object = { ...raw, apiVersion, kind, metadata: meta } as KubeObject
  let old: KubeObject | undefined
  switch (kind) {
    case 'Namespace':
      errors.push(...validateDns1123Label('metadata.name', name))
      object = { ...object, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' }, metadata: { ...meta, labels: { ...meta.labels, 'kubernetes.io/metadata.name': name } } }
      old = state.namespaces.get(key)
      if (old) object = { ...object, status: old.status }
      pendingNamespaces.add(name)
      break
    case 'Node':
      errors.push(...validateDns1123Subdomain('metadata.name', name))
      old = state.nodes.get(key)
      break
    case 'Service': {
      old = state.services.get(key)
      const svc = { ...object, spec: defaultServiceSpec(isObject(raw['spec']) ? (raw['spec'] as Partial<Service['spec']>) : {}), status: { loadBalancer: {} } } as Service
      errors.push(...validateServiceSpec(svc))
      if (errors.length === 0) {
        const spec = inheritAllocations(svc.spec, old as Service | undefined)
        object = { ...svc, spec, ...(old ? { status: (old as Service).status } : {}) }
        errors.push(...checkAllocation(state, object as Service, old as Service | undefined, config, claims))
      }
      break
    }
    case 'Deployment': {
      old = state.deployments.get(key)
      const d = object as Deployment
      errors.push(...validateDeployment(d))
      if (errors.length === 0) {
        const live = old as Deployment | undefined
        // An apply that leaves replicas out keeps the live count (it was scaled, or never set).
        const spec = defaultDeploymentSpec({ ...d.spec, replicas: d.spec.replicas ?? live?.spec.replicas ?? 1 })
        if (live && !deepEqual(live.spec.selector, spec.selector)) {
          errors.push({ path: 'spec.selector', message: `spec.selector: Invalid value: ${formatSelector(spec.selector)}: field is immutable` })
        }
        object = { ...d, spec, status: live?.status ?? {} }
      }
      break
    }
    case 'ReplicaSet': {
      old = state.replicaSets.get(key)
      const rs = object as ReplicaSet
      errors.push(...validateReplicaSet(rs))
      if (errors.length === 0) object = { ...rs, spec: defaultReplicaSetSpec(rs.spec), status: (old as ReplicaSet | undefined)?.status ?? { replicas: 0 } }
      break
    }
    case 'Pod': {
      old = state.pods.get(key)
      errors.push(...validateDns1123Subdomain('metadata.name', name))
      errors.push(...validatePodSpec('spec', raw['spec']))
      if (errors.length === 0) {
        const spec = defaultPodSpec(raw['spec'] as Pod['spec'], true)
        const live = old as Pod | undefined
        // What admission added when the pod was created (its service account token volume) is not the manifest's.
        if (live && !deepEqual({ ...withoutServiceAccountMount(live.spec), nodeName: undefined }, { ...spec, nodeName: undefined })) {
          errors.push(forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'))
        }
        const pod = { ...object, spec: live ? live.spec : spec } as Pod
        object = { ...pod, status: live?.status ?? { phase: 'Pending', qosClass: qosClass(pod) } }
      }
      break
    }
    case 'EndpointSlice': {
      old = state.endpointSlices.get(key)
      const types = ['IPv4', 'IPv6', 'FQDN']
      if (!types.includes(raw['addressType'] as string)) errors.push(required('addressType'))
      for (const [i, ep] of (Array.isArray(raw['endpoints']) ? raw['endpoints'] : []).entries()) {
        if (!Array.isArray(ep?.addresses) || ep.addresses.length === 0) errors.push(required(`endpoints[${i}].addresses`))
      }
      object = { ...object, endpoints: raw['endpoints'] ?? null, ports: raw['ports'] ?? null }
      break
    }
    case 'Endpoints':
      old = state.endpoints.get(key)
      break
    default:
      errors.push(...validateDns1123Subdomain('metadata.name', name))
      old = state.others.find((o) => o.kind === kind && o.apiVersion === apiVersion && o.metadata.name === name && o.metadata.namespace === namespace)
  }
  return {
    kind,
    key,
    object,
    old,
    errors: errors.map((e) => ({ path: e.path, message: invalidObjectMessage(kind, name, [e]), field: e.message })),
  }
}

/** v1.LabelSelector as the API server prints it in an immutable-field error. */
function formatSelector(s: LabelSelector): string {
  const labels = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `"${k}":"${v}"`).join(', ')
  return `v1.LabelSelector{MatchLabels:map[string]string{${labels}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}`
}
