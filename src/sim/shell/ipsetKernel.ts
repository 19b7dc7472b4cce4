import type { IpSet } from '../model/ipvs'
import { ipToNumber, parseCidr } from '../runtime/ip'

/**
 * An ipset as the kernel holds it (net/netfilter/ipset, Linux 6.x) after its entries were added one by one in order:
 * the member order a dump gives, the hash size, the memory it reports. For hash types a member goes to bucket
 * jhash2(element words, initval) & (hashsize - 1), each bucket an array grown 2 slots at a time up to `bucketsize` (12);
 * one more doubles the table and re-adds everything (mtype_resize). A dump walks the buckets in order. Checked
 * against the real kernel with fixed initvals, resizes included (ipvsTools.test.ts).
 */

const PROTOCOLS: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132, udplite: 136, icmp: 1 }

const rol = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0

/** The kernel's jhash2 (Bob Jenkins' lookup3) over 32-bit words. */
export function jhash2(k: readonly number[], initval: number): number {
  let a = (0xdeadbeef + (k.length << 2) + initval) >>> 0
  let b = a
  let c = a
  let i = 0
  let len = k.length
  while (len > 3) {
    a = (a + k[i]!) >>> 0
    b = (b + k[i + 1]!) >>> 0
    c = (c + k[i + 2]!) >>> 0
    a = ((a - c) ^ rol(c, 4)) >>> 0; c = (c + b) >>> 0
    b = ((b - a) ^ rol(a, 6)) >>> 0; a = (a + c) >>> 0
    c = ((c - b) ^ rol(b, 8)) >>> 0; b = (b + a) >>> 0
    a = ((a - c) ^ rol(c, 16)) >>> 0; c = (c + b) >>> 0
    b = ((b - a) ^ rol(a, 19)) >>> 0; a = (a + c) >>> 0
    c = ((c - b) ^ rol(b, 4)) >>> 0; b = (b + a) >>> 0
    len -= 3
    i += 3
  }
  if (len === 0) return c
  if (len === 3) c = (c + k[i + 2]!) >>> 0
  if (len >= 2) b = (b + k[i + 1]!) >>> 0
  a = (a + k[i]!) >>> 0
  c = ((c ^ b) - rol(b, 14)) >>> 0
  a = ((a ^ c) - rol(c, 11)) >>> 0
  b = ((b ^ a) - rol(a, 25)) >>> 0
  c = ((c ^ b) - rol(b, 16)) >>> 0
  a = ((a ^ c) - rol(c, 4)) >>> 0
  b = ((b ^ a) - rol(a, 14)) >>> 0
  return ((c ^ b) - rol(b, 24)) >>> 0
}

/** An IPv4 address (a __be32) read as the little-endian u32 the hash sees. */
function beWord(ip: number): number {
  return (((ip >>> 24) & 0xff) | (((ip >>> 16) & 0xff) << 8) | (((ip >>> 8) & 0xff) << 16) | ((ip & 0xff) << 24)) >>> 0
}

/** A __be16 port then two bytes, as one little-endian word. */
const portWord = (port: number, b2: number, b3: number) => (((port >>> 8) & 0xff) | ((port & 0xff) << 8) | (b2 << 16) | (b3 << 24)) >>> 0

/** One entry parsed: its hash words (the element struct) and what `ipset list -s` sorts it by. */
interface Element {
  readonly text: string
  readonly words: readonly number[]
  readonly sortKey: readonly number[]
}

function element(type: string, text: string): Element {
  const [ipText = '', pp = '', third] = text.split(',') as [string?, string?, string?]
  const ip = ipToNumber(ipText)
  const [protoName = 'tcp', portText = '0'] = pp.split(':') as [string?, string?]
  const proto = PROTOCOLS[protoName] ?? 0
  const port = Number(portText)
  switch (type) {
    case 'hash:ip':
      return { text, words: [beWord(ip)], sortKey: [ip] }
    case 'hash:ip,port':
      return { text, words: [beWord(ip), portWord(port, proto, 0)], sortKey: [ip, proto, port] }
    case 'hash:ip,port,ip': {
      const ip2 = ipToNumber(third ?? '')
      return { text, words: [beWord(ip), beWord(ip2), portWord(port, proto, 0)], sortKey: [ip, proto, port, ip2] }
    }
    case 'hash:ip,port,net': {
      const net = parseCidr((third ?? '').includes('/') ? third! : `${third}/32`)
      // struct { ip; ip2 (masked); port; cidr - 1 : 7, nomatch : 1; proto }
      return { text, words: [beWord(ip), beWord(net.base), portWord(port, (net.bits - 1) & 0x7f, proto)], sortKey: [ip, proto, port, net.base, net.bits] }
    }
    default:
      return { text, words: [beWord(ip)], sortKey: [ip] }
  }
}

