import type { QueryType } from '../dns/coreDnsAnswer'
import { freePort } from '../dataplane/freePort'
import { forward, reply, type Journey } from '../dataplane/journey'
import type { Header, Hop } from '../model/packet'
import { addr, endpointText } from '../model/packet'
import { isIPv4, ipToNumber } from '../runtime/ip'
import type { Engine } from '../engine'
import { nodeInternalIP } from '../model/node'
import type { Pod } from '../model/pod'
import type { Service } from '../model/service'
import { argumentError } from './arguments'
import { resolveFrom, type ResolveResult } from './resolve'
import { isProxying, loadBalancerPick, nodePortFor, proxyConnection } from '../dataplane/loadBalancer'
import { listensOn } from '../dataplane/topology'
import { isPodRunning } from '../model/pod'

const isLoopback = (ip: string) => ipToNumber(ip) >>> 24 === 127

/**
 * A pod's own addresses (127.0.0.0/8 on its lo, and its pod IP) route to its own network namespace: the packet never
 * reaches the node, so no kube-proxy rule sees it, and only the pod's own containers can answer. That is why a
 * NodePort on localhost answers on the node (and in host-network pods) but never from an ordinary pod.
 */
function ownNetns(
  j: Journey,
  done: (r: Omit<ConnectResult, 'hops' | 'rulesEvaluated'>) => ConnectResult,
  client: Pod,
  label: string,
  to: { proto: 'tcp' | 'udp'; ip: string; port: number; sourcePort: number | undefined },
  dns: ResolveResult | undefined,
): ConnectResult {
  const src = isLoopback(to.ip) ? '127.0.0.1' : client.status.podIP!
  const sport = to.sourcePort ?? freePort(j.rng, j.state, client.spec.nodeName!, { proto: to.proto, src, dst: to.ip, dport: to.port })
  const header: Header = { proto: to.proto, src, sport, dst: to.ip, dport: to.port }
  const where = isLoopback(to.ip) ? `${to.ip} is ${label}'s own loopback (lo)` : `${to.ip} is ${label}'s own address`
  const source = `${src}:${sport}`
  const extra = dns ? { dns } : {}
  if (!isPodRunning(client) || !listensOn(client, to.port, to.proto)) {
    j.hops.push({ at: label, step: 'reject', phase: 'request', before: addr(header), after: addr(header), note: `${where}: the packet stays in the pod's network namespace and never reaches ${client.spec.nodeName}, so no kube-proxy rule sees it. Nothing in ${label} listens on port ${to.port}: the kernel answers with a reset` })
    return done({ ok: false, reason: `connection refused by ${label}:${to.port} (${where}, not the node's)`, source, ...extra })
  }
  j.hops.push({ at: label, step: 'deliver', phase: 'request', before: addr(header), after: addr(header), note: `${where}: the packet stays in the pod's network namespace, and ${label}'s own container answers` })
  const back: Header = { proto: to.proto, src: to.ip, sport: to.port, dst: src, dport: sport }
  j.hops.push({ at: label, step: 'deliver', phase: 'reply', before: addr(back), after: addr(back), note: `The reply comes back over the same loopback` })
  return done({ ok: true, endpoint: `${to.ip}:${to.port}`, pod: label, source, ...extra })
}

/** Options of `connect`. */
export interface ConnectOptions {
  /** tcp (default) or udp. */
  readonly protocol?: 'tcp' | 'udp'
  /** Keep the connection open after the reply (HTTP keep-alive): conntrack keeps the entry ESTABLISHED. */
  readonly keepAlive?: boolean
  /** The client's source port; reuse one with keepAlive to send more requests on the same connection. */
  readonly sourcePort?: number
  /** For `external`: the client's address on the Internet (default 198.51.100.23, a documentation address). */
  readonly sourceIP?: string
}

/** What `connect` returns: where the request ended and every hop of the way, DNS included. */
export interface ConnectResult {
  readonly ok: boolean
  /** "podIP:port" the connection reached. */
  readonly endpoint?: string
  /** "namespace/name" of the pod that served it. */
  readonly pod?: string
  readonly reason?: string
  readonly hops: Hop[]
  /** The client's side of the connection, "ip:port": pass its port back as sourcePort to reuse the connection. */
  readonly source?: string
  /** Rules walked by the request's first packet on every node it crossed (the cost iptables mode pays per connection). */
  readonly rulesEvaluated: number
  /** The DNS lookup, when the target was a name. */
  readonly dns?: ResolveResult
}

/** The address requests "from the Internet" come from unless told otherwise (a documentation address). */
export const EXTERNAL_CLIENT = '198.51.100.23'

