import { ipToNumber } from '../runtime/ip'
import { servicePort } from './netdb'
import { fail, type RunResult } from './types'

/**
 * ipvsadm v1.31's command line, as its popt table and generic_opt_check read it: one command (the first option must
 * be one), options in short clusters (`-Lnc`) or long form (`--tcp-service=VIP:PORT`), and the table saying which
 * options each command takes. Its errors, in its words, end the run (Exit).
 */

export const VERSION = 'ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)'

/** optnames, in their bit order. */
const OPTNAMES = ['numeric', 'connection', 'service-address', 'scheduler', 'persistent', 'netmask', 'real-server', 'forwarding-method', 'weight', 'u-threshold', 'l-threshold', 'mcast-interface', 'timeout', 'daemon', 'stats', 'rate', 'thresholds', 'persistent-conn', 'nosort', 'syncid', 'exact', 'ops', 'pe', 'sched-flags', 'mcast-group', 'mcast-port', 'mcast-ttl', 'sync-maxlen', 'tun-info', 'tun-type', 'tun-port', 'tun-nocsum', 'tun-csum', 'tun-remcsum'] as const
export type Opt = (typeof OPTNAMES)[number]

/** commands_v_options for the two commands simulated: ' ' optional, '1' exclusive, anything else illegal. */
const ALLOWED: Readonly<Record<'list' | 'save', Partial<Record<Opt, ' ' | '1'>>>> = {
  list: { numeric: ' ', connection: '1', 'service-address': '1', timeout: '1', daemon: '1', stats: ' ', rate: ' ', thresholds: ' ', 'persistent-conn': ' ', nosort: ' ', syncid: ' ', exact: ' ', 'tun-info': ' ' },
  save: { numeric: ' ' },
}

/** Short options (popt's table): the command or option each is, and whether it takes an argument. */
const SHORT: Readonly<Record<string, { cmd?: string; opt?: Opt; arg?: 'yes' | 'optional'; fwd?: true }>> = {
  A: { cmd: 'add-service' }, E: { cmd: 'edit-service' }, D: { cmd: 'delete-service' }, C: { cmd: 'flush' }, L: { cmd: 'list' }, l: { cmd: 'list' },
  Z: { cmd: 'zero' }, a: { cmd: 'add-server' }, e: { cmd: 'edit-server' }, d: { cmd: 'delete-server' }, h: { cmd: 'help' }, v: { cmd: 'version' },
  R: { cmd: 'restore' }, S: { cmd: 'save' }, t: { opt: 'service-address', arg: 'yes' }, u: { opt: 'service-address', arg: 'yes' },
  f: { opt: 'service-address', arg: 'yes' }, s: { opt: 'scheduler', arg: 'yes' }, p: { opt: 'persistent', arg: 'optional' }, M: { opt: 'netmask', arg: 'yes' },
  r: { opt: 'real-server', arg: 'yes' }, m: { opt: 'forwarding-method', fwd: true }, i: { opt: 'forwarding-method', fwd: true }, g: { opt: 'forwarding-method', fwd: true },
  w: { opt: 'weight', arg: 'yes' }, x: { opt: 'u-threshold', arg: 'yes' }, y: { opt: 'l-threshold', arg: 'yes' }, n: { opt: 'numeric' }, c: { opt: 'connection' },
  X: { opt: 'exact' }, o: { opt: 'ops' }, b: { opt: 'sched-flags', arg: 'yes' }, '6': {},
}

const LONG: Readonly<Record<string, string>> = {
  'add-service': 'A', 'edit-service': 'E', 'delete-service': 'D', clear: 'C', list: 'L', zero: 'Z', 'add-server': 'a', 'edit-server': 'e', 'delete-server': 'd',
  help: 'h', version: 'v', restore: 'R', save: 'S', 'tcp-service': 't', 'udp-service': 'u', 'sctp-service': 't', 'fwmark-service': 'f', scheduler: 's',
  persistent: 'p', netmask: 'M', 'real-server': 'r', masquerading: 'm', ipip: 'i', gatewaying: 'g', weight: 'w', 'u-threshold': 'x', 'l-threshold': 'y',
  numeric: 'n', connection: 'c', exact: 'X', ops: 'o', 'sched-flags': 'b', ipv6: '6',
}

