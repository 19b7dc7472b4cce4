import type { IpvsNode, IpvsRealServer, IpvsServiceState, IpvsVirtualServer } from '../model/ipvs'
import { virtualServerKey } from '../model/ipvs'
import { ipToNumber } from '../runtime/ip'
import { die, Exit, parseIpvsadmArgs, USAGE, VERSION, type Opt } from './ipvsadmArgs'
import { serviceName } from './netdb'
import { fail, ok, type RunResult } from './types'

/**
 * ipvsadm v1.31 (Debian 12's), reading the kernel's IPVS tables as kube-proxy left them: its listings, with the
 * format strings of its source and binary (its command line: ipvsadmArgs.ts).
 * The kernel says "IP Virtual Server version 1.2.1 (size=4096)" (the connection table's default 2^12 entries).
 */

/** One IPVS connection as /proc/net/ip_vs_conn has it (`ipvsadm -Lnc`): client, virtual server, real server. */
export interface IpvsConnection {
  readonly proto: 'tcp' | 'udp' | 'sctp'
  readonly src: string
  readonly sport: number
  readonly vip: string
  readonly vport: number
  readonly dst: string
  readonly dport: number
  readonly expiresInS: number
  /** ESTABLISHED, TIME_WAIT, SYN_RECV... (TCP); UDP for UDP; NONE for a persistence template. */
  readonly state: string
}

const HEADER = 'IP Virtual Server version 1.2.1 (size=4096)'
const PROTO_NUMBER: Readonly<Record<string, number>> = { TCP: 6, UDP: 17, SCTP: 132 }

/** The per-virtual-server counters, by virtualServerKey (an immutable Map or a Map will do). */
export interface IpvsStats {
  get(key: string): IpvsServiceState | undefined
}

/** glibc's qsort (a merge sort, taking from the left on ties), for ipvsadm's comparators, whatever they return. */
function mergeSort<T>(items: T[], cmp: (a: T, b: T) => number): T[] {
  if (items.length <= 1) return items
  const n1 = items.length >> 1
  const left = mergeSort(items.slice(0, n1), cmp)
  const right = mergeSort(items.slice(n1), cmp)
  const out: T[] = []
  let i = 0
  let j = 0
  while (i < left.length && j < right.length) out.push(cmp(left[i]!, right[j]!) <= 0 ? left[i++]! : right[j++]!)
  return [...out, ...left.slice(i), ...right.slice(j)]
}

/** `ntohl(a) - ntohl(b)` stored in an int: a difference past 2^31 wraps, so 10.96.0.1 sorts after 172.18.0.2. */
const addrDiff = (a: string, b: string) => ((ipToNumber(a) >>> 0) - (ipToNumber(b) >>> 0)) | 0

/** ipvs_cmp_services: protocol number, then address, then port. */
const cmpServices = (a: IpvsVirtualServer, b: IpvsVirtualServer) => PROTO_NUMBER[a.protocol]! - PROTO_NUMBER[b.protocol]! || addrDiff(a.ip, b.ip) || a.port - b.port
/** ipvs_cmp_dests: address, then port. */
const cmpDests = (a: IpvsRealServer, b: IpvsRealServer) => addrDiff(a.ip, b.ip) || a.port - b.port

/** addrport_to_anyname: numeric with -n; else the port by its service name (addresses have no name here). */
const anyname = (ip: string, port: number, proto: string, numeric: boolean) => `${ip}:${(numeric ? undefined : serviceName(port, proto.toLowerCase())) ?? port}`

/** print_largenum: right-aligned in 9, or scaled K/M/G/T past 100 million (all digits with --exact). */
function largenum(i: number, exact: boolean): string {
  if (exact) return String(i).padStart(String(i).length <= 8 ? 9 : String(i).length + 1)
  if (i < 1e8) return String(i).padStart(9)
  if (i < 1e9) return `${String(Math.floor(i / 1e3)).padStart(8)}K`
  if (i < 1e11) return `${String(Math.floor(i / 1e6)).padStart(8)}M`
  if (i < 1e14) return `${String(Math.floor(i / 1e9)).padStart(8)}G`
  return `${String(Math.floor(i / 1e12)).padStart(8)}T`
}

const ZERO = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 }

interface Format {
  readonly numeric: boolean
  readonly stats: boolean
  readonly rate: boolean
  readonly thresholds: boolean
  readonly persistentConn: boolean
  readonly nosort: boolean
  readonly exact: boolean
  readonly tunInfo: boolean
}

