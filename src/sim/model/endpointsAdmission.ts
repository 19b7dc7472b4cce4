import type { EndpointPort, EndpointSlice, Endpoints } from './endpointSlice'
import {
  dns1123LabelProblems, dns1123SubdomainProblems, duplicate, invalid, required, tooMany, unsupported, validateDns1123Label,
  validateLabels, validatePortNumber, validateQualifiedName, type FieldError,
} from './fieldErrors'
import { checkIP, nonSpecialIPErrors } from './ipValidation'

/**
 * pkg/apis/discovery/validation and core's ValidateEndpoints: what hand-written EndpointSlices and Endpoints must be.
 * The addresses are also put in the form kube-proxy and CoreDNS read (a sloppy IPv4 becomes its canonical form).
 */
const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6']
const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const MAX_ENDPOINTS = 1000
const MAX_PORTS = 100
const MAX_ADDRESSES = 100
const MAX_TOPOLOGY = 16

/** SetDefaults_EndpointPort: a port's name defaults to "" and its protocol to TCP. */
export function defaultEndpointSlice(slice: EndpointSlice): EndpointSlice {
  return { ...slice, ports: slice.ports?.map((p) => ({ ...p, name: p.name ?? '', protocol: p.protocol ?? 'TCP' })) ?? null }
}

/** IsFullyQualifiedDomainName. */
function fqdnErrors(path: string, value: string): FieldError[] {
  if (!value) return [required(path)]
  const name = value.replace(/\.$/, '')
  const sub = dns1123SubdomainProblems(name)
  if (sub.length) return [invalid(path, name, sub.join(','))]
  if (name.split('.').length < 2) return [invalid(path, name, 'should be a domain with at least two segments separated by dots')]
  for (const label of name.split('.')) {
    const problems = dns1123LabelProblems(label)
    if (problems.length) return [invalid(path, label, problems.join(','))]
  }
  return []
}

/** ValidateEndpointSlice(Create|Update); returns the slice with its addresses in canonical form. */
export function admitEndpointSlice(slice: EndpointSlice, old: EndpointSlice | undefined): { errors: FieldError[]; slice: EndpointSlice; warnings: string[] } {
  const errs: FieldError[] = []
  const warnings: string[] = []
  const type = slice.addressType as string | undefined
  if (!type) errs.push(required('addressType'))
  else if (!ADDRESS_TYPES.includes(type)) errs.push(unsupported('addressType', type, ADDRESS_TYPES))
  const endpoints = slice.endpoints ?? []
  let normalized = slice.endpoints
  if (endpoints.length > MAX_ENDPOINTS) errs.push(tooMany('endpoints', endpoints.length, MAX_ENDPOINTS))
  else {
    normalized = endpoints.map((e, i) => {
      const path = `endpoints[${i}]`
      const addressPath = `${path}.addresses`
      const addresses = e.addresses ?? []
      if (addresses.length === 0) errs.push(required(addressPath, 'must contain at least 1 address'))
      else if (addresses.length > MAX_ADDRESSES) errs.push(tooMany(addressPath, addresses.length, MAX_ADDRESSES))
      const canonical = addresses.map((a, j) => {
        const p = `${addressPath}[${j}]`
        if (type === 'FQDN') {
          errs.push(...fqdnErrors(p, a))
          return a
        }
        if (type !== 'IPv4' && type !== 'IPv6') return a
        const c = checkIP(p, a)
        if (c.errors.length || c.family !== type) errs.push(invalid(p, a, `must be a valid ${type} address`))
        else {
          errs.push(...nonSpecialIPErrors(p, a, c))
          if (c.warning) warnings.push(c.warning)
        }
        return c.canonical ?? a
      })
      const topology = (e as { deprecatedTopology?: Record<string, string> }).deprecatedTopology
      if (topology && Object.keys(topology).length > MAX_TOPOLOGY) errs.push(tooMany(`${path}.topology`, Object.keys(topology).length, MAX_TOPOLOGY))
      errs.push(...validateLabels(`${path}.topology`, topology))
      if (e.hostname !== undefined) errs.push(...validateDns1123Label(`${path}.hostname`, e.hostname))
      return { ...e, addresses: canonical }
    })
  }
  const ports = slice.ports ?? []
  if (ports.length > MAX_PORTS) errs.push(tooMany('ports', ports.length, MAX_PORTS))
  else {
    const names = new Set<string>()
    for (const [i, p] of ports.entries()) {
      const path = `ports[${i}]`
      const name = p.name ?? ''
      if (name) errs.push(...validateDns1123Label(`${path}.name`, name))
      if (names.has(name)) errs.push(duplicate(`${path}.name`, name))
      names.add(name)
      if (!p.protocol) errs.push(required(`${path}.protocol`))
      else if (!PROTOCOLS.includes(p.protocol)) errs.push(unsupported(`${path}.protocol`, p.protocol, PROTOCOLS))
      // Upstream leaves the number unchecked; kube-proxy could only write a rule no kernel accepts, so the range is kept.
      if (p.port !== undefined) errs.push(...validatePortNumber(`${path}.port`, p.port))
      if (p.appProtocol !== undefined) errs.push(...validateQualifiedName(`${path}.appProtocol`, p.appProtocol))
    }
  }
  if (old && old.addressType !== slice.addressType) errs.push(invalid('addressType', slice.addressType, 'field is immutable'))
  return { errors: errs, slice: { ...slice, endpoints: normalized }, warnings }
}

