import type { KubeObject } from '../model/meta'
import type { Container, Pod, PodSpec } from '../model/pod'
import type { ClusterState } from '../state'

/** The prefix of the projected volume the ServiceAccount admission plugin adds (ServiceAccountVolumeName). */
export const SERVICE_ACCOUNT_VOLUME_PREFIX = 'kube-api-access-'
/** DefaultAPITokenMountPath: where every container finds its token, the cluster CA and its namespace. */
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount'
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'

/** A ServiceAccount as stored (with the unsimulated kinds). */
interface ServiceAccount extends KubeObject {
  readonly automountServiceAccountToken?: boolean
}

/** The stored ServiceAccount `namespace/name`, if any. */
export function serviceAccountOf(state: ClusterState, namespace: string, name: string): ServiceAccount | undefined {
  return state.others.get(`v1/ServiceAccount/${namespace}/${name}`) as ServiceAccount | undefined
}

const isMirror = (pod: Pick<Pod, 'metadata'>) => pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined

/**
 * The ServiceAccount plugin's check on Pod create: the account the pod names must exist, else the request is
 * Forbidden with upstream's words. `pending` holds `namespace/name` of accounts created earlier in the same apply, and
 * of namespaces created there: their `default` account is made by the serviceaccount controller at once.
 * Returns the reason (what follows `pods "x" is forbidden: `), or undefined when the pod is admitted.
 */
export function serviceAccountForbidden(state: ClusterState, pod: Pick<Pod, 'metadata' | 'spec'>, pending: ReadonlySet<string>): string | undefined {
  if (isMirror(pod)) return undefined
  const ns = pod.metadata.namespace
  const name = pod.spec.serviceAccountName ?? 'default'
  if (serviceAccountOf(state, ns, name) || pending.has(`${ns}/${name}`)) return undefined
  if (name === 'default' && (state.namespaces.get(ns)?.status.phase === 'Active' || pending.has(`namespace:${ns}`))) return undefined
  return `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`
}

/** kubectl's line for a Pod the plugin refused; `name` is the pod's name, or its generateName for a controller's pod. */
export function forbiddenPodMessage(name: string, reason: string, viaApply: boolean): string {
  return viaApply ? `Error from server (Forbidden): error when creating "STDIN": pods "${name}" is forbidden: ${reason}` : `pods "${name}" is forbidden: ${reason}`
}

/** shouldAutomount: the pod's own setting wins, then its ServiceAccount's; the default is to mount. */
function shouldAutomount(state: ClusterState, pod: Pick<Pod, 'metadata' | 'spec'>): boolean {
  const own = pod.spec['automountServiceAccountToken']
  if (typeof own === 'boolean') return own
  const sa = serviceAccountOf(state, pod.metadata.namespace, pod.spec.serviceAccountName ?? 'default')
  return sa?.automountServiceAccountToken ?? true
}

/** TokenVolumeSource: a bound token (1 h 7 s), the cluster's CA and the pod's namespace, as one projected volume. */
function tokenVolume(name: string) {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    },
  }
}

type Mount = { readonly name?: string; readonly mountPath?: string; readonly readOnly?: boolean }
const mountsOf = (c: Container) => (Array.isArray(c['volumeMounts']) ? (c['volumeMounts'] as Mount[]) : [])
const volumesOf = (spec: PodSpec) => (Array.isArray(spec['volumes']) ? (spec['volumes'] as { name?: string }[]) : [])

/**
 * mountServiceAccountToken, on Pod create (apply or a controller): the `kube-api-access-<5 random>` volume and its
 * read-only mount at TOKEN_MOUNT_PATH in every init and app container that does not mount something there already;
 * nothing for a mirror pod or when automounting is off. `suffix` draws the 5 characters.
 */
export function mountServiceAccountToken(state: ClusterState, pod: Pod, suffix: () => string): Pod {
  if (isMirror(pod) || !shouldAutomount(state, pod)) return pod
  const spec = pod.spec
  const existing = volumesOf(spec).find((v) => v.name?.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX))
  const name = existing?.name ?? `${SERVICE_ACCOUNT_VOLUME_PREFIX}${suffix()}`
  let mounted = false
  const withMount = (c: Container): Container => {
    if (mountsOf(c).some((m) => m.mountPath === TOKEN_MOUNT_PATH)) return c
    mounted = true
    return { ...c, volumeMounts: [...mountsOf(c), { mountPath: TOKEN_MOUNT_PATH, name, readOnly: true }] }
  }
  const initContainers = spec.initContainers?.map(withMount)
  const containers = spec.containers.map(withMount)
  if (!mounted) return pod
  const volumes = existing ? volumesOf(spec) : [...volumesOf(spec), tokenVolume(name)]
  return { ...pod, spec: { ...spec, containers, ...(initContainers ? { initContainers } : {}), volumes } }
}

/** The spec without what mountServiceAccountToken added: how a live pod compares with a manifest applied again. */
export function withoutServiceAccountMount(spec: PodSpec): PodSpec {
  const added = volumesOf(spec).find((v) => v.name?.startsWith(SERVICE_ACCOUNT_VOLUME_PREFIX) && 'projected' in v)?.name
  if (!added) return spec
  const strip = (c: Container): Container => {
    const mounts = mountsOf(c).filter((m) => m.name !== added)
    const { volumeMounts: _m, ...rest } = c
    return mounts.length ? { ...rest, volumeMounts: mounts } : (rest as Container)
  }
  const volumes = volumesOf(spec).filter((v) => v.name !== added)
  const { volumes: _v, ...rest } = spec
  return {
    ...rest,
    containers: spec.containers.map(strip),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(strip) } : {}),
    ...(volumes.length ? { volumes } : {}),
  } as PodSpec
}
