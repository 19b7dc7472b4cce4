/**
 * What the API server's discovery says about each built-in kind of Kubernetes 1.33: where it is served, its resource
 * names (for kubectl's arguments and messages), its scope, and where etcd keeps it. One place for these facts.
 */
export interface KindInfo {
  readonly kind: string
  /** "" for the core group. */
  readonly group: string
  readonly versions: readonly string[]
  readonly plural: string
  readonly shortNames: readonly string[]
  readonly namespaced: boolean
  /** etcd's path under /registry, when it is not the plural (Services live under services/specs, Nodes under minions). */
  readonly etcd?: string
}

const table: [groupVersions: string, kind: string, plural: string, short: string, scope: 'ns' | 'cluster', etcd?: string][] = [
  ['v1', 'Binding', 'bindings', '', 'ns'],
  ['v1', 'ComponentStatus', 'componentstatuses', 'cs', 'cluster'],
  ['v1', 'ConfigMap', 'configmaps', 'cm', 'ns'],
  ['v1', 'Endpoints', 'endpoints', 'ep', 'ns', 'services/endpoints'],
  ['v1', 'Event', 'events', 'ev', 'ns'],
  ['v1', 'LimitRange', 'limitranges', 'limits', 'ns'],
  ['v1', 'Namespace', 'namespaces', 'ns', 'cluster'],
  ['v1', 'Node', 'nodes', 'no', 'cluster', 'minions'],
  ['v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', 'pvc', 'ns'],
  ['v1', 'PersistentVolume', 'persistentvolumes', 'pv', 'cluster'],
  ['v1', 'Pod', 'pods', 'po', 'ns'],
  ['v1', 'PodTemplate', 'podtemplates', '', 'ns'],
  ['v1', 'ReplicationController', 'replicationcontrollers', 'rc', 'ns', 'controllers'],
  ['v1', 'ResourceQuota', 'resourcequotas', 'quota', 'ns'],
  ['v1', 'Secret', 'secrets', '', 'ns'],
  ['v1', 'ServiceAccount', 'serviceaccounts', 'sa', 'ns'],
  ['v1', 'Service', 'services', 'svc', 'ns', 'services/specs'],
  ['apps/v1', 'ControllerRevision', 'controllerrevisions', '', 'ns'],
  ['apps/v1', 'DaemonSet', 'daemonsets', 'ds', 'ns'],
  ['apps/v1', 'Deployment', 'deployments', 'deploy', 'ns'],
  ['apps/v1', 'ReplicaSet', 'replicasets', 'rs', 'ns'],
  ['apps/v1', 'StatefulSet', 'statefulsets', 'sts', 'ns'],
  ['batch/v1', 'CronJob', 'cronjobs', 'cj', 'ns'],
  ['batch/v1', 'Job', 'jobs', '', 'ns'],
  ['autoscaling/v1,v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', 'hpa', 'ns'],
  ['networking.k8s.io/v1', 'Ingress', 'ingresses', 'ing', 'ns', 'ingress'],
  ['networking.k8s.io/v1', 'IngressClass', 'ingressclasses', '', 'cluster'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', 'netpol', 'ns'],
  ['networking.k8s.io/v1', 'IPAddress', 'ipaddresses', 'ip', 'cluster'],
  ['networking.k8s.io/v1', 'ServiceCIDR', 'servicecidrs', '', 'cluster'],
  ['discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', '', 'ns'],
  ['policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', 'pdb', 'ns'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', '', 'cluster'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', '', 'cluster'],
  ['rbac.authorization.k8s.io/v1', 'Role', 'roles', '', 'ns'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', '', 'ns'],
  ['storage.k8s.io/v1', 'CSIDriver', 'csidrivers', '', 'cluster'],
  ['storage.k8s.io/v1', 'CSINode', 'csinodes', '', 'cluster'],
  ['storage.k8s.io/v1', 'CSIStorageCapacity', 'csistoragecapacities', '', 'ns'],
  ['storage.k8s.io/v1', 'StorageClass', 'storageclasses', 'sc', 'cluster'],
  ['storage.k8s.io/v1', 'VolumeAttachment', 'volumeattachments', '', 'cluster'],
  ['scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', 'pc', 'cluster'],
  ['coordination.k8s.io/v1', 'Lease', 'leases', '', 'ns'],
  ['node.k8s.io/v1', 'RuntimeClass', 'runtimeclasses', '', 'cluster'],
  ['events.k8s.io/v1', 'Event', 'events', 'ev', 'ns'],
  ['certificates.k8s.io/v1', 'CertificateSigningRequest', 'certificatesigningrequests', 'csr', 'cluster'],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', '', 'cluster'],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', '', 'cluster'],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', '', 'cluster'],
  ['admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', '', 'cluster'],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', 'crd,crds', 'cluster', 'apiextensions.k8s.io/customresourcedefinitions'],
  ['apiregistration.k8s.io/v1', 'APIService', 'apiservices', '', 'cluster', 'apiregistration.k8s.io/apiservices'],
  ['flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'flowschemas', '', 'cluster'],
  ['flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', '', 'cluster'],
]

/** Every built-in kind, in discovery order. */
export const BUILTIN_KINDS: readonly KindInfo[] = table.map(([gv, kind, plural, short, scope, etcd]) => {
  const [group, versions] = gv.includes('/') ? gv.split('/') : ['', gv]
  return { kind, group: group!, versions: versions!.split(','), plural, shortNames: short ? short.split(',') : [], namespaced: scope === 'ns', ...(etcd ? { etcd } : {}) }
})

/**
 * Groups the API server itself serves (or served, or serves only behind feature gates or aggregated servers kind does
 * not install): a kind asked for in one of them that is not in the table does not exist. Any other group is taken to
 * be a custom resource whose CRD is installed.
 */
const BUILTIN_GROUPS = new Set([
  ...BUILTIN_KINDS.map((k) => k.group), 'extensions', 'resource.k8s.io', 'storagemigration.k8s.io', 'internal.apiserver.k8s.io',
  'metrics.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'apps.k8s.io',
])

/** "apps/v1" -> { group: "apps", version: "v1" }; "v1" -> the core group. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) }
}

const byGroupKind = new Map(BUILTIN_KINDS.map((k) => [`${k.group}/${k.kind}`, k]))

/** Every plain resource name kubectl accepts for a built-in kind (the first group to claim a name keeps it). */
const byResourceName = new Map<string, string>()
for (const k of BUILTIN_KINDS) {
  for (const n of [k.plural, k.kind.toLowerCase(), ...k.shortNames]) if (!byResourceName.has(n)) byResourceName.set(n, k.kind)
}

/**
 * The REST mapping of apiVersion + kind: a built-in kind, a custom resource (undefined info, allowed), or no match
 * (kind names are case-sensitive: `service` is not `Service`).
 */
export function mapKind(apiVersion: string, kind: string): { ok: true; info: KindInfo | undefined } | { ok: false } {
  const { group, version } = splitApiVersion(apiVersion)
  if (apiVersion.split('/').length > 2 || !version) return { ok: false }
  const info = byGroupKind.get(`${group}/${kind}`)
  if (info) return info.versions.includes(version) ? { ok: true, info } : { ok: false }
  return BUILTIN_GROUPS.has(group) ? { ok: false } : { ok: true, info: undefined }
}

/** The built-in kind of a group (the core group when the kind exists there), if there is one. */
export function builtinKind(kind: string, group?: string): KindInfo | undefined {
  if (group !== undefined) return byGroupKind.get(`${group}/${kind}`)
  return byGroupKind.get(`/${kind}`) ?? BUILTIN_KINDS.find((k) => k.kind === kind)
}

/**
 * kubectl's resource argument ("svc", "pods", "deployment.apps", "Deployment") -> the kind, among the built-in kinds
 * and the custom kinds given. Undefined when the server has no such resource type.
 */
export function resolveResource(arg: string, customKinds: Iterable<string> = []): string | undefined {
  const name = arg.toLowerCase()
  const known = byResourceName.get(name)
  if (known) return known
  const dot = name.indexOf('.')
  const base = dot < 0 ? name : name.slice(0, dot)
  const group = dot < 0 ? undefined : name.slice(dot + 1)
  const matches = (k: KindInfo) =>
    (group === undefined || group === k.group) && (k.plural === base || k.kind.toLowerCase() === base || k.shortNames.includes(base))
  // The core group wins a name two groups share (events).
  const found = BUILTIN_KINDS.find(matches)
  if (found) return found.kind
  for (const kind of customKinds) {
    const lower = kind.toLowerCase()
    if (base === lower || base === `${lower}s` || base === `${lower}es`) return kind
  }
  return undefined
}

/** "deployment.apps" (kubectl's singular, with the group), as in "deployment.apps/web created". */
export function singularName(kind: string, apiVersion?: string): string {
  const group = apiVersion ? splitApiVersion(apiVersion).group : (builtinKind(kind)?.group ?? '')
  return `${kind.toLowerCase()}${group ? `.${group}` : ''}`
}

/** "deployments.apps", as in `deployments.apps "web" not found`. */
export function pluralName(kind: string, apiVersion?: string): string {
  const group = apiVersion ? splitApiVersion(apiVersion).group : (builtinKind(kind)?.group ?? '')
  const info = builtinKind(kind, group)
  return `${info?.plural ?? `${kind.toLowerCase()}s`}${group ? `.${group}` : ''}`
}

const etcdPrefixes = new Map<string, string>()

/** etcd's key for an object, as the API server stores it (nodes still live under "minions"). */
export function etcdKey(kind: string, namespace: string | undefined, name: string, apiVersion?: string): string {
  const id = `${apiVersion ?? ''}|${kind}`
  let prefix = etcdPrefixes.get(id)
  if (prefix === undefined) {
    const group = apiVersion ? splitApiVersion(apiVersion).group : (builtinKind(kind)?.group ?? '')
    const info = builtinKind(kind, group)
    prefix = `/registry/${info ? (info.etcd ?? info.plural) : `${group}/${kind.toLowerCase()}s`}/`
    etcdPrefixes.set(id, prefix)
  }
  return `${prefix}${namespace ? `${namespace}/` : ''}${name}`
}