function title(f: Format): string {
  const sub = '  -> RemoteAddress:Port\n'
  if (f.stats) return `${'Prot LocalAddress:Port'.padEnd(33)} ${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes'].map((s) => s.padStart(8)).join(' ')}\n${sub}`
  if (f.rate) return `${'Prot LocalAddress:Port'.padEnd(33)} ${['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS'].map((s) => s.padStart(8)).join(' ')}\n${sub}`
  if (f.thresholds) return `${'Prot LocalAddress:Port'.padEnd(33)} ${['Uthreshold', 'Lthreshold', 'ActiveConn', 'InActConn'].map((s) => s.padEnd(10)).join(' ')}\n${sub}`
  if (f.persistentConn) return `${'Prot LocalAddress:Port'.padEnd(33)} ${'Weight'.padEnd(9)} ${'PersistConn'.padEnd(11)} ${'ActiveConn'.padEnd(10)} ${'InActConn'.padEnd(10)}\n${sub}`
  if (f.tunInfo) return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n'
  return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n'
}

/** print_service_entry: the service's line, then each real server's. */
function serviceEntry(vs: IpvsVirtualServer, f: Format, st: IpvsServiceState | undefined, conns: readonly IpvsConnection[]): string {
  const name = `${vs.protocol.padEnd(4)} ${anyname(vs.ip, vs.port, vs.protocol, f.numeric)}`.slice(0, 33)
  const num = (n: number) => largenum(n, f.exact)
  let out: string
  if (f.stats) out = `${name.padEnd(33)}${[st?.conns ?? 0, st?.inPkts ?? 0, st?.outPkts ?? 0, st?.inBytes ?? 0, st?.outBytes ?? 0].map(num).join('')}`
  else if (f.rate) out = `${name.padEnd(33)}${[0, 0, 0, 0, 0].map(num).join('')}`
  else out = `${name} ${vs.scheduler}${vs.persistent ? ` persistent ${vs.persistent}` : ''}`
  const lines = [out]
  const mine = conns.filter((c) => c.proto.toUpperCase() === vs.protocol && c.vip === vs.ip && c.vport === vs.port)
  const dests = f.nosort ? [...vs.realServers] : mergeSort([...vs.realServers], cmpDests)
  for (const d of dests) {
    const dname = anyname(d.ip, d.port, vs.protocol, f.numeric).slice(0, 28)
    const to = mine.filter((c) => c.dst === d.ip && c.dport === d.port)
    const templates = to.filter((c) => c.state === 'NONE').length
    const active = to.filter((c) => c.state === 'ESTABLISHED').length
    const inactive = to.length - templates - active
    const per = st?.perReal.get(`${d.ip}:${d.port}`) ?? ZERO
    if (f.stats) lines.push(`  -> ${dname.padEnd(28)}${[per.conns, per.inPkts, per.outPkts, per.inBytes, per.outBytes].map(num).join('')}`)
    else if (f.rate) lines.push(`  -> ${dname.padEnd(28)} ${'0'.padStart(8)} ${'0'.padStart(8)} ${'0'.padStart(8)}${num(0)}${num(0)}`)
    else if (f.thresholds) lines.push(`  -> ${dname.padEnd(28)} ${['0', '0', String(active), String(inactive)].map((s) => s.padEnd(10)).join(' ')}`)
    else if (f.persistentConn) lines.push(`  -> ${dname.padEnd(28)} ${String(d.weight).padEnd(9)} ${String(templates).padEnd(11)} ${String(active).padEnd(10)} ${String(inactive).padEnd(10)}`)
    else if (f.tunInfo) lines.push(`  -> ${dname.padEnd(28)} ${'Masq'.padEnd(7)} ${'n/a'.padEnd(13)} ${String(d.weight).padEnd(6)} ${String(active).padEnd(10)} ${String(inactive).padEnd(10)}`)
    else lines.push(`  -> ${dname.padEnd(28)} ${'Masq'.padEnd(7)} ${String(d.weight).padEnd(6)} ${String(active).padEnd(10)} ${String(inactive).padEnd(10)}`)
  }
  return lines.map((l) => `${l}\n`).join('')
}

