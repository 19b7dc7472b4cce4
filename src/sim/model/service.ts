import type { KubeObject, Labels, ObjectMeta } from './meta'
import type { Protocol } from './pod'

/** core/v1 Service. */
export interface ServicePort {
  readonly name?: string
  readonly protocol: Protocol
  readonly appProtocol?: string
  readonly port: number
  readonly targetPort: number | string
  readonly nodePort?: number
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'

export interface ServiceSpec {
  readonly type: ServiceType
  readonly selector?: Labels
  readonly ports?: readonly ServicePort[]
  readonly clusterIP?: string
  readonly clusterIPs?: readonly string[]
  readonly ipFamilies?: readonly string[]
  readonly ipFamilyPolicy?: string
  readonly externalName?: string
  readonly externalIPs?: readonly string[]
  readonly sessionAffinity: 'None' | 'ClientIP'
  readonly sessionAffinityConfig?: { readonly clientIP: { readonly timeoutSeconds: number } }
  readonly externalTrafficPolicy?: 'Cluster' | 'Local'
  readonly internalTrafficPolicy?: 'Cluster' | 'Local'
  readonly healthCheckNodePort?: number
  readonly loadBalancerSourceRanges?: readonly string[]
  /** Deprecated, still honoured by most implementations: ask for a specific load-balancer address. */
  readonly loadBalancerIP?: string
  readonly allocateLoadBalancerNodePorts?: boolean
  readonly publishNotReadyAddresses?: boolean
  readonly loadBalancerClass?: string
  readonly trafficDistribution?: string
}

export interface Service extends KubeObject {
  readonly apiVersion: 'v1'
  readonly kind: 'Service'
  readonly metadata: ObjectMeta & { readonly namespace: string }
  readonly spec: ServiceSpec
  readonly status: { readonly loadBalancer: { readonly ingress?: readonly { readonly ip: string; readonly ipMode?: string }[] } }
}

/** A Service with a virtual IP: ClusterIP, NodePort and LoadBalancer (not headless, not ExternalName). */
export function hasClusterIP(svc: Service): boolean {
  return svc.spec.type !== 'ExternalName' && !!svc.spec.clusterIP && svc.spec.clusterIP !== 'None'
}

export function isHeadless(svc: Service): boolean {
  return svc.spec.clusterIP === 'None'
}

/** EndpointSlices are managed only for Services with a selector (and never for ExternalName). */
export function hasSelector(svc: Service): boolean {
  return svc.spec.type !== 'ExternalName' && svc.spec.selector !== undefined && Object.keys(svc.spec.selector).length > 0
}
