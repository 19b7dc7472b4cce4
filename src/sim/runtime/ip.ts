/** Addresses already converted: a packet's walk compares the same few with every rule's -s/-d. */
const converted = new Map<string, number>()

/** IPv4 helpers: addresses as unsigned 32-bit numbers (NaN for anything else). */
export function ipToNumber(ip: string): number {
  const hit = converted.get(ip)
  if (hit !== undefined) return hit
  const n = parseIPv4(ip)
  // Only what can be an address is kept (at most 15 characters), and the memo starts over rather than grow.
  if (ip.length <= 15) {
    if (converted.size >= 65536) converted.clear()
    converted.set(ip, n)
  }
  return n
}

function parseIPv4(ip: string): number {
  const parts = ip.split('.')
  if (parts.length !== 4) return NaN
  let n = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return NaN
    const v = Number(p)
    if (v > 255) return NaN
    n = n * 256 + v
  }
  return n
}

export function numberToIp(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
}

export function isIPv4(ip: string): boolean {
  return !Number.isNaN(ipToNumber(ip))
}

/** A CIDR block such as 10.96.0.0/12. */
export interface Cidr {
  readonly base: number
  readonly bits: number
  readonly size: number
  readonly text: string
}

export function parseCidr(text: string): Cidr {
  const [ip, bitsText] = text.split('/')
  const bits = Number(bitsText)
  const size = 2 ** (32 - bits)
  const base = Math.floor(ipToNumber(ip!) / size) * size
  return { base, bits, size, text }
}

export function cidrContains(cidr: Cidr, ip: string): boolean {
  const n = ipToNumber(ip)
  return n >= cidr.base && n < cidr.base + cidr.size
}
