import { SERVICE_NAME_LABEL, type EndpointSlice } from '../../model/endpointSlice'
import type { ServicePort } from '../../model/service'
import type { Table } from '../../state'

/** One endpoint of a service port as kube-proxy's endpoint cache holds it. */
export interface ProxyEndpoint {
  readonly ip: string
  readonly port: number
  /** "IP:port": the sort key and the DNAT target. */
  readonly endpoint: string
  readonly ready: boolean
  readonly serving: boolean
  readonly terminating: boolean
  readonly nodeName?: string
}

const byService = new WeakMap<Table<EndpointSlice>, Map<string, EndpointSlice[]>>()

/** The slices of each Service in one watch view, grouped once per view (the view is immutable, so this is a cache). */
export function slicesByService(slices: Table<EndpointSlice>): Map<string, EndpointSlice[]> {
  let grouped = byService.get(slices)
  if (grouped) return grouped
  grouped = new Map()
  for (const slice of slices.values()) {
    const svc = slice.metadata.labels?.[SERVICE_NAME_LABEL]
    if (!svc) continue
    const key = `${slice.metadata.namespace}/${svc}`
    const list = grouped.get(key)
    if (list) list.push(slice)
    else grouped.set(key, [slice])
  }
  byService.set(slices, grouped)
  return grouped
}

/**
 * endpointsMapFromEndpointInfo: the endpoints of one service port across all its slices, de-duplicated and sorted as
 * strings ("10.244.1.10:80" before "10.244.1.9:80"). Unset conditions count as ready and serving (the API's meaning).
 */
export function endpointsForPort(port: ServicePort, slices: readonly EndpointSlice[] | undefined): ProxyEndpoint[] {
  const seen = new Map<string, ProxyEndpoint>()
  for (const slice of slices ?? []) {
    if (slice.addressType !== 'IPv4') continue
    const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === port.protocol)
    if (!sp || sp.port === undefined) continue
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses[0]
      if (!ip) continue
      const endpoint = `${ip}:${sp.port}`
      if (seen.has(endpoint)) continue
      seen.set(endpoint, {
        ip,
        port: sp.port,
        endpoint,
        ready: ep.conditions.ready ?? true,
        serving: ep.conditions.serving ?? ep.conditions.ready ?? true,
        terminating: ep.conditions.terminating ?? false,
        ...(ep.nodeName ? { nodeName: ep.nodeName } : {}),
      })
    }
  }
  return [...seen.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0))
}

/** CategorizeEndpoints (pkg/proxy/topology.go), without topology hints. */
export function categorizeEndpoints(
  endpoints: readonly ProxyEndpoint[],
  nodeName: string,
  usesCluster: boolean,
  usesLocal: boolean,
): { cluster: ProxyEndpoint[]; local: ProxyEndpoint[]; all: ProxyEndpoint[]; hasAny: boolean } {
  let cluster: ProxyEndpoint[] = []
  let hasAny = false
  if (usesCluster) {
    cluster = endpoints.filter((e) => e.ready)
    if (cluster.length === 0) cluster = endpoints.filter((e) => e.serving && e.terminating)
    hasAny = cluster.length > 0
  }
  if (!usesLocal) return { cluster, local: [], all: cluster, hasAny }
  let local = endpoints.filter((e) => e.ready && e.nodeName === nodeName)
  if (local.length === 0) local = endpoints.filter((e) => e.serving && e.terminating && e.nodeName === nodeName)
  if (endpoints.some((e) => e.ready || (e.serving && e.terminating))) hasAny = true
  if (!usesCluster) return { cluster: [], local, all: local, hasAny }
  const all = [...cluster]
  for (const e of local) if (!all.includes(e)) all.push(e)
  return { cluster, local, all, hasAny }
}
