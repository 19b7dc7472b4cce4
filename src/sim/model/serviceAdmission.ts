import {
  duplicate, forbidden, GoLiteral, invalid, required, unsupported, validateDns1123Label, validateDns1123Subdomain, validateLabels,
  validatePortName, validatePortNumber, validateQualifiedName, type FieldError,
} from './fieldErrors'
import { checkCIDR, checkIP, nonSpecialIPErrors } from './ipValidation'
import type { Service, ServicePort, ServiceSpec } from './service'

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const POLICIES = ['Cluster', 'Local']
/** core.MaxClientIPServiceAffinitySeconds. */
const MAX_AFFINITY_SECONDS = 86400

/** pkg/apis/core/v1/defaults.go SetDefaults_Service, for a Service about to be created or replaced. */
export function defaultServiceSpec(spec: Partial<ServiceSpec>): ServiceSpec {
  const type = spec.type || 'ClusterIP'
  const ports = spec.ports?.map((p): ServicePort => ({
    ...p,
    protocol: p.protocol || 'TCP',
    targetPort: p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '' ? (p.port ?? 0) : p.targetPort,
  }))
  const external = type === 'NodePort' || type === 'LoadBalancer' || (spec.externalIPs?.length ?? 0) > 0
  const affinity = spec.sessionAffinity || 'None'
  const out: ServiceSpec = {
    ...spec,
    type,
    ...(ports ? { ports } : {}),
    sessionAffinity: affinity,
    ...(affinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined
      ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: 10800 } } }
      : {}),
  }
  if (type === 'ExternalName') return out
  return {
    ...out,
    internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
    ...(external ? { externalTrafficPolicy: spec.externalTrafficPolicy || 'Cluster' } : {}),
    ...(type === 'LoadBalancer' ? { allocateLoadBalancerNodePorts: spec.allocateLoadBalancerNodePorts ?? true } : {}),
    ipFamilies: spec.ipFamilies ?? ['IPv4'],
    ipFamilyPolicy: spec.ipFamilyPolicy ?? 'SingleStack',
  }
}

/**
 * The address fields in the form every consumer reads them (PrepareForCreate's clusterIP/clusterIPs sync, and the
 * parsed form of sloppy IPs, with kubectl's warnings). Unparseable addresses are left for validation to refuse.
 */
export function normalizeServiceAddresses(spec: ServiceSpec): { spec: ServiceSpec; warnings: string[] } {
  const warnings: string[] = []
  const ip = (path: string, value: string, warn = true) => {
    if (value === 'None' || value === '') return value
    const c = checkIP(path, value)
    if (c.warning && warn) warnings.push(c.warning)
    return c.canonical ?? value
  }
  let clusterIPs = spec.clusterIPs
  let clusterIP = spec.clusterIP
  if (clusterIP && !clusterIPs?.length) clusterIPs = [clusterIP]
  else if (!clusterIP && clusterIPs?.length) clusterIP = clusterIPs[0]
  clusterIPs = clusterIPs?.map((v, i) => ip(`spec.clusterIPs[${i}]`, v))
  if (clusterIP) clusterIP = ip('spec.clusterIP', clusterIP, false)
  const externalIPs = spec.externalIPs?.map((v, i) => ip(`spec.externalIPs[${i}]`, v))
  const loadBalancerIP = spec.loadBalancerIP ? ip('spec.loadBalancerIP', spec.loadBalancerIP) : spec.loadBalancerIP
  const ranges = spec.loadBalancerSourceRanges?.map((v, i) => {
    const c = checkCIDR(`spec.loadBalancerSourceRanges[${i}]`, v.trim())
    if (c.warning) warnings.push(c.warning)
    return c.canonical ?? v
  })
  const out: ServiceSpec = {
    ...spec,
    ...(clusterIP !== undefined ? { clusterIP } : {}),
    ...(clusterIPs !== undefined ? { clusterIPs } : {}),
    ...(externalIPs ? { externalIPs } : {}),
    ...(loadBalancerIP !== undefined ? { loadBalancerIP } : {}),
    ...(ranges ? { loadBalancerSourceRanges: ranges } : {}),
  }
  return { spec: out, warnings }
}

const isHeadless = (spec: ServiceSpec) => spec.clusterIPs?.length === 1 && spec.clusterIPs[0] === 'None'
const externallyAccessible = (spec: ServiceSpec) => spec.type === 'LoadBalancer' || spec.type === 'NodePort' || (spec.type === 'ClusterIP' && (spec.externalIPs?.length ?? 0) > 0)
const needsHealthCheck = (spec: ServiceSpec) => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local'

/** core.ServicePort{Protocol, Port} as %#v prints it: the key of a duplicate port. */
const portKey = (p: ServicePort) =>
  new GoLiteral(`core.ServicePort{Name:"", Protocol:"${p.protocol}", AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`)

