import { coreDnsAnswer, type DnsAnswer, type QueryType } from '../dns/coreDnsAnswer'
import type { DnsRecord } from '../dns/records'
import { freePort } from '../dataplane/freePort'
import { forward, reply, type Journey } from '../dataplane/journey'
import type { Hop } from '../model/packet'
import type { Engine } from '../engine'
import type { Pod } from '../model/pod'
import type { Rng } from '../runtime/rng'

/** What `resolve` returns: the outcome, the names tried in order, and the hops of every query and answer. */
export interface ResolveResult {
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL'
  readonly answers: DnsRecord[]
  /** The SOA CoreDNS adds to a negative answer. */
  readonly authority: DnsRecord[]
  readonly queries: string[]
  readonly hops: Hop[]
  /** Why resolution failed, when it did (e.g. the DNS Service has no endpoints). */
  readonly reason?: string
  /** Set when no query could be sent at all (no such pod, an unknown query type): the lookup was never made. */
  readonly error?: string
  /** How long the resolver waited for answers that never came (each attempt that timed out costs options timeout:N). */
  readonly waitedMs?: number
}

/** What resolv.conf says: where to ask, which suffixes to try, and when a name counts as absolute enough. */
export function parseResolvConf(text: string): { nameserver: string; search: string[]; ndots: number; timeout: number; attempts: number } {
  let nameserver = ''
  let search: string[] = []
  let ndots = 1
  // glibc's defaults (RES_TIMEOUT, RES_DFLRETRY): 5 s per try, 2 tries per server.
  let timeout = 5
  let attempts = 2
  for (const line of text.split('\n')) {
    const [key, ...rest] = line.trim().split(/\s+/)
    if (key === 'nameserver' && !nameserver) nameserver = rest[0]!
    if (key === 'search') search = rest
    if (key === 'options') {
      for (const o of rest) {
        if (o.startsWith('ndots:')) ndots = Number(o.slice(6))
        if (o.startsWith('timeout:')) timeout = Math.max(1, Number(o.slice(8)) || 5)
        if (o.startsWith('attempts:')) attempts = Math.min(5, Math.max(1, Number(o.slice(9)) || 2))
      }
    }
  }
  return { nameserver, search, ndots, timeout, attempts }
}

/** glibc's order: an absolute name as is; fewer than ndots dots: each search suffix first, then as is; else the reverse. */
export function candidateNames(name: string, search: readonly string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name]
  const dots = name.split('.').length - 1
  const expanded = search.map((s) => `${name}.${s}.`)
  return dots >= ndots ? [`${name}.`, ...expanded] : [...expanded, `${name}.`]
}

/**
 * A lookup from inside a pod, as glibc's resolver makes it: one query per candidate name, each from its own UDP socket,
 * sent to the nameserver in resolv.conf (10.96.0.10, a ClusterIP, so each query is DNAT-ed on the pod's node to a
 * CoreDNS pod), until one gets an answer.
 */
