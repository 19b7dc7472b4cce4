import { Map as IMap } from 'immutable'
import type { ConntrackEntry, NodeNet } from '../state'
import type { Header } from '../model/packet'

/** nf_conntrack timeouts (seconds): kube-proxy sets TCP established to 24 h; closed TCP waits in TIME_WAIT; UDP 30 s. */
export const CONNTRACK_TIMEOUTS = { tcpEstablished: 86_400, tcpTimeWait: 120, udp: 30 } as const

export const tupleKey = (h: Header) => `${h.proto}|${h.src}:${h.sport}|${h.dst}:${h.dport}`

export const EMPTY_NET: NodeNet = { conntrack: IMap(), recent: IMap(), sweepAt: 2048 }

/** The entry a packet belongs to, in which direction; expired entries count as gone. */
export function lookup(net: NodeNet, h: Header, now: number): { entry: ConntrackEntry; dir: 'orig' | 'reply' } | undefined {
  const hit = net.conntrack.get(tupleKey(h))
  return hit && hit.entry.expiresAt > now ? hit : undefined
}

/** The header a tracked packet leaves with: the orig direction gets the recorded NAT, the reply direction its reverse. */
export function translate(entry: ConntrackEntry, dir: 'orig' | 'reply'): Header {
  const t = dir === 'orig' ? entry.reply : entry.orig
  return { proto: t.proto, src: t.dst, sport: t.dport, dst: t.src, dport: t.sport }
}

/** Records a new connection: `orig` as it arrived, `out` as it left the node after any DNAT and SNAT. */
export function track(net: NodeNet, orig: Header, out: Header, expiresAt: number, dnat?: { ip: string; port: number }, closed = false, ipvs?: string): NodeNet {
  const reply: Header = { proto: out.proto, src: out.dst, sport: out.dport, dst: out.src, dport: out.sport }
  const entry: ConntrackEntry = { orig, reply, expiresAt, ...(dnat ? { dnat } : {}), ...(ipvs ? { ipvs } : {}), ...(closed ? { closed } : {}) }
  return { ...net, conntrack: net.conntrack.set(tupleKey(orig), { entry, dir: 'orig' }).set(tupleKey(reply), { entry, dir: 'reply' }) }
}

/** Moves an entry's expiry (a connection closed goes to TIME_WAIT; one kept alive stays established). */
export function touch(net: NodeNet, entry: ConntrackEntry, expiresAt: number, closed = false): NodeNet {
  const { closed: _, ...rest } = entry
  const next: ConntrackEntry = { ...rest, expiresAt, ...(closed ? { closed } : {}) }
  return { ...net, conntrack: net.conntrack.set(tupleKey(entry.orig), { entry: next, dir: 'orig' }).set(tupleKey(entry.reply), { entry: next, dir: 'reply' }) }
}

/** Whether a tuple has a live entry on a node: a client's kernel does not open a new connection on it. */
export function inUse(net: NodeNet, h: Header, now: number): boolean {
  return lookup(net, h, now) !== undefined
}

export function forget(net: NodeNet, entry: ConntrackEntry): NodeNet {
  return { ...net, conntrack: net.conntrack.delete(tupleKey(entry.orig)).delete(tupleKey(entry.reply)) }
}

/**
 * Drops expired entries once the table has grown to the sweep mark (conntrack's garbage collection), so a busy node's
 * table stays bounded at an amortised O(1) per packet. Lookups ignore expired entries in between.
 */
export function expire(net: NodeNet, now: number): NodeNet {
  if (net.conntrack.size < net.sweepAt) return net
  const live = net.conntrack.filter((v) => v.entry.expiresAt > now)
  return { ...net, conntrack: live, sweepAt: Math.max(2048, live.size * 2) }
}