/**
 * A client opens a connection to `target` ("host:port": a Service name, FQDN, ClusterIP, pod IP, node IP with a
 * NodePort, or load-balancer address), sends one request and gets the reply. Every packet is moved by the node's
 * rules and conntrack; the journey is returned hop by hop.
 */
export function connect(engine: Engine, from: string, target: string, opts: ConnectOptions = {}): ConnectResult {
  const colon = target.lastIndexOf(':')
  const host = colon > 0 ? target.slice(0, colon) : ''
  const port = Number(target.slice(colon + 1))
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) {
    return { ok: false, reason: argumentError('target', target, 'must be host:port with a port from 1 to 65535'), hops: [], rulesEvaluated: 0 }
  }
  const reusing = opts.keepAlive === true && opts.sourcePort !== undefined
  const j: Journey = { state: engine.state, rng: engine.rt.rng.packets, config: engine.config, hops: [], phase: 'dns', keepAlive: opts.keepAlive === true, opening: !reusing }
  const proto = opts.protocol ?? 'tcp'
  const done = (r: Omit<ConnectResult, 'hops' | 'rulesEvaluated'>): ConnectResult => {
    engine.state = j.state
    const rulesEvaluated = j.hops.filter((h) => h.phase === 'request').reduce((n, h) => n + (h.rulesEvaluated ?? 0), 0)
    return { ...r, hops: j.hops, rulesEvaluated }
  }

  let client: Pod | undefined
  if (from !== 'external') {
    client = engine.state.pods.get(from.includes('/') ? from : `default/${from}`)
    if (!client) return { ok: false, reason: `Error from server (NotFound): pods "${from.split('/').pop()}" not found`, hops: [], rulesEvaluated: 0 }
    if (!client.status.podIP || client.status.phase !== 'Running') return { ok: false, reason: `pod ${from} is not running yet`, hops: [], rulesEvaluated: 0 }
  }
  const clientLabel = client ? `${client.metadata.namespace}/${client.metadata.name}` : 'internet'

  // 1. A name is resolved first, from inside the client pod.
  let ip = host
  let dns: ResolveResult | undefined
  if (!isIPv4(host)) {
    if (!client) return done({ ok: false, reason: `could not resolve host: ${host} (cluster names resolve only inside the cluster)` })
    const runtime = engine.state.containers.get(clientLabel)
    dns = resolveFrom(engine, j, client, runtime?.resolvConf ?? '', host, 'A' as QueryType)
    const a = dns.answers.find((r) => r.type === 'A')
    if (!a) return done({ ok: false, reason: dns.reason ? `could not resolve host: ${host} (${dns.reason})` : `could not resolve host: ${host}`, dns })
    ip = a.data
  }
  j.phase = 'request'

  // 2. The request: from a pod through its node, or from the Internet through a load balancer or a node's NodePort.
  let header: Header
  let arrival
  if (client && !client.spec.hostNetwork && (isLoopback(ip) || ip === client.status.podIP)) return ownNetns(j, done, client, clientLabel, { proto, ip, port, sourcePort: opts.sourcePort }, dns)
  if (client) {
    const sport = opts.sourcePort ?? freePort(j.rng, j.state, client.spec.nodeName!, { proto, src: client.status.podIP!, dst: ip, dport: port })
    header = { proto, src: client.status.podIP!, sport, dst: ip, dport: port }
    const note = client.spec.hostNetwork
      ? `${clientLabel} runs in ${client.spec.nodeName}'s own network namespace: its packet to ${ip}:${port} starts in the node's stack (nat OUTPUT)`
      : `${clientLabel} sends to ${ip}:${port}; its only route is the node, so the packet leaves the pod for ${client.spec.nodeName}`
    j.hops.push({ at: clientLabel, step: 'route', phase: 'request', before: addr(header), after: addr(header), note })
    arrival = forward(j, client.spec.nodeName!, client.spec.hostNetwork ? 'OUTPUT' : 'PREROUTING', header)
  } else {
    const entry = entryNode(engine, ip, port, proto)
    const src = opts.sourceIP ?? EXTERNAL_CLIENT
    const sport = opts.sourcePort ?? freePort(j.rng, j.state, entry.ok ? entry.node : undefined, { proto, src, dst: ip, dport: port })
    header = { proto, src, sport, dst: ip, dport: port }
    if (!entry.ok) {
      j.hops.push({ at: 'internet', step: 'drop', phase: 'request', before: addr(header), after: addr(header), note: entry.reason })
      return done({ ok: false, reason: entry.reason })
    }
    const proxy = entry.proxying ? proxyConnection(j.state, j.rng, entry.proxying, header, entry.node, entry.note, 'request') : undefined
    if (proxy) {
      j.viaProxy = { left: header, proxied: proxy.proxied }
      j.hops.push(proxy.hop)
      arrival = forward(j, entry.node, 'PREROUTING', proxy.proxied)
    } else {
      if (entry.viaLoadBalancer) j.hops.push({ at: 'load balancer', step: 'loadbalancer', phase: 'request', before: addr(header), after: addr(header), note: entry.note })
      arrival = forward(j, entry.node, 'PREROUTING', header)
    }
  }
  if (!arrival.ok) return done({ ok: false, reason: arrival.reason, source: `${header.src}:${header.sport}`, ...(dns ? { dns } : {}) })

  // 3. The reply goes back the way conntrack remembers.
  const served = arrival.to.kind === 'outside' ? undefined : arrival.to.pod
  const back: Header = { proto, src: arrival.header.dst, sport: arrival.header.dport, dst: arrival.header.src, dport: arrival.header.sport }
  reply(j, arrival.node, back, clientLabel)
  if (j.viaProxy && j.hops.at(-1)?.step === 'deliver') {
    // The balancer gets the reply on its own connection and answers on the one that reached it: to the client on the
    // Internet, or back to the node the request left (whose conntrack reverses its own NAT) and on to the client.
    const last = j.hops.pop()!
    const { left, node } = j.viaProxy
    const answer: Header = { proto, src: left.dst, sport: left.dport, dst: left.src, dport: left.sport }
    j.hops.push({ at: 'load balancer', step: 'loadbalancer', phase: 'reply', before: last.before, after: addr(answer), note: `The load balancer gets the reply on its connection to the node and answers on the connection that reached it${node ? `, back to ${node}` : ''}` })
    if (node) reply(j, node, answer, clientLabel)
    else j.hops.push({ at: clientLabel, step: 'deliver', phase: 'reply', before: addr(answer), after: addr(answer), note: `The reply reaches the client from ${endpointText(answer.src, answer.sport)}` })
  }
  // The client accepts a reply only from where it sent: one that no node un-DNAT-ed (it went back another way than
  // the request came, because nothing masqueraded the request) belongs to no connection it knows, and gets a reset.
  const expected = endpointText(header.dst, header.dport)
  const got = j.hops.at(-1)!.before.src
  if (got !== expected) {
    const last = j.hops.at(-1)!
    j.hops.push({
      at: clientLabel, step: 'reject', phase: 'reply', before: last.before, after: last.before,
      note: `The reply comes from ${got}, but ${clientLabel} sent to ${expected}: the request was not masqueraded, so ${got} answered the client directly and the node that DNAT-ed it never saw the reply to reverse it. The client's kernel knows no such connection and answers with a reset`,
    })
    return done({ ok: false, reason: `connection reset: the reply came from ${got}, not ${expected} (it bypassed the node that DNAT-ed the request)`, source: `${header.src}:${header.sport}`, ...(dns ? { dns } : {}) })
  }
  return done({
    ok: true,
    endpoint: `${arrival.header.dst}:${arrival.header.dport}`,
    ...(served ? { pod: `${served.metadata.namespace}/${served.metadata.name}` } : {}),
    source: `${header.src}:${header.sport}`,
    ...(dns ? { dns } : {}),
  })
}

