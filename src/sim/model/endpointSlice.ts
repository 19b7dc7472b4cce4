import type { KubeObject, ObjectMeta } from './meta'
import type { Protocol } from './pod'

/** discovery.k8s.io/v1 EndpointSlice. */
export interface EndpointConditions {
  readonly ready?: boolean
  readonly serving?: boolean
  readonly terminating?: boolean
}

export interface Endpoint {
  readonly addresses: readonly string[]
  readonly conditions: EndpointConditions
  readonly hostname?: string
  readonly targetRef?: { readonly kind: 'Pod'; readonly namespace: string; readonly name: string; readonly uid: string }
  readonly nodeName?: string
  readonly zone?: string
}

export interface EndpointPort {
  readonly name?: string
  readonly protocol?: Protocol
  readonly port?: number
  readonly appProtocol?: string
}

export interface EndpointSlice extends KubeObject {
  readonly apiVersion: 'discovery.k8s.io/v1'
  readonly kind: 'EndpointSlice'
  readonly metadata: ObjectMeta & { readonly namespace: string }
  readonly addressType: 'IPv4' | 'IPv6' | 'FQDN'
  readonly endpoints: readonly Endpoint[] | null
  readonly ports: readonly EndpointPort[] | null
}

/** core/v1 Endpoints (the legacy API kube-proxy no longer reads; kept because kubectl users still look at it). */
export interface EndpointAddress {
  readonly ip: string
  readonly hostname?: string
  readonly nodeName?: string
  readonly targetRef?: { readonly kind: 'Pod'; readonly namespace: string; readonly name: string; readonly uid: string }
}

export interface Endpoints extends KubeObject {
  readonly apiVersion: 'v1'
  readonly kind: 'Endpoints'
  readonly metadata: ObjectMeta & { readonly namespace: string }
  readonly subsets?: readonly {
    readonly addresses?: readonly EndpointAddress[]
    readonly notReadyAddresses?: readonly EndpointAddress[]
    readonly ports?: readonly { readonly name?: string; readonly port: number; readonly protocol: Protocol; readonly appProtocol?: string }[]
  }[]
}

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by'
export const MANAGED_BY_CONTROLLER = 'endpointslice-controller.k8s.io'
