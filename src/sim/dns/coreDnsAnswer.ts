import { hasClusterIP } from '../model/service'
import { fnv32a } from '../runtime/hash'
import { numberToIp } from '../runtime/ip'
import { CLUSTER_EPOCH_MS } from '../runtime/time'
import type { WatchView } from '../state'
import { DNS_TTL, headlessSrv, readyEndpoints, srvWeight, type DnsRecord } from './records'

/** The query types the simulated resolver sends. */
export type QueryType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT'

/** The DNS schema version the kubernetes plugin answers at dns-version.<zone> (DNSSchemaVersion, TTL 28800). */
export const DNS_SCHEMA_VERSION = '1.1.0'

/** An answer as CoreDNS gives it: the rcode, the answer section, and the SOA in the authority section when negative. */
export interface DnsAnswer {
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL'
  readonly answers: DnsRecord[]
  readonly authority: DnsRecord[]
  /** Who answered: the kubernetes plugin, or the upstream resolver CoreDNS forwards other names to. */
  readonly source: 'kubernetes' | 'upstream'
}

/**
 * Top-level domains the stand-in upstream treats as delegated; any other last label (a namespace typed where a domain
 * should be, "web.other") is NXDOMAIN upstream, as it is on the Internet.
 */
const PUBLIC_TLDS = new Set(['com', 'org', 'net', 'io', 'dev', 'app', 'edu', 'gov', 'co', 'uk', 'de', 'fr', 'nl', 'eu', 'us', 'ca', 'jp', 'cn', 'in', 'au', 'br', 'ch', 'se', 'no', 'es', 'it', 'pl', 'info', 'biz', 'cloud', 'ai', 'me', 'tv', 'xyz'])

/** A stand-in for the world outside: upstream answers come from TEST-NET-1 (192.0.2.0/24), stable per name. */
export function upstreamAddress(name: string): string {
  return numberToIp(0xc0000200 + 1 + (fnv32a(name) % 254))
}

/** The root zone's SOA, which an upstream NXDOMAIN for a name nobody delegates carries. */
const ROOT_SOA: DnsRecord = { name: '.', type: 'SOA', ttl: 86400, data: 'a.root-servers.net. nstld.verisign-grs.com. 2026010500 1800 900 604800 86400' }

/** The zone's SOA; `zone` is the cluster domain as the query spelled it ("ClUsTeR.lOcAl."). */
function soa(zone: string, view: WatchView): DnsRecord {
  const serial = Math.floor((CLUSTER_EPOCH_MS + Math.max(0, view.syncedAt)) / 1000)
  return { name: zone, type: 'SOA', ttl: DNS_TTL, data: `ns.dns.${zone} hostmaster.${zone} ${serial} 7200 1800 86400 ${DNS_TTL}` }
}

/**
 * CoreDNS's kubernetes plugin (plus `forward` for everything outside the cluster domain), answering from the Services
 * and EndpointSlices of its last sync. TTL 30 (kubeadm's Corefile); NXDOMAIN and NODATA carry the cluster SOA.
 * Names are looked up case-insensitively, and answered in the case the client sent: the owner name is the query's,
 * and names the plugin builds (SRV targets, the SOA) end in the zone as the query spelled it.
 */
