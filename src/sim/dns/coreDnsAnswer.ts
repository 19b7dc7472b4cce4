import { hasClusterIP } from '../model/service'
import { fnv32a } from '../runtime/hash'
import { numberToIp } from '../runtime/ip'
import { CLUSTER_EPOCH_MS } from '../runtime/time'
import type { WatchView } from '../state'
import { DNS_TTL, readyEndpoints, type DnsRecord } from './records'

export type QueryType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME'

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

function soa(domain: string, view: WatchView): DnsRecord {
  const serial = Math.floor((CLUSTER_EPOCH_MS + Math.max(0, view.syncedAt)) / 1000)
  return { name: `${domain}.`, type: 'SOA', ttl: DNS_TTL, data: `ns.dns.${domain}. hostmaster.${domain}. ${serial} 7200 1800 86400 ${DNS_TTL}` }
}

/**
 * CoreDNS's kubernetes plugin (plus `forward` for everything outside the cluster domain), answering from the Services
 * and EndpointSlices of its last sync. TTL 30 (kubeadm's Corefile); NXDOMAIN and NODATA carry the cluster SOA.
 */
export function coreDnsAnswer(view: WatchView, namespaces: ReadonlySet<string>, qname: string, qtype: QueryType, domain = 'cluster.local'): DnsAnswer {
  const name = (qname.endsWith('.') ? qname : `${qname}.`).toLowerCase()
  const ok = (answers: DnsRecord[]): DnsAnswer => ({ rcode: 'NOERROR', answers, authority: answers.length ? [] : [soa(domain, view)], source: 'kubernetes' })
  const nx = (): DnsAnswer => ({ rcode: 'NXDOMAIN', answers: [], authority: [soa(domain, view)], source: 'kubernetes' })
  const rec = (type: DnsRecord['type'], data: string, n = name): DnsRecord => ({ name: n, type, ttl: DNS_TTL, data })

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
  if (name === `svc.${domain}.` || name === `${domain}.`) return ok([])
  if (name.endsWith(svcSuffix)) {
    const labels = name.slice(0, -svcSuffix.length).split('.')
    if (labels.length === 1) return namespaces.has(labels[0]!) ? ok([]) : nx()
    const ns = labels.at(-1)!
    const svcName = labels.at(-2)!
    const svc = view.services.get(`${ns}/${svcName}`)
    if (!svc) return nx()
    const fqdn = `${svcName}.${ns}.svc.${domain}.`
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
        // A bare-name SRV query matches every port, named or not.
        const named = svc.spec.ports ?? []
        const targets = hasClusterIP(svc) ? [{ host: fqdn, ip: svc.spec.clusterIP! }] : readyEndpoints(view, svc).map((e) => ({ host: `${e.host}.${fqdn}`, ip: e.ip }))
        const n = named.length * targets.length
        const weight = Math.max(1, Math.floor(100 / Math.max(1, n)))
        return ok(named.flatMap((p) => targets.map((t) => rec('SRV', `0 ${weight} ${p.port} ${t.host}`))))
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
      const proto = labels[1]!.slice(1).toUpperCase()
      const port = (svc.spec.ports ?? []).find((p) => p.name === portName && p.protocol === proto)
      if (!port) return nx()
      if (qtype !== 'SRV') return ok([])
      const targets = hasClusterIP(svc) ? [fqdn] : readyEndpoints(view, svc).map((e) => `${e.host}.${fqdn}`)
      const weight = Math.max(1, Math.floor(100 / Math.max(1, targets.length)))
      return ok(targets.map((t) => rec('SRV', `0 ${weight} ${port.port} ${t}`)))
    }
    return nx()
  }
  if (name.endsWith(`.${domain}.`)) return nx()
  // Outside the cluster domain: CoreDNS forwards upstream. The simulation has no Internet: a name with a domain and a
  // top-level label gets a documentation address; a bare label, or a reserved TLD, gets NXDOMAIN as it would.
  const labels = name.slice(0, -1).split('.')
  if (labels.length < 2 || !PUBLIC_TLDS.has(labels.at(-1)!)) return { rcode: 'NXDOMAIN', answers: [], authority: [ROOT_SOA], source: 'upstream' }
  if (qtype === 'A') return { rcode: 'NOERROR', answers: [{ name, type: 'A', ttl: 300, data: upstreamAddress(name) }], authority: [], source: 'upstream' }
  return { rcode: 'NOERROR', answers: [], authority: [], source: 'upstream' }
}