/** Long options that are options of their own (no short form). */
const LONG_ONLY: Readonly<Record<string, { opt?: Opt; cmd?: string; arg?: true }>> = {
  set: { cmd: 'set' }, 'start-daemon': { cmd: 'start-daemon', arg: true }, 'stop-daemon': { cmd: 'stop-daemon', arg: true },
  'mcast-interface': { opt: 'mcast-interface', arg: true }, syncid: { opt: 'syncid', arg: true }, timeout: { opt: 'timeout' }, daemon: { opt: 'daemon' },
  stats: { opt: 'stats' }, rate: { opt: 'rate' }, thresholds: { opt: 'thresholds' }, 'persistent-conn': { opt: 'persistent-conn' }, nosort: { opt: 'nosort' },
  sort: {}, pe: { opt: 'pe', arg: true }, 'tun-info': { opt: 'tun-info' }, 'tun-type': { opt: 'tun-type', arg: true }, 'tun-port': { opt: 'tun-port', arg: true },
  'tun-nocsum': { opt: 'tun-nocsum' }, 'tun-csum': { opt: 'tun-csum' }, 'tun-remcsum': { opt: 'tun-remcsum' }, 'mcast-group': { opt: 'mcast-group', arg: true },
  'mcast-port': { opt: 'mcast-port', arg: true }, 'mcast-ttl': { opt: 'mcast-ttl', arg: true }, 'sync-maxlen': { opt: 'sync-maxlen', arg: true },
}

/** How a run that failed parsing ends: what ipvsadm printed and its exit code. */
export class Exit {
  constructor(readonly result: RunResult) {}
}
export const die = (message: string, code = 2): never => {
  throw new Exit(fail(message, code))
}
const tryHelp = (): never => die("Try `ipvsadm -h' or 'ipvsadm --help' for more information.", 255)
/** popt's unknown option: as the command (the first option) ipvsadm only says to try -h; later, which word and why. */
const unknown = (word: string, first: boolean): never => (first ? tryHelp() : die(`${word}: unknown option`, 255))

/** What one command line asked for. */
export interface Parsed {
  cmd?: string
  readonly options: Set<Opt>
  service?: { readonly proto: string; readonly ip: string; readonly port: number } | { readonly fwmark: number }
}

/** parse_service: host[:port] (a number or a service name), or undefined for anything else. */
function parseService(text: string, proto: string): { ip: string; port: number } | undefined {
  const colon = text.lastIndexOf(':')
  const host = colon < 0 ? text : text.slice(0, colon)
  if (/^\d+$/.test(text) || Number.isNaN(ipToNumber(host))) return undefined
  if (colon < 0) return { ip: host, port: 0 }
  const p = text.slice(colon + 1)
  const port = /^\d+$/.test(p) ? (Number(p) <= 65535 ? Number(p) : undefined) : servicePort(p, proto.toLowerCase())
  return port === undefined ? undefined : { ip: host, port }
}

/** The command and options of an ipvsadm command line; throws Exit for what ipvsadm refuses. */
export function parseIpvsadmArgs(args: readonly string[]): Parsed {
  const parsed: Parsed = { options: new Set() }
  let first = true
  const leftovers: string[] = []
  const setCommand = (cmd: string) => {
    if (parsed.cmd) die('multiple commands specified')
    parsed.cmd = cmd
  }
  const setOption = (opt: Opt) => {
    if (parsed.options.has(opt)) die(`multiple '${opt}' options specified`)
    parsed.options.add(opt)
  }
  const take = (short: string, word: string, value: string | undefined) => {
    const s = SHORT[short]!
    if (first && !s.cmd) tryHelp()
    first = false
    if (s.cmd) return setCommand(s.cmd)
    if (!s.opt) return
    setOption(s.opt)
    if (s.opt === 'service-address') {
      if (value === undefined) die(`${word}: missing argument`, 255)
      if (short === 'f') {
        const mark = /^\d+$/.test(value!) && Number(value) > 0 ? Number(value) : die(`invalid fwmark value \`${value}' specified`)
        parsed.service = { fwmark: mark }
      } else {
        const proto = word.includes('sctp') ? 'SCTP' : short === 'u' ? 'UDP' : 'TCP'
        const svc = parseService(value!, proto) ?? die('illegal virtual server address[:port] specified')
        parsed.service = { proto, ...svc }
      }
    }
  }
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!
    if (word.startsWith('--') && word.length > 2) {
      const eq = word.indexOf('=')
      const name = word.slice(2, eq > 0 ? eq : undefined)
      const inline = eq > 0 ? word.slice(eq + 1) : undefined
      const short = LONG[name]
      const own = LONG_ONLY[name]
      if (!short && !own) unknown(word, first)
      const needs = short ? SHORT[short]!.arg === 'yes' : own!.arg
      const value = needs ? (inline ?? args[++i]) : inline
      if (short) take(short, word, value)
      else {
        if (first && !own!.cmd) tryHelp()
        first = false
        if (own!.cmd) setCommand(own!.cmd)
        if (own!.opt) setOption(own!.opt)
      }
      continue
    }
    if (word.startsWith('-') && word.length > 1) {
      for (let j = 1; j < word.length; j++) {
        const c = word[j]!
        const s = SHORT[c]
        if (!s) unknown(word, first)
        // An option that takes an argument takes the rest of the word, or the next word.
        const rest = word.slice(j + 1)
        if (s!.arg === 'yes') {
          take(c, word, rest !== '' ? rest : args[++i])
          break
        }
        if (s!.arg === 'optional') {
          take(c, word, rest !== '' ? rest : undefined)
          break
        }
        take(c, word, undefined)
      }
      continue
    }
    leftovers.push(word)
  }
  if (!parsed.cmd) tryHelp()
  if (parsed.cmd === 'help' || parsed.cmd === 'version') return parsed
  if (parsed.cmd === 'list' || parsed.cmd === 'save') {
    const allowed = ALLOWED[parsed.cmd]
    let last: Opt | undefined
    for (const opt of OPTNAMES) {
      if (!parsed.options.has(opt)) continue
      const rule = allowed[opt]
      if (!rule) die(`Illegal '${opt}' option with the '${parsed.cmd}' command`)
      if (rule === '1') {
        if (last) die(`The option '${opt}' conflicts with the '${last}' option in the '${parsed.cmd}' command`)
        last = opt
      }
    }
  }
  if (leftovers.length > 0) die(`unexpected argument ${leftovers[0]}`)
  return parsed
}


