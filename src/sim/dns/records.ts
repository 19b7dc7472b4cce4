import { slicesByService } from '../controllers/kubeProxy/proxyEndpoints'
import { hasClusterIP, isHeadless, type Service } from '../model/service'
import type { WatchView } from '../state'

/** A resource record CoreDNS serves. */
export interface DnsRecord {
  readonly name: string
  readonly type: 'A' | 'SRV' | 'PTR' | 'CNAME' | 'SOA'
  readonly ttl: number
  readonly data: string
}

/** kubeadm's Corefile sets `ttl 30` in the kubernetes plugin. */
export const DNS_TTL = 30

/** 10.244.1.5 -> "10-244-1-5": how CoreDNS names an endpoint without a hostname. */
export const dashed = (ip: string) => ip.replace(/\./g, '-')

/** 10.96.0.10 -> "10.0.96.10.in-addr.arpa." */
export const reverseName = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa.`

/** A Service's ready endpoints as CoreDNS names them: each address once, by its hostname or dashed IP. */
export function readyEndpoints(view: WatchView, svc: Service): { readonly ip: string; readonly host: string }[] {
  const seen = new Set<string>()
  const out: { ip: string; host: string }[] = []
  for (const slice of slicesByService(view.endpointSlices).get(`${svc.metadata.namespace}/${svc.metadata.name}`) ?? []) {
    // CoreDNS answers A records from IPv4 slices only (FQDN slices carry names, IPv6 ones AAAA records).
    if (slice.addressType !== 'IPv4') continue
    for (const e of slice.endpoints ?? []) {
      const ip = e.addresses[0]
      if (!ip || seen.has(ip) || e.conditions.ready === false) continue
      seen.add(ip)
      out.push({ ip, host: e.hostname ?? dashed(ip) })
    }
  }
  return out
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
      for (const p of svc.spec.ports ?? []) out.push({ name: fqdn, type: 'SRV', ttl: DNS_TTL, data: `0 ${Math.max(1, Math.floor(100 / (svc.spec.ports ?? []).length))} ${p.port} ${fqdn}` })
      for (const p of named) out.push({ name: `_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`, type: 'SRV', ttl: DNS_TTL, data: `0 100 ${p.port} ${fqdn}` })
      out.push({ name: reverseName(svc.spec.clusterIP!), type: 'PTR', ttl: DNS_TTL, data: fqdn })
      endpointRecords()
      continue
    }
    if (!isHeadless(svc)) continue
    for (const e of endpoints) out.push({ name: fqdn, type: 'A', ttl: DNS_TTL, data: e.ip })
    const weight = Math.max(1, Math.floor(100 / Math.max(1, endpoints.length)))
    for (const p of named) for (const e of endpoints) out.push({ name: `_${p.name}._${p.protocol.toLowerCase()}.${fqdn}`, type: 'SRV', ttl: DNS_TTL, data: `0 ${weight} ${p.port} ${e.host}.${fqdn}` })
    endpointRecords()
  }
  return out
}
