import { ipToNumber, numberToIp } from '../runtime/ip'
import { protocolNumber, serviceName, servicePort } from './netdb'

/**
 * The matches (`-m`) and targets (`-j`) kube-proxy and flannel use, each as libxtables loads it: it takes its options,
 * then prints itself as iptables-save does (its `save` function) and as `iptables -L` does (its `print` function).
 * Formats read from the iptables 1.8.9 extensions (libxt_*.c) and checked against the real tools; see iptablesSave.ts.
 */

/** A rule iptables would refuse, with the message it prints. */
export class IptablesError extends Error {}

/** One loaded match or target, holding what its options said. */
export interface Extension {
  /** Takes one of its options (long name, no dashes); throws IptablesError for a bad value. */
  parse(option: string, value: string, invert: boolean): void
  /** After the rule's last option (the extension's final_check); false when the kernel ends up holding nothing of it. */
  finish(): boolean | void
  /** As iptables-save prints its options, each with a leading space. */
  save(): string
  /** As `iptables -L` prints it, each part with a leading space; `numeric` is -n (no service names). */
  print(numeric: boolean): string
}

/**
 * What an extension is before it is loaded: its options (true: takes a value; 2: takes two words, as set's
 * `--match-set NAME FLAGS`, handed over joined by a space), which may be negated, and a factory.
 */
export interface ExtensionSpec {
  readonly options: Readonly<Record<string, boolean | 2>>
  readonly invertible: readonly string[]
  readonly create: () => Extension
}

/** Throws what iptables would print for a bad rule. */
export const fail = (message: string): never => {
  throw new IptablesError(message)
}
/** A number as the extensions print marks: `0x` and lower-case hex. */
export const hex = (n: number) => `0x${(n >>> 0).toString(16)}`

/** strtoul(text, NULL, 0) as xtables_strtoui reads numbers: 0x hex, leading-0 octal, decimal; undefined if not one. */
export function parseCNumber(text: string, max = 0xffffffff): number | undefined {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text.slice(2), 16) : /^0[0-7]*$/.test(text) ? parseInt(text, 8) : /^[1-9]\d*$/.test(text) ? Number(text) : NaN
  return Number.isNaN(n) || n > max ? undefined : n
}

/** xtables_save_string: bare when only [A-Za-z0-9_-] (and not empty), else double-quoted with `"`, `\` and `'` escaped. */
export function saveString(value: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(value)) return ` ${value}`
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`
}

/** A port or range as the tcp/udp/sctp matches read it: `80`, `1000:2000`, `:100`, `1024:`, or a service name. */
function parsePorts(text: string, proto: string): [number, number] {
  const one = (t: string) => parseCNumber(t, 65535) ?? servicePort(t, proto) ?? fail(`invalid port/service \`${t}' specified`)
  const colon = text.indexOf(':')
  if (colon < 0) return [one(text), one(text)]
  const range: [number, number] = [colon === 0 ? 0 : one(text.slice(0, colon)), colon === text.length - 1 ? 65535 : one(text.slice(colon + 1))]
  return range[0] > range[1] ? fail('invalid portrange (min > max)') : range
}

const portText = (port: number, proto: string, numeric: boolean) => (numeric ? undefined : serviceName(port, proto)) ?? String(port)

