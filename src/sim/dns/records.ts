import { slicesByService } from '../controllers/kubeProxy/proxyEndpoints'
import { hasClusterIP, isHeadless, type Service } from '../model/service'
import type { WatchView } from '../state'

/** A resource record CoreDNS serves. */
export interface DnsRecord {
  readonly name: string
  readonly type: 'A' | 'SRV' | 'PTR' | 'CNAME' | 'SOA' | 'TXT'
  readonly ttl: number
  readonly data: string
}

/** kubeadm's Corefile sets `ttl 30` in the kubernetes plugin. */
export const DNS_TTL = 30

/** 10.244.1.5 -> "10-244-1-5": how CoreDNS names an endpoint without a hostname. */
export const dashed = (ip: string) => ip.replace(/\./g, '-')

/** 10.96.0.10 -> "10.0.96.10.in-addr.arpa." */
export const reverseName = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa.`

/** A port of an endpoint as CoreDNS keeps it from the EndpointSlice: port -1 when the slice lists none. */
export interface EndpointPortRecord {
  readonly name: string
  readonly port: number
  readonly protocol: string
}

/** A ready endpoint as CoreDNS names it (its hostname or dashed IP), with its slice's ports (the target ports). */
export interface ReadyEndpoint {
  readonly ip: string
  readonly host: string
  readonly ports: readonly EndpointPortRecord[]
}

const NO_PORTS: readonly EndpointPortRecord[] = [{ name: '', port: -1, protocol: '' }]

/** A Service's ready endpoints as CoreDNS names them: each address once, by its hostname or dashed IP. */
export function readyEndpoints(view: WatchView, svc: Service): ReadyEndpoint[] {
  const seen = new Set<string>()
  const out: ReadyEndpoint[] = []
  for (const slice of slicesByService(view.endpointSlices).get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? []) {
    // CoreDNS answers A records from IPv4 slices only (FQDN slices carry names, IPv6 ones AAAA records).
    if (slice.addressType !== 'IPv4') continue
    const ports = slice.ports?.length ? slice.ports.map((p) => ({ name: p.name ?? '', port: p.port ?? -1, protocol: p.protocol ?? '' })) : NO_PORTS
    for (const e of slice.endpoints ?? []) {
      const ip = e.addresses[0]
      if (!ip || seen.has(ip) || e.conditions.ready === false) continue
      seen.add(ip)
      out.push({ ip, host: e.hostname ?? dashed(ip), ports })
    }
  }
  return out
}

/** The weight CoreDNS gives each of `n` SRV records of one priority: 100/n of 100, rounded down, at least 1. */
export const srvWeight = (n: number) => Math.max(1, Math.floor(100 / Math.max(1, n)))

/**
 * A headless Service's SRV targets as CoreDNS answers them: one per ready endpoint and port of its slice that matches
 * the port name and protocol asked for (any, when not given, case-insensitively), with the endpoint's own port; the
 * weight counts them all (a port-less slice's sentinel too, which gets no record).
 */
export function headlessSrv(endpoints: readonly ReadyEndpoint[], fqdn: string, portName?: string, protocol?: string): string[] {
  const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  const found = endpoints.flatMap((e) => e.ports.filter((p) => (portName === undefined || eq(portName, p.name)) && (protocol === undefined || eq(protocol, p.protocol))).map((p) => ({ host: `${e.host}.${fqdn}`, port: p.port })))
  const weight = srvWeight(found.length)
  return found.filter((f) => f.port !== -1).map((f) => `0 ${weight} ${f.port} ${f.host}`)
}

/**
 * The record table CoreDNS's kubernetes plugin answers from, listed in full: A for every Service with a ClusterIP,
 * one A per ready endpoint for headless Services, a name and a PTR for every ready endpoint, SRV for ports, PTR for
 * ClusterIPs, CNAME for ExternalName. Derived from the Services and EndpointSlices CoreDNS last saw.
 */
export function dnsRecords(view: WatchView, domain = 'cluster.local'): DnsRecord[] {
  const out: DnsRecord[] = []
  const services = [...view.services.values()].sort((a, b) => (a.metadata.namespace + a.metadata.name < b.metadata.namespace + b.metadata.name ? -1 : 1))
  for (const svc of services) {
    const fqdn = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}.`
    if (svc.spec.type === 'ExternalName') {
      out.push({ name: fqdn, type: 'CNAME', ttl: DNS_TTL, data: `${svc.spec.externalName!.replace(/\.$/, '')}.` })
      continue
    }
    const named = (svc.spec.ports ?? []).filter((p) => p.name)
    const endpoints = readyEndpoints(view, svc)
    // Every ready endpoint has its own name and PTR, whether the Service has a ClusterIP or not.
    const endpointRecords = () => {
      for (const e of endpoints) out.push({ name: `${e.host}.${fqdn}`, type: 'A', ttl: DNS_TTL, data: e.ip })
      for (const e of endpoints) out.push({ name: reverseName(e.ip), type: 'PTR', ttl: DNS_TTL, data: `${e.host}.${fqdn}` })
    }
    if (hasClusterIP(svc)) {
      out.push({ name: fqdn, type: 'A', ttl: DNS_TTL, data: svc.spec.clusterIP! })
      for (const p of svc.spec.ports ?? []) out.push({ name: fqdn, type: 'SRV', ttl: DNS_TTL, data: `0 ${srvWeight((svc.spec.ports ?? []).length)} ${p.port} ${fqdn}` })
      for (const p of named) out.push({ name: `_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`, type: 'SRV', ttl: DNS_TTL, data: `0 100 ${p.port} ${fqdn}` })
      out.push({ name: reverseName(svc.spec.clusterIP!), type: 'PTR', ttl: DNS_TTL, data: fqdn })
      endpointRecords()
      continue
    }
    if (!isHeadless(svc)) continue
    for (const e of endpoints) out.push({ name: fqdn, type: 'A', ttl: DNS_TTL, data: e.ip })
    // SRV from the endpoints' own ports (the slices'), named or not for the bare name, by name and protocol otherwise.
    for (const data of headlessSrv(endpoints, fqdn)) out.push({ name: fqdn, type: 'SRV', ttl: DNS_TTL, data })
    const portNames = new Map<string, EndpointPortRecord>()
    for (const e of endpoints) for (const p of e.ports) if (p.name && p.port !== -1) portNames.set(`${p.name}/${p.protocol}`, p)
    for (const p of portNames.values()) {
      for (const data of headlessSrv(endpoints, fqdn, p.name, p.protocol)) out.push({ name: `_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`, type: 'SRV', ttl: DNS_TTL, data })
    }
    endpointRecords()
  }
  return out
}
