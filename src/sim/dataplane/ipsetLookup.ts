import type { IpSet } from '../model/ipvs'
import type { Header } from '../model/packet'
import { cidrContains, parseCidr, type Cidr } from '../runtime/ip'

/** A set's entries as the kernel tests them: exact keys, and for net types each (key, network) pair. */
interface Members {
  readonly exact: ReadonlySet<string>
  readonly nets: readonly { readonly key: string; readonly net: Cidr }[]
}

const parsed = new WeakMap<IpSet, Members>()

function members(set: IpSet): Members {
  let m = parsed.get(set)
  if (m) return m
  const isNet = set.type.endsWith(',net') || set.type === 'hash:net'
  const nets: { key: string; net: Cidr }[] = []
  if (isNet) {
    for (const e of set.entries) {
      const cut = e.lastIndexOf(',')
      const [key, net] = cut < 0 ? ['', e] : [e.slice(0, cut), e.slice(cut + 1)]
      nets.push({ key, net: parseCidr(net.includes('/') ? net : `${net}/32`) })
    }
  }
  m = { exact: isNet ? new Set() : new Set(set.entries), nets }
  parsed.set(set, m)
  return m
}

/**
 * `-m set --match-set NAME FLAGS` for one packet, as the set type's kadt function forms the key from the packet
 * ("src"/"dst" per dimension): hash:ip "10.96.0.1", hash:ip,port "10.96.0.10,tcp:53", hash:ip,port,ip
 * "10.244.1.5,tcp:80,10.244.1.5", hash:ip,port,net (the last address inside the entry's network), bitmap:port "30080",
 * hash:net. Returns the key as `ipset test` would take it and whether the set holds it.
 */
export function ipsetLookup(set: IpSet, flags: readonly ('src' | 'dst')[], h: Header): { key: string; hit: boolean } {
  const addr = (i: number) => (flags[i] === 'src' ? h.src : h.dst)
  const port = (i: number) => `${h.proto}:${flags[i] === 'src' ? h.sport : h.dport}`
  const m = members(set)
  switch (set.type) {
    case 'bitmap:port': {
      const key = String(flags[0] === 'src' ? h.sport : h.dport)
      return { key, hit: m.exact.has(key) }
    }
    case 'hash:ip':
      return { key: addr(0), hit: m.exact.has(addr(0)) }
    case 'hash:net':
      return { key: addr(0), hit: m.nets.some((n) => cidrContains(n.net, addr(0))) }
    case 'hash:ip,port': {
      const key = `${addr(0)},${port(1)}`
      return { key, hit: m.exact.has(key) }
    }
    case 'hash:ip,port,ip': {
      const key = `${addr(0)},${port(1)},${addr(2)}`
      return { key, hit: m.exact.has(key) }
    }
    case 'hash:ip,port,net': {
      const prefix = `${addr(0)},${port(1)}`
      return { key: `${prefix},${addr(2)}`, hit: m.nets.some((n) => n.key === prefix && cidrContains(n.net, addr(2))) }
    }
    default:
      return { key: addr(0), hit: false }
  }
}
