import { Map as IMap } from 'immutable'
import { virtualServerKey, type IpvsNode, type IpvsRealServer, type IpvsServiceState, type IpvsVirtualServer } from '../model/ipvs'
import type { Header } from '../model/packet'

/**
 * What the kernel's IPVS does with a new connection to a virtual server (net/netfilter/ipvs): find the service, pick a
 * real server (persistence template first, then the scheduler), count it. Pure: each step returns a new state.
 */

type Counters = { readonly conns: number; readonly inPkts: number; readonly outPkts: number; readonly inBytes: number; readonly outBytes: number }

const ZERO: Counters = { conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 }

/** A virtual server's state before its first connection. */
export const EMPTY_IPVS_STATE: IpvsServiceState = { last: -1, ...ZERO, perReal: IMap() }

const realKey = (r: { ip: string; port: number }) => `${r.ip}:${r.port}`

const byKey = new WeakMap<IpvsNode, Map<string, IpvsVirtualServer>>()

/** ip_vs_service_find: the virtual server a packet is addressed to (protocol, destination address and port), if any. */
export function findVirtualServer(n: IpvsNode, h: Header): IpvsVirtualServer | undefined {
  let servers = byKey.get(n)
  if (!servers) {
    servers = new Map(n.virtualServers.map((vs) => [virtualServerKey(vs), vs]))
    byKey.set(n, servers)
  }
  return servers.get(`${h.proto.toUpperCase()} ${h.dst}:${h.dport}`)
}

/**
 * ip_vs_rr_schedule: the next real server after the last one picked, wrapping round; servers of weight 0 (quiesced)
 * are passed over. The kernel keeps a pointer to the last server: if it has gone since, the walk goes on from where it
 * stood (ip_vs_rr_del_dest steps the pointer back), i.e. from whatever server now holds its place.
 */
function roundRobin(vs: IpvsVirtualServer, st: IpvsServiceState): number {
  const n = vs.realServers.length
  const at = st.lastReal !== undefined ? vs.realServers.findIndex((r) => realKey(r) === st.lastReal) : -1
  const start = at >= 0 ? at + 1 : st.lastReal !== undefined ? st.last : st.last + 1
  for (let i = 0; i < n; i++) {
    const idx = (((start + i) % n) + n) % n
    if (vs.realServers[idx]!.weight > 0) return idx
  }
  return -1
}

/**
 * A new connection from `clientIP` at `now` (virtual ms): the real server it goes to and the virtual server's new
 * state, or undefined when no real server can take it (none, or all of weight 0: the kernel answers ICMP unreachable).
 * A `persistent` service (sessionAffinity ClientIP) sends a client back to the server its template names while the
 * template lives; each connection renews it for `persistent` seconds (ip_vs_sched_persist). A template whose server
 * is gone or quiesced expires at once (kube-proxy sets expire_quiescent_template). Connections are counted here, as
 * ip_vs_conn_stats does when IPVS creates one; packets and bytes with countPacket.
 */
export function ipvsSchedule(
  vs: IpvsVirtualServer,
  st: IpvsServiceState | undefined,
  clientIP: string,
  now: number,
): { real: IpvsRealServer; state: IpvsServiceState; persisted: boolean } | undefined {
  const state = st ?? EMPTY_IPVS_STATE
  const template = vs.persistent ? state.persistence?.get(clientIP) : undefined
  const kept = template && template.expiresAt > now ? vs.realServers.findIndex((r) => realKey(r) === template.real && r.weight > 0) : -1
  const idx = kept >= 0 ? kept : roundRobin(vs, state)
  if (idx < 0) return undefined
  const real = vs.realServers[idx]!
  const key = realKey(real)
  const per = state.perReal.get(key) ?? ZERO
  let next: IpvsServiceState = { ...state, conns: state.conns + 1, perReal: state.perReal.set(key, { ...per, conns: per.conns + 1 }) }
  // Only the scheduler moves the round-robin pointer; a connection placed by its template leaves it where it was.
  if (kept < 0) next = { ...next, last: idx, lastReal: key }
  if (vs.persistent) next = { ...next, persistence: (state.persistence ?? IMap()).set(clientIP, { real: key, expiresAt: now + vs.persistent * 1000 }) }
  return { real, state: next, persisted: kept >= 0 }
}

/**
 * One packet of a connection IPVS forwards, counted for the virtual server and its real server: `in` from the client
 * towards the real server, `out` the reply (ipvsadm --stats' InPkts/OutPkts, InBytes/OutBytes).
 */
export function countPacket(state: IpvsServiceState | undefined, real: { readonly ip: string; readonly port: number }, dir: 'in' | 'out', bytes: number): IpvsServiceState {
  const st = state ?? EMPTY_IPVS_STATE
  const key = realKey(real)
  const per = st.perReal.get(key) ?? ZERO
  const bump = <T extends Counters>(c: T): T => (dir === 'in' ? { ...c, inPkts: c.inPkts + 1, inBytes: c.inBytes + bytes } : { ...c, outPkts: c.outPkts + 1, outBytes: c.outBytes + bytes })
  return { ...bump(st), perReal: st.perReal.set(key, bump(per)) }
}

/** The persistence templates still alive at `now`, as `ipvsadm -Lnc` lists them (client port 0, state NONE). */
export function liveTemplates(vs: IpvsVirtualServer, st: IpvsServiceState | undefined, now: number): { client: string; real: string; expiresInS: number }[] {
  const out: { client: string; real: string; expiresInS: number }[] = []
  for (const [client, t] of st?.persistence ?? IMap<string, { real: string; expiresAt: number }>()) {
    if (t.expiresAt > now && vs.persistent) out.push({ client, real: t.real, expiresInS: Math.floor((t.expiresAt - now) / 1000) })
  }
  return out
}
