import type { KubeObject, LabelSelector, ObjectMeta } from './meta'
import type { PodSpec } from './pod'

/** apps/v1 Deployment and ReplicaSet. */
export interface PodTemplateSpec {
  readonly metadata?: Omit<ObjectMeta, 'name'> & { readonly name?: string }
  readonly spec: PodSpec
}

export interface RollingUpdateDeployment {
  readonly maxSurge?: number | string
  readonly maxUnavailable?: number | string
}

export interface DeploymentCondition {
  readonly type: 'Available' | 'Progressing' | 'ReplicaFailure'
  readonly status: 'True' | 'False' | 'Unknown'
  readonly lastUpdateTime: string
  readonly lastTransitionTime: string
  readonly reason: string
  readonly message: string
}

export interface Deployment extends KubeObject {
  readonly apiVersion: 'apps/v1'
  readonly kind: 'Deployment'
  readonly metadata: ObjectMeta & { readonly namespace: string }
  readonly spec: {
    readonly replicas: number
    readonly selector: LabelSelector
    readonly template: PodTemplateSpec
    readonly strategy: { readonly type: 'RollingUpdate' | 'Recreate'; readonly rollingUpdate?: RollingUpdateDeployment }
    readonly minReadySeconds?: number
    readonly revisionHistoryLimit: number
    readonly progressDeadlineSeconds: number
    readonly paused?: boolean
  }
  readonly status: {
    readonly observedGeneration?: number
    readonly replicas?: number
    readonly updatedReplicas?: number
    readonly readyReplicas?: number
    readonly availableReplicas?: number
    readonly unavailableReplicas?: number
    readonly conditions?: readonly DeploymentCondition[]
    readonly collisionCount?: number
  }
}

export interface ReplicaSet extends KubeObject {
  readonly apiVersion: 'apps/v1'
  readonly kind: 'ReplicaSet'
  readonly metadata: ObjectMeta & { readonly namespace: string }
  readonly spec: {
    readonly replicas: number
    readonly selector: LabelSelector
    readonly template: PodTemplateSpec
    readonly minReadySeconds?: number
  }
  readonly status: {
    readonly replicas: number
    readonly fullyLabeledReplicas?: number
    readonly readyReplicas?: number
    readonly availableReplicas?: number
    readonly observedGeneration?: number
    readonly conditions?: readonly ReplicaSetCondition[]
  }
}

/** A ReplicaSet's condition: only ReplicaFailure exists (pods could not be created or deleted). */
export interface ReplicaSetCondition {
  readonly type: 'ReplicaFailure'
  readonly status: 'True' | 'False' | 'Unknown'
  readonly lastTransitionTime: string
  readonly reason: string
  readonly message: string
}

/** apps/v1 DaemonSet, as far as the simulation reads it (it is stored with the unsimulated kinds). */
export interface DaemonSet extends KubeObject {
  readonly apiVersion: 'apps/v1'
  readonly kind: 'DaemonSet'
  readonly spec: { readonly selector: LabelSelector; readonly template: PodTemplateSpec; readonly updateStrategy?: unknown; readonly revisionHistoryLimit?: number }
  readonly status?: Readonly<Record<string, number>>
}
