import { isIPv4 } from '../runtime/ip'
import { duplicate, forbidden, invalid, required, unsupported, validateDns1035Label, validateDns1123Label, validateDns1123Subdomain, validatePortName, validatePortNumber, type FieldError } from './fieldErrors'
import type { Service, ServicePort, ServiceSpec } from './service'

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']

/** pkg/apis/core/v1/defaults.go SetDefaults_Service, for a Service about to be created or replaced. */
export function defaultServiceSpec(spec: Partial<ServiceSpec>): ServiceSpec {
  const type = spec.type ?? 'ClusterIP'
  const ports = spec.ports?.map((p): ServicePort => ({ ...p, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port }))
  const external = type === 'NodePort' || type === 'LoadBalancer' || (spec.externalIPs?.length ?? 0) > 0
  const affinity = spec.sessionAffinity ?? 'None'
  const out: ServiceSpec = {
    ...spec,
    type,
    ...(ports ? { ports } : {}),
    sessionAffinity: affinity,
    ...(affinity === 'ClientIP'
      ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 } } }
      : {}),
  }
  if (type === 'ExternalName') return out
  return {
    ...out,
    internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
    ...(external ? { externalTrafficPolicy: spec.externalTrafficPolicy ?? 'Cluster' } : {}),
    ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts ?? true } : {}),
    ipFamilies: spec.ipFamilies ?? ['IPv4'],
    ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
  }
}

/** ValidateService (pkg/apis/core/validation), for the fields the simulation models. Allocation errors come later. */
export function validateServiceSpec(svc: Service): FieldError[] {
  const spec = svc.spec as ServiceSpec | undefined
  const errs = validateDns1035Label('metadata.name', svc.metadata.name)
  if (typeof spec !== 'object' || spec === null) return [...errs, required('spec')]
  if (!TYPES.includes(spec.type)) errs.push(unsupported('spec.type', spec.type, TYPES))
  const headless = spec.clusterIP === 'None'
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) errs.push(required('spec.externalName'))
    else errs.push(...validateDns1123Subdomain('spec.externalName', String(spec.externalName).replace(/\.$/, '')))
    if (spec.clusterIP && spec.clusterIP !== '') errs.push(forbidden('spec.clusterIP', 'may not be set for ExternalName services'))
  } else {
    if ((spec.ports ?? []).length === 0 && !headless) errs.push(required('spec.ports'))
    if (spec.clusterIP !== undefined && spec.clusterIP !== '' && !headless && !isIPv4(spec.clusterIP)) {
      errs.push(invalid('spec.clusterIPs[0]', spec.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'))
    }
    if (headless && (spec.type === 'NodePort' || spec.type === 'LoadBalancer')) {
      errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`))
    }
  }
  if (spec.ports !== undefined && !Array.isArray(spec.ports)) return [...errs, invalid('spec.ports', spec.ports, 'must be a list')]
  const ports = spec.ports ?? []
  const names = new Set<string>()
  const seen = new Set<string>()
  for (const [i, p] of ports.entries()) {
    const path = `spec.ports[${i}]`
    if (typeof p !== 'object' || p === null) {
      errs.push(invalid(path, p, 'must be an object'))
      continue
    }
    if (ports.length > 1 && (p.name === undefined || p.name === '')) errs.push(required(`${path}.name`))
    if (p.name) {
      errs.push(...validateDns1123Label(`${path}.name`, p.name))
      if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name))
      names.add(p.name)
    }
    errs.push(...validatePortNumber(`${path}.port`, p.port))
    if (!PROTOCOLS.includes(p.protocol)) errs.push(unsupported(`${path}.protocol`, p.protocol, PROTOCOLS))
    if (typeof p.targetPort === 'string') {
      if (/^\d+$/.test(p.targetPort)) errs.push(...validatePortNumber(`${path}.targetPort`, Number(p.targetPort)))
      else errs.push(...validatePortName(`${path}.targetPort`, p.targetPort))
    } else {
      errs.push(...validatePortNumber(`${path}.targetPort`, p.targetPort))
    }
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') errs.push(forbidden(`${path}.nodePort`, 'may not be used when `type` is \'ClusterIP\''))
      else errs.push(...validatePortNumber(`${path}.nodePort`, p.nodePort))
    }
    const id = `${p.port}/${p.protocol}`
    if (seen.has(id)) errs.push(duplicate(path, { port: p.port, protocol: p.protocol }))
    seen.add(id)
  }
  if (spec.selector !== undefined && (typeof spec.selector !== 'object' || spec.selector === null || Array.isArray(spec.selector))) {
    errs.push(invalid('spec.selector', spec.selector, 'must be a map of label keys to values'))
  }
  const affinity = ['ClientIP', 'None']
  if (!affinity.includes(spec.sessionAffinity)) errs.push(unsupported('spec.sessionAffinity', spec.sessionAffinity, affinity))
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds
  if (timeout !== undefined && (typeof timeout !== 'number' || timeout <= 0 || timeout > 86400)) {
    errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'))
  }
  const policies = ['Cluster', 'Local']
  if (spec.externalTrafficPolicy !== undefined && !policies.includes(spec.externalTrafficPolicy)) {
    errs.push(unsupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy, policies))
  }
  if (spec.internalTrafficPolicy !== undefined && !policies.includes(spec.internalTrafficPolicy)) {
    errs.push(unsupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, policies))
  }
  if (spec.externalTrafficPolicy !== undefined && spec.type !== 'NodePort' && spec.type !== 'LoadBalancer' && (spec.externalIPs?.length ?? 0) === 0) {
    errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'))
  }
  for (const [i, ip] of (spec.externalIPs ?? []).entries()) {
    if (!isIPv4(ip)) errs.push(invalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'))
  }
  return errs
}