export function resolveFrom(engine: Engine, j: Journey, pod: Pod, resolvConf: string, name: string, qtype: QueryType): ResolveResult {
  const { nameserver, search, ndots, timeout, attempts } = parseResolvConf(resolvConf)
  let waitedMs = 0
  const podLabel = `${pod.metadata.namespace}/${pod.metadata.name}`
  const node = pod.spec.nodeName!
  const candidates = candidateNames(name.trim(), search, ndots)
  const src = pod.status.podIP!
  const queries: string[] = []
  let nodata: DnsAnswer | undefined
  let last: DnsAnswer | undefined
  for (const qname of candidates) {
    queries.push(qname)
    // glibc opens a socket per query (res_send closes it unless RES_STAYOPEN): each name of the search list leaves
    // from a new port, and the kube-dns ClusterIP picks a CoreDNS pod for it afresh.
    const header = { proto: 'udp' as const, src, sport: freePort(j.rng, j.state, node, { proto: 'udp', src, dst: nameserver, dport: 53 }), dst: nameserver, dport: 53 }
    j.hops.push({ at: podLabel, step: 'dns', phase: 'dns', before: addrOf(header), after: addrOf(header), note: `Query ${qtype}? ${qname} (name ${queries.length} of ${candidates.length} to try: ${asGiven(qname, name) ? 'the name as given' : 'the name plus a search domain'}) to the nameserver in resolv.conf, ${nameserver}` })
    let arrival = forward(j, node, pod.spec.hostNetwork ? 'OUTPUT' : 'PREROUTING', header)
    // No answer: glibc tries again from the same socket (so conntrack sends the retry where the first try went), up to
    // `attempts` times, waiting `timeout` seconds for each try that is lost; a refusal (ICMP) ends a try at once.
    for (let attempt = 2; !arrival.ok && attempt <= attempts; attempt++) {
      if (arrival.failure === 'timeout') waitedMs += timeout * 1000
      j.hops.push({ at: podLabel, step: 'dns', phase: 'dns', before: addrOf(header), after: addrOf(header), note: `No answer (${arrival.reason})${arrival.failure === 'timeout' ? ` after ${timeout}s` : ''}: try ${attempt} of ${attempts} (options attempts:${attempts}), from the same socket` })
      arrival = forward(j, node, pod.spec.hostNetwork ? 'OUTPUT' : 'PREROUTING', header)
    }
    if (!arrival.ok) {
      if (arrival.failure === 'timeout') waitedMs += timeout * 1000
      j.hops.push({ at: podLabel, step: 'dns', phase: 'dns', before: addrOf(header), after: addrOf(header), note: `No answer: ${arrival.reason}. After ${attempts} tries the resolver gives up (${waitedMs / 1000}s spent waiting): could not resolve ${name}` })
      return { rcode: 'SERVFAIL', answers: [], authority: [], queries, hops: j.hops, reason: arrival.reason, ...(waitedMs ? { waitedMs } : {}) }
    }
    const server = arrival.to.kind === 'pod' ? arrival.to.pod : undefined
    // A CoreDNS pod answers from its own watch; anything else listening on 53 knows no cluster names.
    const view = server && server.metadata.labels?.['k8s-app'] === 'kube-dns' ? engine.state.dns.get(`${server.metadata.namespace}/${server.metadata.name}`) : undefined
    let answer: DnsAnswer = view
      ? coreDnsAnswer(view, new Set(engine.state.namespaces.keys()), qname, qtype, engine.config.clusterDomain)
      : coreDnsAnswer({ services: engine.state.services.clear(), endpointSlices: engine.state.endpointSlices.clear(), syncedAt: 0 }, new Set(), qname, qtype, engine.config.clusterDomain)
    // kubeadm's Corefile has `loadbalance`: the A records of an answer come in a random order each time, so clients
    // that take the first address (a headless Service's pods) spread over them.
    last = answer = shuffled(answer, j.rng)
    const at = server ? `${server.metadata.namespace}/${server.metadata.name}` : 'upstream resolver'
    j.hops.push({
      at, step: 'dns', phase: 'dns', before: addrOf(arrival.header), after: addrOf(arrival.header),
      note: `${answer.source === 'upstream' ? 'Not a cluster name: forwarded upstream (outside the simulation; a documentation address stands in). ' : ''}${answer.rcode}${answer.answers.length ? `: ${answer.answers.map((r) => `${r.name} ${r.ttl} IN ${r.type} ${r.data}`).join('; ')}` : answer.rcode === 'NOERROR' ? ' with no records of that type' : ''}`,
    })
    const back = { proto: 'udp' as const, src: arrival.header.dst, sport: arrival.header.dport, dst: arrival.header.src, dport: arrival.header.sport }
    reply(j, arrival.node, back, podLabel)
    if (answer.rcode === 'NOERROR' && answer.answers.length > 0) return { rcode: 'NOERROR', answers: answer.answers, authority: [], queries, hops: j.hops, ...(waitedMs ? { waitedMs } : {}) }
    if (answer.rcode === 'NOERROR') nodata = answer
  }
  const final = nodata ?? last!
  return { rcode: final.rcode, answers: [], authority: final.authority, queries, hops: j.hops, ...(waitedMs ? { waitedMs } : {}) }
}

/** Whether a candidate is the name as typed (absolute), rather than the name with a search domain appended. */
const asGiven = (candidate: string, name: string) => candidate.replace(/\.$/, '') === name.trim().replace(/\.$/, '')

/** The answer with its A records in a random order among themselves (CoreDNS's loadbalance plugin, round_robin). */
function shuffled(answer: DnsAnswer, rng: Rng): DnsAnswer {
  const at = answer.answers.flatMap((r, i) => (r.type === 'A' ? [i] : []))
  if (at.length < 2) return answer
  const a = at.map((i) => answer.answers[i]!)
  for (let i = a.length - 1; i > 0; i--) {
    const k = rng.int(i + 1)
    ;[a[i], a[k]] = [a[k]!, a[i]!]
  }
  const answers = [...answer.answers]
  at.forEach((i, n) => (answers[i] = a[n]!))
  return { ...answer, answers }
}

function addrOf(h: { proto: string; src: string; sport: number; dst: string; dport: number }) {
  return { src: `${h.src}:${h.sport}`, dst: `${h.dst}:${h.dport}`, proto: h.proto }
}