/** `ipvsadm -h`. */
export const USAGE = `${VERSION}
Usage:
  ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe persistence_engine] [-b sched-flags]
  ipvsadm -D virtual-service
  ipvsadm -C
  ipvsadm -R
  ipvsadm -S [-n]
  ipvsadm -a|e virtual-service -r server-address [options]
  ipvsadm -d virtual-service -r server-address
  ipvsadm -L|l [virtual-service] [options]
  ipvsadm -Z [virtual-service]
  ipvsadm --set tcp tcpfin udp
  ipvsadm --start-daemon {master|backup} [daemon-options]
  ipvsadm --stop-daemon {master|backup}
  ipvsadm -h

Commands:
Either long or short options are allowed.
  --add-service     -A        add virtual service with options
  --edit-service    -E        edit virtual service with options
  --delete-service  -D        delete virtual service
  --clear           -C        clear the whole table
  --restore         -R        restore rules from stdin
  --save            -S        save rules to stdout
  --add-server      -a        add real server with options
  --edit-server     -e        edit real server with options
  --delete-server   -d        delete real server
  --list            -L|-l     list the table
  --zero            -Z        zero counters in a service or all services
  --set tcp tcpfin udp        set connection timeout values
  --start-daemon              start connection sync daemon
  --stop-daemon               stop connection sync daemon
  --help            -h        display this help message

virtual-service:
  --tcp-service|-t  service-address   service-address is host[:port]
  --udp-service|-u  service-address   service-address is host[:port]
  --sctp-service    service-address   service-address is host[:port]
  --fwmark-service|-f fwmark          fwmark is an integer greater than zero

Options:
  --ipv6         -6                   fwmark entry uses IPv6
  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,
                                      the default scheduler is wlc.
  --pe            engine              alternate persistence engine may be sip,
                                      not set by default.
  --persistent   -p [timeout]         persistent service
  --netmask      -M netmask           persistent granularity mask
  --real-server  -r server-address    server-address is host (and port)
  --gatewaying   -g                   gatewaying (direct routing) (default)
  --ipip         -i                   ipip encapsulation (tunneling)
  --masquerading -m                   masquerading (NAT)
  --tun-type      type                one of ipip|gue|gre,
                                      the default tunnel type is ipip.
  --tun-port      port                tunnel destination port
  --tun-nocsum                        tunnel encapsulation without checksum
  --tun-csum                          tunnel encapsulation with checksum
  --tun-remcsum                       tunnel encapsulation with remote checksum
  --weight       -w weight            capacity of real server
  --u-threshold  -x uthreshold        upper threshold of connections
  --l-threshold  -y lthreshold        lower threshold of connections
  --connection   -c                   output of current IPVS connections
  --timeout                           output of timeout (tcp tcpfin udp)
  --daemon                            output of daemon information
  --stats                             output of statistics information
  --rate                              output of rate information
  --exact                             expand numbers (display exact values)
  --thresholds                        output of thresholds information
  --persistent-conn                   output of persistent connection info
  --tun-info                          output of tunnel information
  --nosort                            disable sorting output of service/server entries
  --sort                              does nothing, for backwards compatibility
  --ops          -o                   one-packet scheduling
  --numeric      -n                   numeric output of addresses and ports
  --sched-flags  -b flags             scheduler flags (comma-separated)
Daemon Options:
  --syncid sid                        syncid for connection sync (default=255)
  --sync-maxlen length                Max sync message length (default=1472)
  --mcast-interface interface         multicast interface for connection sync
  --mcast-group address               IPv4/IPv6 group (default=224.0.0.81)
  --mcast-port port                   UDP port (default=8848)
  --mcast-ttl ttl                     Multicast TTL (default=1)
`
