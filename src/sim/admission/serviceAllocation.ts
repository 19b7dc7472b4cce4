import type { ClusterConfig } from '../config'
import { invalid, type FieldError } from '../model/fieldErrors'
import type { Service, ServiceSpec } from '../model/service'
import { cidrContains, ipToNumber, numberToIp } from '../runtime/ip'
import type { Rng } from '../runtime/rng'
import type { ClusterState } from '../state'

/** Addresses and ports an apply has already claimed for earlier objects of the same batch, each -> the Service key. */
export interface Claims {
  readonly ips: Map<string, string>
  readonly ports: Map<number, string>
}

/** calculateRangeOffset: the lowest min(max(16, size/16), 256) ClusterIPs are kept for explicit requests. */
function ipRange(config: ClusterConfig): { first: number; max: number; offset: number } {
  const size = config.serviceCIDR.size
  const offset = size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 16)), 256)
  return { first: config.serviceCIDR.base + 1, max: size - 2, offset }
}

/** The NodePort band: the lowest min(max(16, size/32), 128) ports are kept for explicit requests. */
function portRange(config: ClusterConfig): { first: number; max: number; offset: number } {
  const [lo, hi] = config.nodePortRange
  const size = hi - lo + 1
  const offset = size <= 16 ? 0 : Math.min(Math.max(16, Math.floor(size / 32)), 128)
  return { first: lo, max: size, offset }
}

/** randomScanStrategyWithOffset: a random start in the upper band, scan forward with wrap, then the lower band. */
function randomScan(max: number, offset: number, taken: (i: number) => boolean, rng: Rng): number | undefined {
  const upper = max - offset
  if (upper > 0) {
    const start = rng.int(upper)
    for (let i = 0; i < upper; i++) {
      const at = offset + ((start + i) % upper)
      if (!taken(at)) return at
    }
  }
  if (offset > 0) {
    const start = rng.int(offset)
    for (let i = 0; i < offset; i++) {
      const at = (start + i) % offset
      if (!taken(at)) return at
    }
  }
  return undefined
}

const wantsNodePorts = (spec: ServiceSpec) => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false)
const wantsClusterIP = (spec: ServiceSpec) => spec.type !== 'ExternalName' && spec.clusterIP !== 'None'
const needsHealthCheck = (spec: ServiceSpec) => spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local'

/** Carries over what the live object already holds (an apply that leaves clusterIP or nodePort out keeps them). */
export function inheritAllocations(spec: ServiceSpec, old: Service | undefined): ServiceSpec {
  if (!old) return spec
  const keepIP = wantsClusterIP(spec) && wantsClusterIP(old.spec) && !spec.clusterIP && old.spec.clusterIP
  const ports = spec.ports?.map((p) => {
    if (p.nodePort || !wantsNodePorts(spec)) return p
    const same = old.spec.ports?.find((o) => o.port === p.port && o.protocol === p.protocol) ?? old.spec.ports?.find((o) => o.name === p.name)
    return same?.nodePort ? { ...p, nodePort: same.nodePort } : p
  })
  return {
    ...spec,
    ...(keepIP ? { clusterIP: old.spec.clusterIP, clusterIPs: old.spec.clusterIPs } : {}),
    ...(ports ? { ports } : {}),
    ...(needsHealthCheck(spec) && !spec.healthCheckNodePort && old.spec.healthCheckNodePort ? { healthCheckNodePort: old.spec.healthCheckNodePort } : {}),
  }
}