/** The tcp, udp and sctp matches: ports only (kube-proxy writes nothing else). */
function portMatch(proto: 'tcp' | 'udp' | 'sctp'): ExtensionSpec {
  return {
    options: { sport: true, 'source-port': true, dport: true, 'destination-port': true },
    invertible: ['sport', 'source-port', 'dport', 'destination-port'],
    create: () => {
      const ports: Record<'spt' | 'dpt', { range: [number, number]; invert: boolean } | undefined> = { spt: undefined, dpt: undefined }
      // tcp and udp leave out a full range when saving; sctp keeps whatever was given (its flags say a port was).
      const given = (p: (typeof ports)['spt']) => p !== undefined && (proto === 'sctp' || p.range[0] !== 0 || p.range[1] !== 65535 || p.invert)
      /**
       * iptables-nft turns tcp and udp ports into nft comparisons and reads them back (sctp stays an xt match), and
       * that round trip rewrites some negations (measured): `! --dport 0:N` comes back as `--dport N+1:65535`, and
       * `! --dport 0:65535` as nothing at all; when that leaves no port to compare, the match itself is gone (`-p tcp`).
       */
      const roundTrip = (): boolean => {
        if (proto === 'sctp') return true
        let dropped = false
        for (const key of ['spt', 'dpt'] as const) {
          const p = ports[key]
          if (!p?.invert || p.range[0] !== 0 || p.range[1] === 0) continue
          dropped ||= p.range[1] === 65535
          ports[key] = p.range[1] === 65535 ? undefined : { range: [p.range[1] + 1, 65535], invert: false }
        }
        return !dropped || given(ports.spt) || given(ports.dpt)
      }
      return {
        parse(option, value, invert) {
          const key = option.startsWith('s') ? 'spt' : 'dpt'
          if (ports[key]) fail(`multiple ${key === 'spt' ? '--sport' : '--dport'} flags not allowed`)
          ports[key] = { range: parsePorts(value, proto), invert }
        },
        finish: roundTrip,
        save() {
          let out = ''
          for (const [key, flag] of [['spt', '--sport'], ['dpt', '--dport']] as const) {
            const p = ports[key]
            if (!p || !given(p)) continue
            out += `${p.invert ? ' !' : ''} ${flag} ${p.range[0] === p.range[1] ? p.range[0] : `${p.range[0]}:${p.range[1]}`}`
          }
          return out
        },
        print(numeric) {
          let out = ` ${proto}`
          for (const key of ['spt', 'dpt'] as const) {
            const p = ports[key]
            // print_ports shows a range only when it is not everything, whatever the match type.
            if (!p || (p.range[0] === 0 && p.range[1] === 65535 && !p.invert)) continue
            const [lo, hi] = p.range
            out += lo === hi ? ` ${key}:${p.invert ? '!' : ''}${portText(lo, proto, numeric)}` : ` ${key}s:${p.invert ? '!' : ''}${portText(lo, proto, numeric)}:${portText(hi, proto, numeric)}`
          }
          return out
        },
      }
    },
  }
}

/** A comma-separated list of flag names (case-insensitive) as a bit mask, printed back in bit order. */
function flagList(names: readonly string[], what: string) {
  return {
    parse: (text: string) => text.split(',').reduce((bits, n) => bits | (1 << (names.indexOf(n.toUpperCase()) >= 0 ? names.indexOf(n.toUpperCase()) : fail(`Bad ${what} "${n}"`))), 0),
    print: (bits: number) => names.filter((_, i) => bits & (1 << i)).join(','),
  }
}

const ADDRTYPES = flagList(['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'], 'addrtype')
const CTSTATES = flagList(['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'], 'ctstate')

/** `value[/mask]` as xtables_parse_mark_mask reads it (mask defaults to all ones). */
function parseMarkMask(text: string): [number, number] {
  const [v, m] = text.split('/') as [string, string?]
  const mark = parseCNumber(v) ?? fail(`Bad mark value "${text}"`)
  return [mark, m === undefined ? 0xffffffff : (parseCNumber(m) ?? fail(`Bad mark value "${text}"`))]
}
const markText = (mark: number, mask: number) => (mask === 0xffffffff ? ` ${hex(mark)}` : ` ${hex(mark)}/${hex(mask)}`)

/** An exact n / 2^31 with 11 decimals, as glibc's %.11f rounds it (to even on an exact tie, unlike toFixed). */
export function probabilityText(k: number): string {
  const scaled = BigInt(k) * 10n ** 11n
  let q = scaled >> 31n
  const r = scaled & 0x7fffffffn
  if (r > 0x40000000n || (r === 0x40000000n && (q & 1n) === 1n)) q += 1n
  return `${q / 10n ** 11n}.${String(q % 10n ** 11n).padStart(11, '0')}`
}