export function coreDnsAnswer(view: WatchView, namespaces: ReadonlySet<string>, qname: string, qtype: QueryType, domain = 'cluster.local'): DnsAnswer {
  const owner = qname.endsWith('.') ? qname : `${qname}.`
  const name = owner.toLowerCase()
  const inZone = name === `${domain}.` || name.endsWith(`.${domain}.`)
  const zone = inZone ? owner.slice(owner.length - domain.length - 1) : `${domain}.`
  const ok = (answers: DnsRecord[]): DnsAnswer => ({ rcode: 'NOERROR', answers, authority: answers.length ? [] : [soa(zone, view)], source: 'kubernetes' })
  const nx = (): DnsAnswer => ({ rcode: 'NXDOMAIN', answers: [], authority: [soa(zone, view)], source: 'kubernetes' })
  const rec = (type: DnsRecord['type'], data: string): DnsRecord => ({ name: owner, type, ttl: DNS_TTL, data })

  if (name.endsWith('.in-addr.arpa.')) {
    if (qtype !== 'PTR') return ok([])
    const ip = name.slice(0, -'.in-addr.arpa.'.length).split('.').reverse().join('.')
    // serviceRecordForIP: a ClusterIP first, else every Service whose endpoints hold the address.
    const ptrs: DnsRecord[] = []
    for (const svc of view.services.values()) {
      const fqdn = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}.`
      if (hasClusterIP(svc) && svc.spec.clusterIP === ip) return ok([rec('PTR', fqdn)])
      const ep = readyEndpoints(view, svc).find((e) => e.ip === ip)
      if (ep) ptrs.push(rec('PTR', `${ep.host}.${fqdn}`))
    }
    if (ptrs.length) return ok(ptrs)
    // kubeadm's Corefile says `fallthrough in-addr.arpa ip6.arpa`: an address the cluster does not know goes upstream,
    // which (for these private ranges) knows it no better.
    return { rcode: 'NXDOMAIN', answers: [], authority: [ROOT_SOA], source: 'upstream' }
  }
  const svcSuffix = `.svc.${domain}.`
  const podSuffix = `.pod.${domain}.`
  if (name.endsWith(podSuffix)) {
    const [host, ns, ...rest] = name.slice(0, -podSuffix.length).split('.')
    if (rest.length || !ns || !namespaces.has(ns)) return nx()
    const ip = host!.replace(/-/g, '.')
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return nx()
    return ok(qtype === 'A' ? [rec('A', ip)] : [])
  }
  // The only TXT record the plugin has: the schema version of the Kubernetes DNS specification it implements.
  if (name === `dns-version.${domain}.` && qtype === 'TXT') return ok([{ name: owner, type: 'TXT', ttl: 28800, data: `"${DNS_SCHEMA_VERSION}"` }])
  if (name === `svc.${domain}.` || name === `${domain}.`) return ok([])
  if (name.endsWith(svcSuffix)) {
    const labels = name.slice(0, -svcSuffix.length).split('.')
    if (labels.length === 1) return namespaces.has(labels[0]!) ? ok([]) : nx()
    const ns = labels.at(-1)!
    const svcName = labels.at(-2)!
    const svc = view.services.get(`${ns}/${svcName}`)
    if (!svc) return nx()
    // Names built from the objects are lower case (as stored); the zone keeps the query's spelling.
    const fqdn = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${zone}`
    if (labels.length === 2) {
      if (svc.spec.type === 'ExternalName') {
        const target = `${svc.spec.externalName!.replace(/\.$/, '')}.`
        const cname = rec('CNAME', target)
        if (qtype === 'CNAME') return ok([cname])
        if (qtype === 'A') {
          // A target inside the cluster zone is answered from the zone itself (CNAME External To Internal Service).
          // Outside the zone, CoreDNS resolves the target upstream; either way the CNAME leads the answer.
          const next = coreDnsAnswer(view, namespaces, target, 'A', domain)
          return { rcode: next.rcode, answers: [cname, ...next.answers], authority: next.authority, source: 'kubernetes' }
        }
        return ok([cname])
      }
      // A headless Service with no ready endpoint has no records at all: the name does not exist yet.
      if (!hasClusterIP(svc) && readyEndpoints(view, svc).length === 0) return nx()
      if (qtype === 'A') {
        if (hasClusterIP(svc)) return ok([rec('A', svc.spec.clusterIP!)])
        return ok(readyEndpoints(view, svc).map((e) => rec('A', e.ip)))
      }
      if (qtype === 'SRV') {
        // A bare-name SRV query matches every port, named or not: the Service's ports behind a ClusterIP, each
        // endpoint's own (target) ports for a headless Service.
        if (!hasClusterIP(svc)) return ok(headlessSrv(readyEndpoints(view, svc), fqdn).map((d) => rec('SRV', d)))
        const ports = svc.spec.ports ?? []
        return ok(ports.map((p) => rec('SRV', `0 ${srvWeight(ports.length)} ${p.port} ${fqdn}`)))
      }
      return ok([])
    }
    if (labels.length === 3) {
      // <endpoint>.<service>.<namespace>.svc: an endpoint by hostname or dashed IP, of any Service with endpoints
      // (findServices looks at endpoints when the Service is headless or an endpoint is named).
      const ep = readyEndpoints(view, svc).find((e) => e.host === labels[0])
      if (!ep) return nx()
      return ok(qtype === 'A' ? [rec('A', ep.ip)] : [])
    }
    if (labels.length === 4 && labels[0]!.startsWith('_') && labels[1]!.startsWith('_')) {
      const portName = labels[0]!.slice(1)
      const proto = labels[1]!.slice(1)
      if (!hasClusterIP(svc)) {
        // Headless: the port is looked for among the endpoints' ports (the slices'), and answered with theirs.
        const srv = headlessSrv(readyEndpoints(view, svc), fqdn, portName, proto)
        if (srv.length === 0) return nx()
        return ok(qtype === 'SRV' ? srv.map((d) => rec('SRV', d)) : [])
      }
      const port = (svc.spec.ports ?? []).find((p) => p.name === portName && p.protocol === proto.toUpperCase())
      if (!port) return nx()
      if (qtype !== 'SRV') return ok([])
      return ok([rec('SRV', `0 100 ${port.port} ${fqdn}`)])
    }
    return nx()
  }
  if (name.endsWith(`.${domain}.`)) return nx()
  // Outside the cluster domain: CoreDNS forwards upstream. The simulation has no Internet: a name with a domain and a
  // top-level label gets a documentation address; a bare label, or a reserved TLD, gets NXDOMAIN as it would.
  const labels = name.slice(0, -1).split('.')
  if (labels.length < 2 || !PUBLIC_TLDS.has(labels.at(-1)!)) return { rcode: 'NXDOMAIN', answers: [], authority: [ROOT_SOA], source: 'upstream' }
  if (qtype === 'A') return { rcode: 'NOERROR', answers: [{ name: owner, type: 'A', ttl: 300, data: upstreamAddress(name) }], authority: [], source: 'upstream' }
  return { rcode: 'NOERROR', answers: [], authority: [], source: 'upstream' }
}