function validatePort(p: ServicePort, i: number, requireName: boolean, names: Set<string>): FieldError[] {
  const path = `spec.ports[${i}]`
  const errs: FieldError[] = []
  if (requireName && !p.name) errs.push(required(`${path}.name`))
  else if (p.name) {
    errs.push(...validateDns1123Label(`${path}.name`, p.name))
    if (names.has(p.name)) errs.push(duplicate(`${path}.name`, p.name))
    names.add(p.name)
  }
  errs.push(...validatePortNumber(`${path}.port`, p.port ?? 0))
  if (!p.protocol) errs.push(required(`${path}.protocol`))
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(unsupported(`${path}.protocol`, p.protocol, PROTOCOLS))
  if (typeof p.targetPort === 'string') errs.push(...validatePortName(`${path}.targetPort`, p.targetPort))
  else errs.push(...validatePortNumber(`${path}.targetPort`, p.targetPort))
  if (p.appProtocol !== undefined) errs.push(...validateQualifiedName(`${path}.appProtocol`, p.appProtocol))
  return errs
}

/** ValidateServiceClusterIPsRelatedFields, for a single-stack IPv4 cluster (the allocator refuses IPv6 families). */
function validateClusterIPs(spec: ServiceSpec): FieldError[] {
  if (spec.type === 'ExternalName') return []
  const errs: FieldError[] = []
  const ips = spec.clusterIPs ?? []
  if (spec.clusterIP && ips.length && ips[0] !== spec.clusterIP) errs.push(invalid('spec.clusterIPs', ips, 'first value must match `clusterIP`'))
  else if (!spec.clusterIP && ips.length) errs.push(invalid('spec.clusterIPs', ips, 'must be empty when `clusterIP` is not specified'))
  for (const [i, family] of (spec.ipFamilies ?? []).entries()) {
    if (family !== 'IPv4' && family !== 'IPv6') errs.push(unsupported(`spec.ipFamilies[${i}]`, family, ['IPv4', 'IPv6']))
    else if (family === 'IPv6') errs.push(invalid(`spec.ipFamilies[${i}]`, family, 'not configured on this cluster'))
  }
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack']
  if (spec.ipFamilyPolicy !== undefined && !policies.includes(spec.ipFamilyPolicy)) errs.push(unsupported('spec.ipFamilyPolicy', spec.ipFamilyPolicy, policies))
  else if (spec.ipFamilyPolicy === 'RequireDualStack') errs.push(invalid('spec.ipFamilyPolicy', spec.ipFamilyPolicy, 'this cluster is not configured for dual-stack services'))
  let bad = false
  for (const [i, ip] of ips.entries()) {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        bad = true
        errs.push(invalid('spec.clusterIPs', ips, "'None' must be the first and only value"))
      }
      continue
    }
    const c = checkIP(`spec.clusterIPs[${i}]`, ip)
    if (c.errors.length) bad = true
    errs.push(...c.errors)
    if (!c.errors.length && c.family === 'IPv6') errs.push(invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``))
  }
  if (ips.length > 2) errs.push(invalid('spec.clusterIPs', ips, 'may only hold up to 2 values'))
  else if (!bad && ips.length > 1) errs.push(invalid('spec.clusterIPs', ips, 'may specify no more than one IP for each IP family'))
  return errs
}