/** An extension from its options, those `!` may precede, and its factory. */
export function simple(options: Record<string, boolean | 2>, invertible: string[], create: () => Extension): ExtensionSpec {
  return { options, invertible, create }
}

/** The matches, by the name `-m` loads them with. */
export const MATCHES: Readonly<Record<string, ExtensionSpec>> = {
  comment: simple({ comment: true }, [], () => {
    let text = ''
    return {
      parse: (_o, v) => void (text = v.length > 255 ? fail('comment: Comment too long') : v),
      finish: () => {},
      save: () => ` --comment${saveString(text)}`,
      print: () => ` /* ${text} */`,
    }
  }),
  tcp: portMatch('tcp'),
  udp: portMatch('udp'),
  sctp: portMatch('sctp'),
  addrtype: simple({ 'src-type': true, 'dst-type': true, 'limit-iface-in': false, 'limit-iface-out': false }, ['src-type', 'dst-type'], () => {
    const t = { src: 0, dst: 0, srcInv: false, dstInv: false, limit: '' }
    return {
      parse(o, v, inv) {
        if (o === 'src-type') Object.assign(t, { src: ADDRTYPES.parse(v), srcInv: inv })
        else if (o === 'dst-type') Object.assign(t, { dst: ADDRTYPES.parse(v), dstInv: inv })
        else t.limit = o === 'limit-iface-in' ? 'in' : 'out'
      },
      finish: () => void (t.src || t.dst || fail('addrtype: you must specify --src-type or --dst-type')),
      save: () =>
        `${t.srcInv ? ' !' : ''}${t.src ? ` --src-type ${ADDRTYPES.print(t.src)}` : ''}${t.dstInv ? ' !' : ''}${t.dst ? ` --dst-type ${ADDRTYPES.print(t.dst)}` : ''}${t.limit ? ` --limit-iface-${t.limit}` : ''}`,
      print: () =>
        ` ADDRTYPE match${t.src ? ` src-type ${t.srcInv ? '!' : ''}${ADDRTYPES.print(t.src)}` : ''}${t.dst ? ` dst-type ${t.dstInv ? '!' : ''}${ADDRTYPES.print(t.dst)}` : ''}${t.limit ? ` limit-${t.limit}` : ''}`,
    }
  }),
  conntrack: simple({ ctstate: true }, ['ctstate'], () => {
    let states = 0
    let invert = false
    return {
      parse: (_o, v, inv) => void ((states = CTSTATES.parse(v)), (invert = inv)),
      finish: () => void (states || fail('conntrack: At least one option is required')),
      save: () => `${invert ? ' !' : ''} --ctstate ${CTSTATES.print(states)}`,
      print: () => `${invert ? ' !' : ''} ctstate ${CTSTATES.print(states)}`,
    }
  }),
  mark: simple({ mark: true }, ['mark'], () => {
    let m: [number, number] | undefined
    let invert = false
    return {
      parse: (_o, v, inv) => void ((m = parseMarkMask(v)), (invert = inv)),
      finish: () => void (m ?? fail('mark match: You must specify `--mark\'')),
      save: () => `${invert ? ' !' : ''} --mark${markText(...m!)}`,
      print: () => ` mark match${invert ? ' !' : ''}${markText(...m!)}`,
    }
  }),
  statistic: simple({ mode: true, probability: true }, ['probability'], () => {
    let mode = ''
    let k: number | undefined
    let invert = false
    return {
      parse(o, v, inv) {
        if (o === 'mode') mode = v === 'random' ? v : fail(`Bad mode "${v}"`)
        else {
          const p = v.trim() === '' ? NaN : Number(v)
          // The kernel holds the probability as a 31-bit fraction: lround(2^31 * p).
          k = p >= 0 && p <= 1 ? Math.round(0x80000000 * p) : fail('--probability must be between 0 and 1')
          invert = inv
        }
      },
      finish: () => void (mode && k !== undefined ? 0 : fail('statistic: no mode specified')),
      save: () => ` --mode random${invert ? ' !' : ''} --probability ${probabilityText(k!)}`,
      print: () => ` statistic mode random${invert ? ' !' : ''} probability ${probabilityText(k!)}`,
    }
  }),
  recent: simple(
    { set: false, rcheck: false, update: false, remove: false, seconds: true, reap: false, hitcount: true, rttl: false, name: true, rsource: false, rdest: false, mask: true },
    ['set', 'rcheck', 'update', 'remove'],
    () => {
      const r = { command: '', invert: false, seconds: 0, reap: false, hitcount: 0, rttl: false, name: 'DEFAULT', side: 'source', mask: 0xffffffff }
      const COMMANDS: Record<string, [string, string]> = { set: ['--set', 'SET'], rcheck: ['--rcheck', 'CHECK'], update: ['--update', 'UPDATE'], remove: ['--remove', 'REMOVE'] }
      return {
        parse(o, v, inv) {
          if (COMMANDS[o]) {
            if (r.command) fail("recent: only one of `--set', `--rcheck' `--update' or `--remove' may be set")
            Object.assign(r, { command: o, invert: inv })
          } else if (o === 'seconds' || o === 'hitcount') r[o] = parseCNumber(v) ?? fail(`recent: bad value for option "--${o}"`)
          else if (o === 'reap' || o === 'rttl') r[o] = true
          else if (o === 'name') r.name = v
          else if (o === 'mask') r.mask = ipToNumber(v) >= 0 ? ipToNumber(v) : fail(`recent: bad mask "${v}"`)
          else r.side = o === 'rsource' ? 'source' : 'dest'
        },
        finish: () => void (r.command || fail("recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'")),
        save: () =>
          `${r.invert ? ' !' : ''} ${COMMANDS[r.command]![0]}${r.seconds ? ` --seconds ${r.seconds}` : ''}${r.reap ? ' --reap' : ''}${r.hitcount ? ` --hitcount ${r.hitcount}` : ''}${r.rttl ? ' --rttl' : ''} --name ${r.name} --mask ${numberToIp(r.mask)} --r${r.side}`,
        print: () =>
          `${r.invert ? ' !' : ''} recent: ${COMMANDS[r.command]![1]}${r.seconds ? ` seconds: ${r.seconds}` : ''}${r.reap ? ' reap' : ''}${r.hitcount ? ` hit_count: ${r.hitcount}` : ''}${r.rttl ? ' TTL-Match' : ''} name: ${r.name} side: ${r.side} mask: ${numberToIp(r.mask)}`,
      }
    },
  ),
  // libxt_set revision 4: `--match-set NAME FLAGS` (two words; the set must exist, which a restore here does not check).
  set: simple({ 'match-set': 2, 'return-nomatch': false }, ['match-set'], () => {
    let m: { name: string; dims: string; invert: boolean } | undefined
    let nomatch = false
    return {
      parse(o, v, inv) {
        if (o === 'return-nomatch') return void (nomatch = true)
        if (m) fail('--match-set can be specified only once')
        const [name = '', dims] = v.split(' ') as [string?, string?]
        if (dims === undefined) fail('--match-set requires two args.')
        if (name.length > 31) fail(`setname \`${name}' too long, max 31 characters.`)
        const dirs = dims!.split(',')
        if (dirs.length > 6) fail("Can't be more src/dst options than 6.")
        if (dirs.some((d) => d !== 'src' && d !== 'dst')) fail("You must spefify (sic) `src' or `dst'.")
        m = { name, dims: dirs.join(','), invert: inv }
      },
      finish: () => void (m ?? fail("You must specify `--match-set' with proper arguments")),
      save: () => `${m!.invert ? ' !' : ''} --match-set ${m!.name} ${m!.dims}${nomatch ? ' --return-nomatch' : ''}`,
      print: () => `${m!.invert ? ' !' : ''} match-set ${m!.name} ${m!.dims}${nomatch ? ' return-nomatch' : ''}`,
    }
  }),
  // libxt_physdev: the is-in/is-out/is-bridged flags and the bridge port names, printed as saved after "PHYSDEV match".
  physdev: simple(
    { 'physdev-in': true, 'physdev-out': true, 'physdev-is-in': false, 'physdev-is-out': false, 'physdev-is-bridged': false },
    ['physdev-in', 'physdev-out', 'physdev-is-in', 'physdev-is-out', 'physdev-is-bridged'],
    () => {
      const opts = new Map<string, { value: string; invert: boolean }>()
      const ORDER = ['physdev-is-in', 'physdev-in', 'physdev-is-out', 'physdev-out', 'physdev-is-bridged']
      const save = () => ORDER.filter((o) => opts.has(o)).map((o) => `${opts.get(o)!.invert ? ' !' : ''} --${o}${opts.get(o)!.value ? ` ${opts.get(o)!.value}` : ''}`).join('')
      return {
        parse: (o, v, inv) => void opts.set(o, { value: v, invert: inv }),
        finish: () => void (opts.size || fail('PHYSDEV: no physdev option specified')),
        save,
        print: () => ` PHYSDEV match${save()}`,
      }
    },
  ),
  // libxt_ipvs: every option implies --ipvs (so it is not printed then), and they print in the kernel's bit order.
  ipvs: simple({ ipvs: false, vproto: true, vaddr: true, vport: true }, ['ipvs', 'vproto', 'vaddr', 'vport'], () => {
    const o: { ipvs?: boolean; vproto?: number; vaddr?: [number, number]; vport?: number; inv: Set<string> } = { inv: new Set() }
    const addr = ([a, m]: [number, number]) => `${numberToIp(a)}${m === 0xffffffff ? '' : /^1*0*$/.test((m >>> 0).toString(2).padStart(32, '0')) ? `/${(m >>> 0).toString(2).replace(/0/g, '').length}` : `/${numberToIp(m)}`}`
    const dump = (prefix: string) => {
      const not = (k: string) => (o.inv.has(k) ? ' !' : '')
      let out = o.vproto === undefined && o.vaddr === undefined && o.vport === undefined ? `${not('ipvs')} ${prefix}ipvs` : ''
      if (o.vproto !== undefined) out += `${not('vproto')} ${prefix}vproto ${o.vproto}`
      if (o.vaddr) out += `${not('vaddr')} ${prefix}vaddr ${addr(o.vaddr)}`
      if (o.vport !== undefined) out += `${not('vport')} ${prefix}vport ${o.vport}`
      return out
    }
    return {
      parse(opt, v, inv) {
        if (inv) o.inv.add(opt)
        if (opt === 'ipvs') o.ipvs = true
        else if (opt === 'vproto') o.vproto = parseCNumber(v, 255) ?? protocolNumber(v.toLowerCase()) ?? fail(`unknown protocol "${v}" specified`)
        else if (opt === 'vport') o.vport = parseCNumber(v, 65535) ?? servicePort(v, 'tcp') ?? servicePort(v, 'udp') ?? fail(`invalid port/service \`${v}' specified`)
        else {
          const [ip = '', bits] = v.split('/') as [string?, string?]
          const a = ipToNumber(ip)
          if (Number.isNaN(a)) fail(`host/network \`${ip}' not found`)
          const m = bits === undefined ? 0xffffffff : /^\d+$/.test(bits) && Number(bits) <= 32 ? (Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0) : ipToNumber(bits)
          o.vaddr = [(a & m) >>> 0, m]
        }
      },
      finish: () => void (o.ipvs || o.vproto !== undefined || o.vaddr || o.vport !== undefined || fail('IPVS: At least one option is required')),
      save: () => dump('--'),
      print: () => dump(''),
    }
  }),
  // Its save and print functions put two spaces before the name (libxt_nfacct.c: " %snfacct-name " then " %s").
  nfacct: simple({ 'nfacct-name': true }, [], () => {
    let name = ''
    return {
      parse: (_o, v) => void (name = v),
      finish: () => void (name || fail('nfacct: you have to specify --nfacct-name')),
      save: () => ` --nfacct-name  ${name}`,
      print: () => ` nfacct-name  ${name}`,
    }
  }),
}