/**
 * Where traffic from the Internet enters: a node's own address (NodePort), or a load-balancer address, whose cloud
 * load balancer picks a node.
 */
function entryNode(engine: Engine, ip: string, port: number, proto: 'tcp' | 'udp'): { ok: true; node: string; viaLoadBalancer: boolean; note: string; proxying?: Service } | { ok: false; reason: string } {
  const state = engine.state
  for (const node of state.nodes.values()) if (nodeInternalIP(node) === ip) return { ok: true, node: node.metadata.name, viaLoadBalancer: false, note: '' }
  const key = state.loadBalancerIPs.get(ip)
  const svc = key ? state.services.get(key) : undefined
  if (!svc) return { ok: false, reason: `${ip} is not reachable from outside the cluster: only node addresses and load-balancer addresses are` }
  const proxying = isProxying(svc, ip)
  const pick = loadBalancerPick(state, engine.rt.rng.packets, svc, ip, proxying)
  if (!pick.ok || !proxying) return pick.ok ? { ...pick, viaLoadBalancer: true } : pick
  // A proxying balancer listens on the Service's ports only, and connects to the picked node's matching NodePort.
  if (!nodePortFor(svc, port, proto)) return { ok: false, reason: `the load balancer at ${ip} does not listen on ${port}/${proto}: the Service has no such port` }
  return { ...pick, viaLoadBalancer: true, proxying: svc }
}
