import { OBJECT_META } from './metaSchema'
import { bool, int32, intOrString, kindSchema, listOf, named, opaque, string, stringMap, strings, struct } from './schema'

/** The Go types of core/v1 Service, for the API server's decoder. */
export const SERVICE_PORT = struct('v1.ServicePort', {
  name: string, protocol: named('v1.Protocol'), appProtocol: string, port: int32, targetPort: intOrString, nodePort: int32,
})

export const SERVICE = kindSchema('v1.Service', OBJECT_META, {
  spec: struct('v1.ServiceSpec', {
    ports: listOf(SERVICE_PORT), selector: stringMap, clusterIP: string, clusterIPs: strings, type: named('v1.ServiceType'),
    externalIPs: strings, sessionAffinity: named('v1.ServiceAffinity'), loadBalancerIP: string, loadBalancerSourceRanges: strings,
    externalName: string, externalTrafficPolicy: named('v1.ServiceExternalTrafficPolicy'), healthCheckNodePort: int32,
    publishNotReadyAddresses: bool,
    sessionAffinityConfig: struct('v1.SessionAffinityConfig', { clientIP: struct('v1.ClientIPConfig', { timeoutSeconds: int32 }) }),
    ipFamilies: listOf(named('v1.IPFamily')), ipFamilyPolicy: named('v1.IPFamilyPolicy'), allocateLoadBalancerNodePorts: bool,
    loadBalancerClass: string, internalTrafficPolicy: named('v1.ServiceInternalTrafficPolicy'), trafficDistribution: string,
  }),
  status: opaque('v1.ServiceStatus'),
})
