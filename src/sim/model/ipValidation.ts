import { invalid, type FieldError } from './fieldErrors'

/**
 * IP and CIDR validation as Kubernetes 1.33 does it for the fields that predate strict IP validation (every field the
 * simulation has: Service clusterIPs and externalIPs, endpoint addresses, DNS nameservers, source ranges). With the
 * StrictIPCIDRValidation gate off by default, leading zeros are read as decimal (netutils.ParseIPSloppy) and only
 * warned about; every consumer (the allocator, kube-proxy, CoreDNS) uses the parsed address, so the simulation stores
 * that canonical form.
 */
export interface CheckedIP {
  readonly errors: FieldError[]
  /** The address as Go prints it: what the allocator books and kube-proxy writes. */
  readonly canonical?: string
  readonly family?: 'IPv4' | 'IPv6'
  /** kubectl's "Warning: ..." line for a non-standard form. */
  readonly warning?: string
}

const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'

/** Dotted-quad IPv4, decimal octets, leading zeros allowed: the address as a number, or undefined. */
function parseIPv4(s: string): number | undefined {
  const parts = s.split('.')
  if (parts.length !== 4) return undefined
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,8}$/.test(p)) return undefined
    const v = Number(p)
    if (v > 255) return undefined
    n = n * 256 + v
  }
  return n
}

const v4Text = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`

/** IPv6 (with an optional dotted IPv4 tail) as eight 16-bit groups, or undefined. */
function parseIPv6(s: string): number[] | undefined {
  if (!s.includes(':')) return undefined
  let tail: number[] = []
  let text = s
  const lastColon = s.lastIndexOf(':')
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIPv4(s.slice(lastColon + 1))
    if (v4 === undefined) return undefined
    tail = [(v4 >>> 16) & 0xffff, v4 & 0xffff]
    text = `${s.slice(0, lastColon + 1)}${tail.length ? '0:0' : ''}`
  }
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const group = (g: string) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)
  const head = halves[0] ? halves[0].split(':').map(group) : []
  const rest = halves.length === 2 && halves[1] ? halves[1].split(':').map(group) : []
  if ([...head, ...rest].some(Number.isNaN)) return undefined
  let groups: number[]
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length
    if (fill < 1) return undefined
    groups = [...head, ...Array<number>(fill).fill(0), ...rest]
  } else groups = head
  if (groups.length !== 8) return undefined
  if (tail.length) groups.splice(6, 2, tail[0]!, tail[1]!)
  return groups
}

/** RFC 5952: lower case, no leading zeros, the longest run of zero groups (two or more) as "::". */
function v6Text(groups: readonly number[]): string {
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

const is4in6 = (g: readonly number[]) => g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff

/** IsValidIPForLegacyField (non-strict) and GetWarningsForIP. */
export function checkIP(path: string, value: string): CheckedIP {
  const v4 = parseIPv4(value)
  if (v4 !== undefined) {
    const canonical = v4Text(v4)
    const warning = canonical !== value ? `Warning: ${path}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}` : undefined
    return { errors: [], canonical, family: 'IPv4', ...(warning ? { warning } : {}) }
  }
  const v6 = parseIPv6(value)
  if (!v6) return { errors: [invalid(path, value, INVALID_IP)] }
  if (is4in6(v6)) {
    const canonical = v4Text(v6[6]! * 65536 + v6[7]!)
    return { errors: [], canonical, family: 'IPv4', warning: `Warning: ${path}: non-standard IP address ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}` }
  }
  const canonical = v6Text(v6)
  const warning = canonical !== value ? `Warning: ${path}: IPv6 address ${JSON.stringify(value)} should be in RFC 5952 canonical format (${JSON.stringify(canonical)})` : undefined
  return { errors: [], canonical, family: 'IPv6', ...(warning ? { warning } : {}) }
}

/** ValidateNonSpecialIP: no unspecified, loopback or link-local address can be an endpoint or external IP. */
export function nonSpecialIPErrors(path: string, value: string, checked: CheckedIP): FieldError[] {
  const ip = checked.canonical
  if (!ip) return []
  const out: FieldError[] = []
  if (checked.family === 'IPv4') {
    const n = parseIPv4(ip)!
    if (n === 0) out.push(invalid(path, value, `may not be unspecified (${value})`))
    if (n >>> 24 === 127) out.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'))
    if (n >>> 16 === 0xa9fe) out.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'))
    if (n >>> 8 === 0xe00000) out.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'))
  } else {
    const g = parseIPv6(ip)!
    if (g.every((x) => x === 0)) out.push(invalid(path, value, `may not be unspecified (${value})`))
    if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) out.push(invalid(path, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'))
    if ((g[0]! & 0xffc0) === 0xfe80) out.push(invalid(path, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'))
    if (g[0] === 0xff02) out.push(invalid(path, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'))
  }
  return out
}

/** IsValidCIDRForLegacyField and GetWarningsForCIDR; `canonical` is the network, as kube-proxy writes it. */
export function checkCIDR(path: string, value: string): CheckedIP {
  const slash = value.indexOf('/')
  const bad = { errors: [invalid(path, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')] }
  if (slash < 0 || !/^\d{1,3}$/.test(value.slice(slash + 1))) return bad
  const ip = checkIP(path, value.slice(0, slash))
  const bits = Number(value.slice(slash + 1))
  if (ip.errors.length || ip.family !== 'IPv4' || bits > 32) return ip.family === 'IPv6' && bits <= 128 ? { ...ip, canonical: `${ip.canonical}/${bits}` } : bad
  const size = 2 ** (32 - bits)
  const addr = parseIPv4(ip.canonical!)!
  const canonical = `${v4Text(Math.floor(addr / size) * size)}/${bits}`
  let warning: string | undefined
  if (canonical.split('/')[0] !== ip.canonical) warning = `Warning: ${path}: CIDR value ${JSON.stringify(value)} is ambiguous in this context (should be ${JSON.stringify(canonical)} or ${JSON.stringify(`${ip.canonical}/32`)}?)`
  else if (canonical !== value) warning = `Warning: ${path}: non-standard CIDR value ${JSON.stringify(value)} will be considered invalid in a future Kubernetes release: use ${JSON.stringify(canonical)}`
  return { errors: [], canonical, family: 'IPv4', ...(warning ? { warning } : {}) }
}