/** Per type: the element size (set->dsize), sizeof(struct htype) + sizeof(struct htable), the kernel's revision. */
const HASH_TYPES: Readonly<Record<string, { dsize: number; base: number; revision: number }>> = {
  'hash:ip': { dsize: 4, base: 192, revision: 6 },
  'hash:ip,port': { dsize: 8, base: 192, revision: 7 },
  'hash:ip,port,ip': { dsize: 12, base: 184, revision: 6 },
  'hash:ip,port,net': { dsize: 12, base: 440, revision: 8 },
}

/** bitmap:port over 0-65535: the map and its bit array, whatever it holds. */
const BITMAP_PORT = { revision: 3, memsize: 8264 }

/** hbucket: an rcu_head, a 64-bit `used` bitmap, size and pos, then the slots. */
const HBUCKET = 32
const INIT_SIZE = 2
const BUCKET_SIZE = 12
const DEFAULT_HASHSIZE = 1024
/** One region (lock, element and ext_size counts) per 1024 buckets. */
const REGION = 24

interface Bucket {
  size: number
  readonly items: Element[]
}

/** mtype_add: false (nothing changed) when the element's bucket is full at `bucketsize`, which makes the kernel resize. */
function tryAdd(table: Map<number, Bucket>, e: Element, bits: number, initval: number): boolean {
  const key = jhash2(e.words, initval) & (2 ** bits - 1)
  let b = table.get(key)
  if (!b) table.set(key, (b = { size: INIT_SIZE, items: [] }))
  if (b.items.length >= b.size) {
    if (b.size >= BUCKET_SIZE) return false
    b.size += INIT_SIZE
  }
  b.items.push(e)
  return true
}

/** mtype_resize: a table twice the size, the old one's elements added in dump order; undefined if that overflows too. */
function rehash(items: readonly Element[], bits: number, initval: number): Map<number, Bucket> | undefined {
  const table = new Map<number, Bucket>()
  for (const e of items) if (!tryAdd(table, e, bits, initval)) return undefined
  return table
}

const dump = (table: Map<number, Bucket>) => [...table.keys()].sort((a, b) => a - b).flatMap((k) => table.get(k)!.items)

/** What `ipset list` reports of one set: its revision and header, the memory, the members in the kernel's order. */
export interface IpsetKernelView {
  readonly revision: number
  /** The Header: line after "Header: ". */
  readonly header: string
  readonly memsize: number
  readonly members: readonly string[]
  /** The members as `-s` (sorted) prints them. */
  readonly sorted: readonly string[]
}

const views = new WeakMap<IpSet, IpsetKernelView>()

/** The set as the kernel holds it once kube-proxy created it (defaults, no comment) and added its entries in order. */
export function ipsetKernelView(set: IpSet): IpsetKernelView {
  let v = views.get(set)
  if (v) return v
  const elements = set.entries.map((e) => element(set.type, e))
  const sortedElements = [...elements].sort((a, b) => {
    for (let i = 0; i < Math.max(a.sortKey.length, b.sortKey.length); i++) if ((a.sortKey[i] ?? 0) !== (b.sortKey[i] ?? 0)) return (a.sortKey[i] ?? 0) - (b.sortKey[i] ?? 0)
    return 0
  })
  const sorted = sortedElements.map((e) => e.text)
  const hash = HASH_TYPES[set.type]
  if (!hash) {
    // bitmap:port: a bit per port, dumped in port order.
    v = { revision: BITMAP_PORT.revision, header: 'range 0-65535', memsize: BITMAP_PORT.memsize, members: sorted, sorted }
  } else {
    const initval = set.initval ?? 0
    let bits = Math.log2(DEFAULT_HASHSIZE)
    let table = new Map<number, Bucket>()
    for (const e of elements) {
      while (!tryAdd(table, e, bits, initval)) {
        const items = dump(table)
        let next: Map<number, Bucket> | undefined
        while (!(next = rehash(items, ++bits, initval)));
        table = next
      }
    }
    const regions = bits < 10 ? 1 : 2 ** (bits - 10)
    let memsize = hash.base + REGION * regions
    // Each allocation (a new bucket, or growing one by 2 slots) counts a bucket header and 2 slots.
    for (const b of table.values()) memsize += (b.size / INIT_SIZE) * (HBUCKET + INIT_SIZE * hash.dsize)
    const header = `family inet hashsize ${2 ** bits} maxelem 65536 bucketsize ${BUCKET_SIZE} initval 0x${initval.toString(16).padStart(8, '0')}`
    v = { revision: hash.revision, header, memsize, members: dump(table).map((e) => e.text), sorted }
  }
  views.set(set, v)
  return v
}
