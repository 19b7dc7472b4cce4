import { LABEL_SELECTOR, OBJECT_META } from './metaSchema'
import { POD_TEMPLATE_SPEC } from './podSchema'
import { bool, int32, intOrString, kindSchema, named, opaque, struct } from './schema'

/** The Go types of apps/v1 Deployment and ReplicaSet, for the API server's decoder. */
export const DEPLOYMENT = kindSchema('v1.Deployment', OBJECT_META, {
  spec: struct('v1.DeploymentSpec', {
    replicas: int32, selector: LABEL_SELECTOR, template: POD_TEMPLATE_SPEC,
    strategy: struct('v1.DeploymentStrategy', {
      type: named('v1.DeploymentStrategyType'),
      rollingUpdate: struct('v1.RollingUpdateDeployment', { maxUnavailable: intOrString, maxSurge: intOrString }),
    }),
    minReadySeconds: int32, revisionHistoryLimit: int32, paused: bool, progressDeadlineSeconds: int32,
  }),
  status: opaque('v1.DeploymentStatus'),
})

export const REPLICA_SET = kindSchema('v1.ReplicaSet', OBJECT_META, {
  spec: struct('v1.ReplicaSetSpec', { replicas: int32, minReadySeconds: int32, selector: LABEL_SELECTOR, template: POD_TEMPLATE_SPEC }),
  status: opaque('v1.ReplicaSetStatus'),
})
