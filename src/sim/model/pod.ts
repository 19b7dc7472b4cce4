import type { KubeObject, ObjectMeta } from './meta'

/** core/v1 Pod, with the fields the simulation reads or writes. */
export interface ContainerPort {
  readonly name?: string
  readonly containerPort: number
  readonly protocol?: Protocol
  readonly hostPort?: number
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP'

export interface Probe {
  readonly httpGet?: { readonly path?: string; readonly port: number | string; readonly scheme?: string }
  readonly tcpSocket?: { readonly port: number | string }
  readonly exec?: { readonly command: readonly string[] }
  readonly grpc?: { readonly port: number }
  readonly initialDelaySeconds?: number
  readonly timeoutSeconds?: number
  readonly periodSeconds?: number
  readonly successThreshold?: number
  readonly failureThreshold?: number
}

export interface EnvVar {
  readonly name: string
  readonly value?: string
  readonly valueFrom?: unknown
}

export interface Container {
  readonly name: string
  readonly image: string
  readonly ports?: readonly ContainerPort[]
  readonly env?: readonly EnvVar[]
  readonly readinessProbe?: Probe
  readonly livenessProbe?: Probe
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string | number>>
    readonly limits?: Readonly<Record<string, string | number>>
  }
  readonly imagePullPolicy?: string
  readonly [field: string]: unknown
}

export interface Toleration {
  readonly key?: string
  readonly operator?: 'Exists' | 'Equal'
  readonly value?: string
  readonly effect?: string
  readonly tolerationSeconds?: number
}

/** What a pod adds to (or, with dnsPolicy None, sets as) its resolv.conf. */
export interface PodDNSConfig {
  readonly nameservers?: readonly string[]
  readonly searches?: readonly string[]
  readonly options?: readonly { readonly name: string; readonly value?: string }[]
}

export interface PodSpec {
  readonly containers: readonly Container[]
  readonly initContainers?: readonly Container[]
  readonly nodeName?: string
  readonly nodeSelector?: Readonly<Record<string, string>>
  readonly tolerations?: readonly Toleration[]
  readonly hostname?: string
  readonly subdomain?: string
  readonly hostNetwork?: boolean
  readonly dnsPolicy?: string
  readonly dnsConfig?: PodDNSConfig
  readonly restartPolicy?: string
  readonly terminationGracePeriodSeconds?: number
  readonly enableServiceLinks?: boolean
  readonly schedulerName?: string
  readonly serviceAccountName?: string
  readonly priorityClassName?: string
  readonly [field: string]: unknown
}

export interface PodCondition {
  readonly type: 'PodReadyToStartContainers' | 'Initialized' | 'Ready' | 'ContainersReady' | 'PodScheduled' | 'DisruptionTarget'
  readonly status: 'True' | 'False' | 'Unknown'
  readonly lastProbeTime: null
  readonly lastTransitionTime: string
  readonly reason?: string
  readonly message?: string
}

export interface ContainerStatus {
  readonly name: string
  readonly image: string
  readonly imageID: string
  readonly containerID?: string
  readonly ready: boolean
  readonly started: boolean
  readonly restartCount: number
  readonly state: Readonly<Record<string, Readonly<Record<string, string | number>>>>
  /** The previous container's end, once it has been restarted. */
  readonly lastState?: Readonly<Record<string, Readonly<Record<string, string | number>>>>
}

export interface PodStatus {
  readonly phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown'
  readonly conditions?: readonly PodCondition[]
  readonly hostIP?: string
  readonly hostIPs?: readonly { readonly ip: string }[]
  readonly podIP?: string
  readonly podIPs?: readonly { readonly ip: string }[]
  readonly startTime?: string
  readonly containerStatuses?: readonly ContainerStatus[]
  readonly qosClass?: string
  readonly message?: string
  readonly reason?: string
}

export interface Pod extends KubeObject {
  readonly apiVersion: 'v1'
  readonly kind: 'Pod'
  readonly metadata: ObjectMeta & { readonly namespace: string }
  readonly spec: PodSpec
  readonly status: PodStatus
}

/** The Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false
}

/** The pod's process is up: Running, and every container started (it can accept a connection). */
export function isPodRunning(pod: Pod): boolean {
  const statuses = pod.status.containerStatuses ?? []
  return pod.status.phase === 'Running' && statuses.length > 0 && statuses.every((c) => c.started)
}

export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined
}

/** Pending/Running, not being deleted: counts toward a ReplicaSet (controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  return pod.status.phase !== 'Succeeded' && pod.status.phase !== 'Failed' && !isPodTerminating(pod)
}

export function podCondition(pod: Pod, type: PodCondition['type']): PodCondition | undefined {
  return pod.status.conditions?.find((c) => c.type === type)
}
