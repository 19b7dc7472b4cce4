import type { ResolveResult } from '../commands/resolve'
import type { QueryType } from '../dns/coreDnsAnswer'
import type { DnsRecord } from '../dns/records'
import { CLUSTER_EPOCH_MS } from '../runtime/time'
import { fail, ok, type RunResult } from './types'

/** Resolves `name` from the pod (a `resolve` action, so that the query is recorded and replayed like any request). */
export type Lookup = (name: string, type: QueryType) => ResolveResult

const QTYPES: readonly QueryType[] = ['A', 'AAAA', 'CNAME', 'PTR', 'SRV', 'TXT']

/** `in-addr.arpa` name of an IPv4 address, for `dig -x` and `nslookup <ip>`. */
export const reverseName = (ip: string) => `${ip.split('.').reverse().join('.')}.in-addr.arpa.`

const isIPv4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s)

/** `nslookup NAME` as BIND 9.9's nslookup prints it (the client image is Debian jessie's dnsutils). */
export function nslookup(args: readonly string[], nameserver: string, lookup: Lookup): RunResult {
  const words = args.filter((a) => !a.startsWith('-'))
  let type: QueryType = 'A'
  for (const a of args) {
    const m = /^-(?:type|query|q|querytype)=(\w+)$/i.exec(a)
    if (m && QTYPES.includes(m[1]!.toUpperCase() as QueryType)) type = m[1]!.toUpperCase() as QueryType
  }
  const name = words[0]
  if (!name) return fail('nslookup: interactive mode is not simulated: give a name, as in "nslookup web"')
  const header = `Server:\t\t${nameserver}\nAddress:\t${nameserver}#53\n\n`
  const query = isIPv4(name) ? reverseName(name) : name
  const r = lookup(query, isIPv4(name) ? 'PTR' : type)
  if (r.error) return fail(r.error)
  if (r.rcode === 'SERVFAIL' && r.reason) return { exitCode: 1, stdout: ';; connection timed out; no servers could be reached\n\n', stderr: '' }
  if (r.rcode !== 'NOERROR') return { exitCode: 1, stdout: `${header}** server can't find ${name}: ${r.rcode}\n\n`, stderr: '' }
  if (r.answers.length === 0) return { exitCode: 1, stdout: `${header}*** Can't find ${name}: No answer\n\n`, stderr: '' }
  const lines = r.answers.map((rec) => nslookupLine(rec))
  return ok(`${header}${lines.join('')}\n`)
}

function nslookupLine(r: DnsRecord): string {
  const name = r.name.replace(/\.$/, '')
  switch (r.type) {
    case 'A':
      return `Name:\t${name}\nAddress: ${r.data}\n`
    case 'CNAME':
      return `${name}\tcanonical name = ${r.data}\n`
    case 'PTR':
      return `${r.name}\tname = ${r.data}\n`
    case 'SRV':
      return `${name}\tservice = ${r.data}\n`
    default:
      return `${name}\ttext = ${r.data}\n`
  }
}

/** The wire length of a name, compressed against the names already in the message (miekg/dns compresses suffixes). */
function nameLength(name: string, seen: Set<string>): number {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean)
  let n = 0
  for (let i = 0; i < labels.length; i++) {
    const suffix = labels.slice(i).join('.').toLowerCase()
    if (seen.has(suffix)) return n + 2
    seen.add(suffix)
    n += labels[i]!.length + 1
  }
  return n + 1
}

function rdataLength(r: DnsRecord, seen: Set<string>): number {
  switch (r.type) {
    case 'A':
      return 4
    case 'CNAME':
    case 'PTR':
      return nameLength(r.data, seen)
    case 'SRV':
      return 6 + nameLength(r.data.split(' ')[3]!, seen)
    case 'SOA': {
      const [mname, rname] = r.data.split(' ')
      return nameLength(mname!, seen) + nameLength(rname!, seen) + 20
    }
    default:
      return r.data.length + 1
  }
}

/** DNS message size: header, question, records, and the OPT record dig's EDNS query gets back. */
function messageSize(qname: string, records: readonly DnsRecord[]): number {
  const seen = new Set<string>()
  let n = 12 + nameLength(qname, seen) + 4
  for (const r of records) n += nameLength(r.name, seen) + 10 + rdataLength(r, seen)
  return n + 11
}

const recordLine = (r: DnsRecord) => `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`

/** `dig [@server] [TYPE] NAME [+short] [+search] [-x ADDR]` as dig 9.9 prints it; without +search the name is taken as absolute. */
export function dig(args: readonly string[], nameserver: string, now: number, lookup: Lookup): RunResult {
  let type: QueryType = 'A'
  let name: string | undefined
  let short = false
  let search = false
  let server = nameserver
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '+short') short = true
    else if (a === '+search') search = true
    else if (a.startsWith('+')) continue
    else if (a.startsWith('@')) server = a.slice(1)
    else if (a === '-t' && args[i + 1]) type = args[++i]!.toUpperCase() as QueryType
    else if (a === '-x' && args[i + 1]) {
      name = reverseName(args[++i]!)
      type = 'PTR'
    } else if (QTYPES.includes(a.toUpperCase() as QueryType) && name !== undefined) type = a.toUpperCase() as QueryType
    else if (QTYPES.includes(a.toUpperCase() as QueryType) && args.slice(i + 1).some((x) => !x.startsWith('+') && !x.startsWith('@'))) type = a.toUpperCase() as QueryType
    else name = a
  }
  if (!QTYPES.includes(type)) return fail(`;; Warning, ignoring invalid type ${type}`)
  if (name === undefined) name = '.'
  const qname = name.endsWith('.') ? name : `${name}.`
  const r = lookup(search ? name : qname, type)
  if (r.error) return fail(r.error)
  if (r.rcode === 'SERVFAIL' && r.reason) return { exitCode: 9, stdout: `\n; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> ${args.join(' ')}\n;; global options: +cmd\n;; connection timed out; no servers could be reached\n`, stderr: '' }
  if (short) return ok(r.answers.map((a) => `${a.data}\n`).join(''))
  const asked = r.queries[r.queries.length - 1] ?? qname
  const id = (Math.floor(now) * 7919 + asked.length * 104729) % 65536
  const flags = r.rcode === 'NXDOMAIN' && !asked.endsWith('.cluster.local.') ? 'qr rd ra' : 'qr aa rd'
  const when = new Date(CLUSTER_EPOCH_MS + now).toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1 $3 $2 $5 UTC $4')
  const out = [
    '',
    `; <<>> DiG 9.9.5-9+deb8u19-Debian <<>> ${args.join(' ')}`,
    ';; global options: +cmd',
    ';; Got answer:',
    `;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${id}`,
    `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answers.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: 1`,
    ...(flags.includes('ra') ? [] : [';; WARNING: recursion requested but not available']),
    '',
    ';; OPT PSEUDOSECTION:',
    '; EDNS: version: 0, flags:; udp: 4096',
    ';; QUESTION SECTION:',
    `;${asked}\t\tIN\t${type}`,
    '',
    ...(r.answers.length ? [';; ANSWER SECTION:', ...r.answers.map(recordLine), ''] : []),
    ...(r.authority.length ? [';; AUTHORITY SECTION:', ...r.authority.map(recordLine), ''] : []),
    ';; Query time: 0 msec',
    `;; SERVER: ${server}#53(${server})`,
    `;; WHEN: ${when}`,
    `;; MSG SIZE  rcvd: ${messageSize(asked, [...r.answers, ...r.authority])}`,
    '',
    '',
  ]
  return ok(out.join('\n'))
}