/** The allocation errors an apply would hit, checked before anything is written. */
export function checkAllocation(state: ClusterState, svc: Service, old: Service | undefined, config: ClusterConfig, claims: Claims): FieldError[] {
  const spec = svc.spec
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`
  const errs: FieldError[] = []
  const takenIP = (ip: string) => (state.clusterIPs.has(ip) && state.clusterIPs.get(ip) !== key) || (claims.ips.has(ip) && claims.ips.get(ip) !== key)
  const takenPort = (port: number) => (state.nodePorts.has(port) && state.nodePorts.get(port) !== key) || (claims.ports.has(port) && claims.ports.get(port) !== key)
  if (wantsClusterIP(spec) && spec.clusterIP && spec.clusterIP !== old?.spec.clusterIP) {
    const ip = spec.clusterIP
    const { first, max } = ipRange(config)
    const n = ipToNumber(ip)
    if (!cidrContains(config.serviceCIDR, ip) || n < first || n >= first + max) {
      errs.push(invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${config.serviceCIDR.text}`))
    } else if (takenIP(ip)) {
      errs.push(invalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`))
    }
    claims.ips.set(ip, key)
  } else if (wantsClusterIP(spec) && !spec.clusterIP && state.clusterIPs.size + claims.ips.size >= ipRange(config).max) {
    errs.push({ path: 'spec.clusterIPs', message: 'Internal error occurred: failed to allocate a serviceIP: range is full' })
  }
  const [lo, hi] = config.nodePortRange
  const checkPort = (path: string, port: number, held: boolean) => {
    if (port < lo || port > hi) errs.push(invalid(path, port, `provided port is not in the valid range. The range of valid ports is ${lo}-${hi}`))
    else if (!held && takenPort(port)) errs.push(invalid(path, port, 'provided port is already allocated'))
    claims.ports.set(port, key)
  }
  if (wantsNodePorts(spec)) {
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (p.nodePort) checkPort(`spec.ports[${i}].nodePort`, p.nodePort, old?.spec.ports?.some((o) => o.nodePort === p.nodePort) ?? false)
    }
  }
  if (needsHealthCheck(spec) && spec.healthCheckNodePort) checkPort('spec.healthCheckNodePort', spec.healthCheckNodePort, old?.spec.healthCheckNodePort === spec.healthCheckNodePort)
  return errs
}

/** Allocates what the (checked) Service still lacks: its ClusterIP, NodePorts and health-check port. */
export function allocate(state: ClusterState, svc: Service, old: Service | undefined, config: ClusterConfig, rng: Rng): { state: ClusterState; spec: ServiceSpec } {
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`
  let spec = svc.spec
  let clusterIPs = state.clusterIPs
  let nodePorts = state.nodePorts
  if (wantsClusterIP(spec)) {
    let ip = spec.clusterIP
    if (!ip) {
      const { first, max, offset } = ipRange(config)
      const i = randomScan(max, offset, (at) => clusterIPs.has(numberToIp(first + at)), rng)
      ip = numberToIp(first + i!)
    }
    clusterIPs = clusterIPs.set(ip, key)
    spec = { ...spec, clusterIP: ip, clusterIPs: [ip] }
  } else if (spec.clusterIP === 'None') {
    spec = { ...spec, clusterIPs: ['None'] }
  }
  const { first, max, offset } = portRange(config)
  const pickPort = () => first + randomScan(max, offset, (at) => nodePorts.has(first + at), rng)!
  if (wantsNodePorts(spec) && spec.ports) {
    const byNumber = new Map<number, number>()
    const ports = spec.ports.map((p) => {
      // Ports of one Service with the same port number (TCP and UDP 53, say) share one NodePort.
      const nodePort = p.nodePort || byNumber.get(p.port) || pickPort()
      byNumber.set(p.port, nodePort)
      nodePorts = nodePorts.set(nodePort, key)
      return { ...p, nodePort }
    })
    spec = { ...spec, ports }
  } else if (spec.ports?.some((p) => p.nodePort)) {
    spec = { ...spec, ports: spec.ports.map(({ nodePort: _n, ...p }) => p) }
  }
  if (needsHealthCheck(spec)) {
    const hc = spec.healthCheckNodePort || pickPort()
    nodePorts = nodePorts.set(hc, key)
    spec = { ...spec, healthCheckNodePort: hc }
  } else if (spec.healthCheckNodePort) {
    const { healthCheckNodePort: _h, ...rest } = spec
    spec = rest
  }
  // Anything this Service held before and no longer uses goes back to the pools.
  if (old) {
    const usedIPs = new Set(spec.clusterIPs ?? [])
    const usedPorts = new Set([...(spec.ports ?? []).map((p) => p.nodePort), spec.healthCheckNodePort])
    for (const ip of old.spec.clusterIPs ?? []) if (!usedIPs.has(ip) && clusterIPs.get(ip) === key) clusterIPs = clusterIPs.delete(ip)
    for (const port of [...(old.spec.ports ?? []).map((p) => p.nodePort), old.spec.healthCheckNodePort]) {
      if (port && !usedPorts.has(port) && nodePorts.get(port) === key) nodePorts = nodePorts.delete(port)
    }
  }
  const unchanged = clusterIPs === state.clusterIPs && nodePorts === state.nodePorts
  return { state: unchanged ? state : { ...state, clusterIPs, nodePorts }, spec }
}

/** Returns a deleted Service's ClusterIP and ports to the pools. */
export function release(state: ClusterState, svc: Service): ClusterState {
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`
  let { clusterIPs, nodePorts } = state
  for (const ip of svc.spec.clusterIPs ?? []) if (clusterIPs.get(ip) === key) clusterIPs = clusterIPs.delete(ip)
  for (const port of [...(svc.spec.ports ?? []).map((p) => p.nodePort), svc.spec.healthCheckNodePort]) {
    if (port && nodePorts.get(port) === key) nodePorts = nodePorts.delete(port)
  }
  return { ...state, clusterIPs, nodePorts }
}