/** `ipvsadm -S`: the table as ipvsadm -R reads it back. */
function saveEntry(vs: IpvsVirtualServer, numeric: boolean): string {
  const flag = vs.protocol === 'TCP' ? '-t' : vs.protocol === 'UDP' ? '-u' : '--sctp-service'
  const svc = `${flag} ${anyname(vs.ip, vs.port, vs.protocol, numeric)}`
  const lines = [`-A ${svc} -s ${vs.scheduler}${vs.persistent ? ` -p ${vs.persistent}` : ''}`]
  for (const d of mergeSort([...vs.realServers], cmpDests)) lines.push(`-a ${svc} -r ${anyname(d.ip, d.port, vs.protocol, numeric)} -m -w ${d.weight}`)
  return lines.map((l) => `${l}\n`).join('')
}

/** print_conn: one line of `-c` (`%-3s %-6s %-11s %-18s %-18s %s`), the time left as minutes:seconds. */
function connLine(c: IpvsConnection, numeric: boolean): string {
  const expire = `${String(Math.floor(c.expiresInS / 60)).padStart(2, '0')}:${String(c.expiresInS % 60).padStart(2, '0')}`
  const p = c.proto.toUpperCase()
  return `${p.padEnd(3)} ${expire.padEnd(6)} ${c.state.padEnd(11)} ${anyname(c.src, c.sport, p, numeric).padEnd(18)} ${anyname(c.vip, c.vport, p, numeric).padEnd(18)} ${anyname(c.dst, c.dport, p, numeric)}\n`
}


/**
 * ipvsadm on a node: `-L`/`-l` (with -n, --stats, --rate, --thresholds, --persistent-conn, --exact, --nosort,
 * -t/-u/--sctp-service VIP:PORT, -c, --timeout, --daemon), `-S`, `-h`, `-v`, and no arguments (`-L` without -n).
 * `n` undefined: no IPVS on the node (iptables or nftables mode), so an empty table. Commands that change the table
 * are refused: kube-proxy owns it, and would put it back at its next sync.
 */
export function ipvsadmCommand(n: IpvsNode | undefined, stats: IpvsStats, connections: readonly IpvsConnection[], args: readonly string[]): RunResult {
  try {
    const parsed = args.length === 0 ? { cmd: 'list', options: new Set<Opt>() } : parseIpvsadmArgs(args)
    const o = parsed.options
    if (parsed.cmd === 'help') return ok(USAGE)
    if (parsed.cmd === 'version') return ok(`${VERSION}\n`)
    const f: Format = { numeric: o.has('numeric'), stats: o.has('stats'), rate: o.has('rate'), thresholds: o.has('thresholds'), persistentConn: o.has('persistent-conn'), nosort: o.has('nosort'), exact: o.has('exact'), tunInfo: o.has('tun-info') }
    const servers = n?.virtualServers ?? []
    const sorted = f.nosort ? [...servers] : mergeSort([...servers], cmpServices)
    if (parsed.cmd === 'save') return ok(sorted.map((vs) => saveEntry(vs, f.numeric)).join(''))
    if (parsed.cmd !== 'list') return fail(`ipvsadm: only listing (-L, -S) is simulated here: kube-proxy owns this node's IPVS table and would put it back at its next sync`, 2)
    if ((o.has('connection') || o.has('timeout') || o.has('daemon')) && (f.stats || f.persistentConn || f.rate || f.thresholds)) die('options conflicts in the list command')
    if (o.has('connection')) return ok(`IPVS connection entries\npro expire ${'state'.padEnd(11)} ${'source'.padEnd(18)} ${'virtual'.padEnd(18)} destination\n${connections.map((c) => connLine(c, f.numeric)).join('')}`)
    if (o.has('timeout')) return ok('Timeout (tcp tcpfin udp): 900 120 300\n')
    if (o.has('daemon')) return ok('')
    const entry = (vs: IpvsVirtualServer) => serviceEntry(vs, f, stats.get(virtualServerKey(vs)), connections)
    if (parsed.service) {
      const want = parsed.service
      const vs = 'fwmark' in want ? undefined : servers.find((s) => s.protocol === want.proto && s.ip === want.ip && s.port === want.port)
      return vs ? ok(`${title(f)}${entry(vs)}`) : fail('No such service', 1)
    }
    return ok(`${HEADER}\n${title(f)}${sorted.map(entry).join('')}`)
  } catch (e) {
    if (e instanceof Exit) return e.result
    throw e
  }
}