/** ValidateEndpoints: every subset has addresses, valid and not special, and well-formed ports. */
export function admitEndpoints(ep: Endpoints): { errors: FieldError[]; endpoints: Endpoints; warnings: string[] } {
  const errs: FieldError[] = []
  const warnings: string[] = []
  const subsets = (ep.subsets ?? []).map((ss, i) => {
    const path = `subsets[${i}]`
    if (!ss.addresses?.length && !ss.notReadyAddresses?.length) errs.push(required(path, 'must specify `addresses` or `notReadyAddresses`'))
    const address = (list: 'addresses' | 'notReadyAddresses') =>
      ss[list]?.map((a, j) => {
        const p = `${path}.${list}[${j}]`
        const c = checkIP(`${p}.ip`, a.ip ?? '')
        errs.push(...c.errors)
        if (c.warning) warnings.push(c.warning)
        if (a.hostname) errs.push(...validateDns1123Label(`${p}.hostname`, a.hostname))
        if (a.nodeName !== undefined) errs.push(...dns1123SubdomainProblems(a.nodeName).map((m) => invalid(`${p}.nodeName`, a.nodeName, m)))
        errs.push(...nonSpecialIPErrors(`${p}.ip`, a.ip ?? '', c))
        return { ...a, ip: c.canonical ?? a.ip }
      })
    // SetDefaults_EndpointPort: TCP unless said otherwise.
    const ports = ss.ports?.map((p) => ({ ...p, protocol: p.protocol || 'TCP' }))
    for (const [j, port] of (ports ?? []).entries()) errs.push(...validateEndpointsPort(`${path}.ports[${j}]`, port, (ports?.length ?? 0) > 1))
    const addresses = address('addresses')
    const notReady = address('notReadyAddresses')
    return { ...ss, ...(addresses ? { addresses } : {}), ...(notReady ? { notReadyAddresses: notReady } : {}), ...(ports ? { ports } : {}) }
  })
  return { errors: errs, endpoints: ep.subsets ? { ...ep, subsets } : ep, warnings }
}

function validateEndpointsPort(path: string, p: EndpointPort, requireName: boolean): FieldError[] {
  const errs: FieldError[] = []
  if (requireName && !p.name) errs.push(required(`${path}.name`))
  else if (p.name) errs.push(...validateDns1123Label(`${path}.name`, p.name))
  errs.push(...validatePortNumber(`${path}.port`, p.port ?? 0))
  if (!p.protocol) errs.push(required(`${path}.protocol`))
  else if (!PROTOCOLS.includes(p.protocol)) errs.push(unsupported(`${path}.protocol`, p.protocol, PROTOCOLS))
  if (p.appProtocol !== undefined) errs.push(...validateQualifiedName(`${path}.appProtocol`, p.appProtocol))
  return errs
}
