import { isIPv4 } from '../runtime/ip'
import { fail, hex, parseCNumber, simple, type ExtensionSpec } from './iptablesExtensions'

/**
 * The target extensions kube-proxy and flannel jump to (`-j MARK`, `-j DNAT`, ...), with their save and print formats
 * from libxt_MARK.c, libxt_DNAT.c (which also holds MASQUERADE) and libipt_REJECT.c of iptables 1.8.9.
 * ACCEPT, DROP and RETURN are verdicts, not extensions: they take no options and print only their name.
 */

/** `--to-destination` / `--to-ports` ranges: `a` or `a-b`, each part checked by `valid`. */
function parseRange(text: string, valid: (part: string) => boolean, what: string): string {
  const parts = text.split('-')
  return parts.length <= 2 && parts.every(valid) ? text : fail(`Bad ${what} "${text}"`)
}
const isPort = (p: string) => parseCNumber(p, 65535) !== undefined

/** `ip[-ip][:port[-port]]`, printed back with ports as numbers (so `:080` reads as `:80`, as the kernel holds it). */
function parseNatRange(text: string): string {
  const colon = text.indexOf(':')
  const ips = parseRange(colon < 0 ? text : text.slice(0, colon), isIPv4, 'IP address')
  if (colon < 0) return ips
  const ports = parseRange(text.slice(colon + 1), isPort, 'port range')
  return `${ips}:${ports.split('-').map((p) => parseCNumber(p, 65535)).join('-')}`
}

/** REJECT's --reject-with names: the long one is printed, the short ones are accepted too. */
const REJECT_WITH: Readonly<Record<string, string>> = {
  'icmp-net-unreachable': 'net-unreach',
  'icmp-host-unreachable': 'host-unreach',
  'icmp-port-unreachable': 'port-unreach',
  'icmp-proto-unreachable': 'proto-unreach',
  'icmp-net-prohibited': 'net-prohib',
  'icmp-host-prohibited': 'host-prohib',
  'tcp-reset': 'tcp-rst',
  'icmp-admin-prohibited': 'admin-prohib',
}

/** The targets, by the name `-j` loads them with. */
export const TARGETS: Readonly<Record<string, ExtensionSpec>> = {
  MARK: simple({ 'set-xmark': true, 'set-mark': true, 'and-mark': true, 'or-mark': true, 'xor-mark': true }, [], () => {
    let mark: number | undefined
    let mask = 0
    return {
      // Every form is stored as (mark, mask): the packet's mark becomes (mark & ~mask) ^ value; save prints --set-xmark.
      parse(o, v) {
        if (mark !== undefined) fail('MARK target: Can only specify one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark')
        const [valueText, maskText] = v.split('/') as [string, string?]
        const value = parseCNumber(valueText) ?? fail(`Bad MARK value "${v}"`)
        const given = maskText === undefined ? 0xffffffff : (parseCNumber(maskText) ?? fail(`Bad MARK value "${v}"`))
        if (maskText !== undefined && o !== 'set-xmark' && o !== 'set-mark') fail(`Bad MARK value "${v}"`)
        ;[mark, mask] =
          o === 'set-xmark' ? [value, given] : o === 'set-mark' ? [value, (value | given) >>> 0] : o === 'and-mark' ? [0, ~value >>> 0] : o === 'or-mark' ? [value, value] : [value, 0]
      },
      finish: () => void (mark ?? fail('MARK target: Parameter --set/and/or/xor-mark is required')),
      save: () => ` --set-xmark ${hex(mark!)}/${hex(mask)}`,
      print() {
        if (mark === 0) return ` MARK and ${hex(~mask)}`
        if (mark === mask) return ` MARK or ${hex(mark!)}`
        if (mask === 0) return ` MARK xor ${hex(mark!)}`
        if (mask === 0xffffffff) return ` MARK set ${hex(mark!)}`
        return ` MARK xset ${hex(mark!)}/${hex(mask)}`
      },
    }
  }),
  MASQUERADE: simple({ 'to-ports': true, random: false, 'random-fully': false }, [], () => {
    let ports = ''
    const flags = { random: false, 'random-fully': false }
    return {
      parse: (o, v) => void (o === 'to-ports' ? (ports = parseRange(v, isPort, 'port range')) : (flags[o as keyof typeof flags] = true)),
      finish: () => {},
      save: () => `${ports ? ` --to-ports ${ports}` : ''}${flags.random ? ' --random' : ''}${flags['random-fully'] ? ' --random-fully' : ''}`,
      print: () => `${ports ? ` masq ports: ${ports}` : ''}${flags.random ? ' random' : ''}${flags['random-fully'] ? ' random-fully' : ''}`,
    }
  }),
  DNAT: simple({ 'to-destination': true, random: false, persistent: false }, [], () => {
    let to = ''
    const flags = { random: false, persistent: false }
    return {
      parse(o, v) {
        if (o !== 'to-destination') flags[o as keyof typeof flags] = true
        else to = to ? fail('DNAT: Multiple --to-destination not supported') : parseNatRange(v)
      },
      finish: () => void (to || fail('DNAT: Need --to-destination')),
      save: () => ` --to-destination ${to}${flags.random ? ' --random' : ''}${flags.persistent ? ' --persistent' : ''}`,
      print: () => ` to:${to}${flags.random ? ' random' : ''}${flags.persistent ? ' persistent' : ''}`,
    }
  }),
  REJECT: simple({ 'reject-with': true }, [], () => {
    // Without --reject-with the kernel is given icmp-port-unreachable, and that is what iptables-save shows.
    let type = 'icmp-port-unreachable'
    return {
      parse: (_o, v) => void (type = Object.keys(REJECT_WITH).find((long) => long === v || REJECT_WITH[long] === v) ?? fail(`unknown reject type "${v}"`)),
      finish: () => {},
      save: () => ` --reject-with ${type}`,
      print: () => ` reject-with ${type}`,
    }
  }),
}