/** ValidateService (pkg/apis/core/validation), after defaulting; allocation errors come later. */
export function validateService(svc: Service): FieldError[] {
  const spec = svc.spec
  const errs: FieldError[] = []
  const headless = isHeadless(spec)
  if (!spec.ports?.length && !headless && spec.type !== 'ExternalName') errs.push(required('spec.ports'))
  if (headless && (spec.type === 'LoadBalancer' || spec.type === 'NodePort')) {
    errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`))
  }
  if (spec.type === 'ExternalName') {
    if (spec.clusterIPs?.length) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'))
    if (spec.ipFamilies?.length) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'))
    if (spec.ipFamilyPolicy !== undefined) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'))
    const cname = (spec.externalName ?? '').replace(/\.$/, '')
    if (cname) errs.push(...validateDns1123Subdomain('spec.externalName', cname))
    else errs.push(required('spec.externalName'))
  }
  const names = new Set<string>()
  for (const [i, p] of (spec.ports ?? []).entries()) errs.push(...validatePort(p, i, (spec.ports?.length ?? 0) > 1, names))
  errs.push(...validateLabels('spec.selector', spec.selector))
  if (!['ClientIP', 'None'].includes(spec.sessionAffinity)) errs.push(unsupported('spec.sessionAffinity', spec.sessionAffinity, ['ClientIP', 'None']))
  if (spec.sessionAffinity === 'ClientIP') {
    const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 0
    if (timeout <= 0 || timeout > MAX_AFFINITY_SECONDS) {
      errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, `must be greater than 0 and less than ${MAX_AFFINITY_SECONDS}`))
    }
  } else if (spec.sessionAffinity === 'None' && spec.sessionAffinityConfig !== undefined) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'))
  }
  errs.push(...validateClusterIPs(spec))
  for (const [i, ip] of (spec.externalIPs ?? []).entries()) {
    const c = checkIP(`spec.externalIPs[${i}]`, ip)
    errs.push(...(c.errors.length ? c.errors : nonSpecialIPErrors(`spec.externalIPs[${i}]`, ip, c)))
  }
  if (spec.loadBalancerIP) {
    // The simulator's load balancer (like MetalLB) honours loadBalancerIP, so it must be an address.
    errs.push(...checkIP('spec.loadBalancerIP', spec.loadBalancerIP).errors)
  }
  if (!TYPES.includes(spec.type)) errs.push(unsupported('spec.type', spec.type, TYPES))
  if (spec.type === 'ClusterIP') {
    for (const [i, p] of (spec.ports ?? []).entries()) if (p.nodePort) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"))
  }
  const nodePorts = new Set<string>()
  const ports = new Set<string>()
  for (const [i, p] of (spec.ports ?? []).entries()) {
    if (p.nodePort) {
      if (nodePorts.has(`${p.protocol}/${p.nodePort}`)) errs.push(duplicate(`spec.ports[${i}].nodePort`, p.nodePort))
      nodePorts.add(`${p.protocol}/${p.nodePort}`)
    }
    if (ports.has(`${p.protocol}/${p.port}`)) errs.push(duplicate(`spec.ports[${i}]`, portKey(p)))
    ports.add(`${p.protocol}/${p.port}`)
  }
  if (spec.loadBalancerSourceRanges?.length) {
    // Upstream names this field with a capital L.
    if (spec.type !== 'LoadBalancer') errs.push(forbidden('spec.LoadBalancerSourceRanges', "may only be used when `type` is 'LoadBalancer'"))
    for (const [i, r] of spec.loadBalancerSourceRanges.entries()) errs.push(...checkCIDR(`spec.LoadBalancerSourceRanges[${i}]`, r.trim()).errors)
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', "may only be used when `type` is 'LoadBalancer'"))
  }
  if (spec.loadBalancerClass !== undefined) {
    if (spec.type === 'LoadBalancer') errs.push(...validateQualifiedName('spec.loadBalancerClass', spec.loadBalancerClass))
    else errs.push(forbidden('spec.loadBalancerClass', "may only be used when `type` is 'LoadBalancer'"))
  }
  if (!externallyAccessible(spec)) {
    if (spec.externalTrafficPolicy) errs.push(invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'))
  } else if (!POLICIES.includes(spec.externalTrafficPolicy ?? '')) {
    errs.push(unsupported('spec.externalTrafficPolicy', spec.externalTrafficPolicy ?? '', POLICIES))
  }
  if (!needsHealthCheck(spec) && spec.healthCheckNodePort) {
    errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
  } else if (needsHealthCheck(spec) && spec.healthCheckNodePort) errs.push(...validatePortNumber('spec.healthCheckNodePort', spec.healthCheckNodePort))
  if (spec.internalTrafficPolicy !== undefined && !POLICIES.includes(spec.internalTrafficPolicy)) {
    errs.push(unsupported('spec.internalTrafficPolicy', spec.internalTrafficPolicy, POLICIES))
  }
  if (spec.trafficDistribution !== undefined && spec.trafficDistribution !== 'PreferClose') {
    errs.push(unsupported('spec.trafficDistribution', spec.trafficDistribution, ['PreferClose']))
  }
  return errs
}

/** ValidateServiceUpdate's own checks: a ClusterIP stays, a load balancer keeps its class and health-check port. */
export function validateServiceUpdate(svc: Service, old: Service): FieldError[] {
  const spec = svc.spec
  const errs: FieldError[] = []
  if (spec.type !== 'ExternalName' && old.spec.type !== 'ExternalName' && !(isHeadless(spec) && isHeadless(old.spec))) {
    const now = spec.clusterIPs ?? []
    const was = old.spec.clusterIPs ?? []
    if (was.length > 0 && now.length === 0) errs.push(invalid('spec.clusterIPs[0]', now, 'primary clusterIP can not be unset'))
    else if (was.length > 0 && now[0] !== was[0]) errs.push(invalid('spec.clusterIPs[0]', now, 'may not change once set'))
  }
  if (spec.type === 'LoadBalancer' && old.spec.type === 'LoadBalancer' && spec.loadBalancerClass !== old.spec.loadBalancerClass) {
    errs.push(invalid('spec.loadBalancerClass', spec.loadBalancerClass ?? null, 'may not change once set'))
  }
  if (needsHealthCheck(spec) && needsHealthCheck(old.spec) && spec.healthCheckNodePort && spec.healthCheckNodePort !== old.spec.healthCheckNodePort) {
    errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'))
  }
  return errs
}
