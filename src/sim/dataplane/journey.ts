import { isCutOff, isNodeDown, partitionTarget, hasFault } from '../faults'
import { Map as IMap } from 'immutable'
import type { ClusterConfig } from '../config'
import { nodeDependent } from '../controllers/kubeProxy/servicePorts'
import { modeOf, proxyRules } from '../controllers/kubeProxy/proxyRules'
import type { NodeTables } from '../model/iptablesTables'
import { nodeInternalIP, type Node } from '../model/node'
import { isPodReady, isPodRunning, type Pod } from '../model/pod'
import { cidrContains } from '../runtime/ip'
import type { Rng } from '../runtime/rng'
import type { ClusterState, NodeNet, WatchView } from '../state'
import { CONNTRACK_TIMEOUTS, EMPTY_NET, expire, forget, lookup, touch, track, translate } from './conntrack'
import { flannelTables, withFlannelRules } from './flannelRules'
import { isProxying, loadBalancerPick, proxyConnection } from './loadBalancer'
import { masquerade } from './masquerade'
import { consulted, kernelWalk, type NodeKernel } from './kernelWalk'
import type { WalkContext } from './netfilter'
import { addr, endpointText, type Header, type Hop } from '../model/packet'
import { virtualServerKey, type IpvsServiceState, type IpvsVirtualServer } from '../model/ipvs'
import { findVirtualServer, ipvsSchedule } from './ipvs'
import { healthCheck, hostProcess } from './nodeListeners'
import { listensOn, localAddresses, placeOf, podsByIP, unheldAddress } from './topology'

/** A packet's trip in progress: the state it changes (conntrack, `recent`), the RNG it draws from, the hops so far. */
export interface Journey {
  state: ClusterState
  readonly rng: Rng
  readonly config: ClusterConfig
  readonly hops: Hop[]
  phase: Hop['phase']
  /** Keep the connection open after the reply (HTTP keep-alive) rather than closing it. */
  readonly keepAlive: boolean
  /** The request is a new connection's first packet (a SYN), not one more on a connection kept alive. */
  readonly opening: boolean
  /**
   * Set when a proxying load balancer (ipMode: Proxy) took the request on its way: the node it left (none when it
   * came from the Internet), the header it left with, and the connection the balancer opened instead. The reply comes back to the balancer, which answers
   * on the first connection (see connect).
   */
  viaProxy?: { readonly node?: string; readonly left: Header; readonly proxied: Header }
}

/** Where a request ended. */
export type Arrival =
  | { readonly ok: true; readonly header: Header; readonly node: string; readonly to: { readonly kind: 'pod' | 'host'; readonly pod: Pod } | { readonly kind: 'outside' } }
  | { readonly ok: false; readonly reason: string; readonly failure: 'refused' | 'timeout' }

const kernelCache = new WeakMap<object, WeakMap<object, Map<string, Pick<NodeKernel, 'proxy' | 'ipsets'>>>>()
const localPolicies = new WeakMap<object, boolean>()

/** Whether any Service's rules differ from node to node (a Local traffic policy). */
function anyLocalPolicy(view: WatchView): boolean {
  let v = localPolicies.get(view.services)
  if (v === undefined) {
    v = false
    for (const svc of view.services.values()) for (const port of svc.spec.ports ?? []) if (nodeDependent(svc, port)) v = true
    localPolicies.set(view.services, v)
  }
  return v
}

/**
 * The rules on a node: kube-proxy's as of its last sync there (in the mode it synced in), and flannel's. kube-proxy's
 * are rendered once per watched Services and EndpointSlices, and shared by every node that synced them, unless they
 * depend on the node: a Local traffic policy, and in IPVS and nftables modes the NodePorts, bound to the node's address.
 */
export function kernelOf(state: ClusterState, node: string, clusterCIDR: string): NodeKernel {
  const n = state.nodes.get(node)!
  const view = state.proxies.get(node) ?? { services: state.services.clear(), endpointSlices: state.endpointSlices.clear(), syncedAt: -1 }
  let bySlices = kernelCache.get(view.services)
  if (!bySlices) kernelCache.set(view.services, (bySlices = new WeakMap()))
  let perNode = bySlices.get(view.endpointSlices)
  if (!perNode) bySlices.set(view.endpointSlices, (perNode = new Map()))
  const mode = modeOf(view)
  const key = `${mode}|${mode !== 'iptables' || anyLocalPolicy(view) ? node : '*'}`
  let k = perNode.get(key)
  if (!k) {
    const proxy = proxyRules(view, { name: node, ip: nodeInternalIP(n), podCIDR: n.spec.podCIDR }, clusterCIDR)
    const ipsets = proxy.mode === 'ipvs' ? new Map(proxy.ipvs.ipsets.map((set) => [set.name, set])) : undefined
    perNode.set(key, (k = { proxy, ...(ipsets ? { ipsets } : {}) }))
  }
  // flannel's rules are the node's own (its pod CIDR), whoever shares kube-proxy's.
  return { ...k, rules: { kubeProxy: k.proxy.iptables, flannel: flannelTables(n.spec.podCIDR, clusterCIDR) } }
}

/** kube-proxy's and flannel's iptables rules on a node, as one dump (what iptables-save lists). */
export function tablesOf(state: ClusterState, node: string, clusterCIDR: string): NodeTables {
  const k = kernelOf(state, node, clusterCIDR)
  return withFlannelRules(k.rules.kubeProxy, k.rules.flannel)
}

/** The node's local addresses: its own, and in IPVS mode every address kube-proxy bound to kube-ipvs0. */
function localOf(n: Node, k: NodeKernel): ReadonlySet<string> {
  const local = localAddresses(n)
  if (k.proxy.mode === 'ipvs') for (const ip of k.proxy.ipvs.dummyAddresses) local.add(ip)
  return local
}

const podName = (p: Pod) => `${p.metadata.namespace}/${p.metadata.name}`

function netOf(j: Journey, node: string): NodeNet {
  return j.state.net.get(node) ?? EMPTY_NET
}

function setNet(j: Journey, node: string, net: NodeNet): void {
  j.state = { ...j.state, net: j.state.net.set(node, net) }
}

/** How a client learns that nobody got its packet: a TCP client's SYN retries run out; a UDP client hears nothing. */
const noAnswer = (h: Header) => (h.proto === 'tcp' ? "the client's SYN retries run out" : 'the client waits for an answer that never comes')

/** A TCP request not kept alive is closed after its reply: its entry is in TIME_WAIT from then on. */
const closes = (h: Header, keepAlive: boolean) => h.proto === 'tcp' && !keepAlive

function timeoutFor(h: Header, keepAlive: boolean): number {
  if (h.proto === 'udp') return CONNTRACK_TIMEOUTS.udp
  return keepAlive ? CONNTRACK_TIMEOUTS.tcpEstablished : CONNTRACK_TIMEOUTS.tcpTimeWait
}

/**
 * Sends a packet into `node` at `hook` (PREROUTING for a packet arriving from a pod or the wire, OUTPUT for one the
 * node itself makes) and follows it until it is delivered, refused or lost.
 */
export function forward(j: Journey, startNode: string, startHook: 'PREROUTING' | 'OUTPUT', header: Header): Arrival {
  let node = startNode
  let hook = startHook
  let h = header
  for (let hop = 0; hop < 8; hop++) {
    const n = j.state.nodes.get(node)
    if (!n) return { ok: false, failure: 'timeout', reason: `node ${node} is gone` }
    const local = localOf(n, kernelOf(j.state, node, j.config.podCIDR.text))
    const now = j.state.now
    let net = expire(netOf(j, node), now)
    let out: Header
    let hit = lookup(net, h, now)
    // kube-proxy clears UDP conntrack entries whose endpoint went away, so the next datagram picks again.
    if (hit && h.proto === 'udp' && hit.entry.dnat && !usable(j.state, hit.entry.dnat.ip)) {
      net = forget(net, hit.entry)
      hit = undefined
    }
    // A SYN on the tuple of a closed connection still in TIME_WAIT reopens it: conntrack starts a new entry, and the
    // rules are walked again (nf_conntrack_proto_tcp).
    if (hit && hit.entry.closed && j.opening && h.proto === 'tcp') {
      net = forget(net, hit.entry)
      hit = undefined
    }
    if (hit) {
      out = translate(hit.entry, hit.dir)
      net = touch(net, hit.entry, now + timeoutFor(h, j.keepAlive) * 1000, closes(h, j.keepAlive))
      setNet(j, node, net)
      j.hops.push({
        at: node, step: 'conntrack', phase: j.phase, before: addr(h), after: addr(out),
        note: hit.entry.dnat
          ? `Established connection: conntrack rewrites it as it did the first packet (to ${endpointText(hit.entry.dnat.ip, hit.entry.dnat.port)}); no rules are walked`
          : 'Established connection: conntrack knows it; no rules are walked',
      })
    } else {
      const kernel = kernelOf(j.state, node, j.config.podCIDR.text)
      const ctx: WalkContext = { localAddresses: local, rng: j.rng, now, recent: toMutable(net), mark: 0, ...(kernel.ipsets ? { ipsets: kernel.ipsets } : {}) }
      const nat = kernelWalk(kernel, 'dstnat', hook, h, ctx)
      const dnatted: Header = nat.verdict === 'dnat' ? { ...h, dst: nat.dnat!.ip, dport: nat.dnat!.port } : h
      const toLocal = local.has(dnatted.dst)
      const filterChain = hook === 'OUTPUT' ? 'OUTPUT' : toLocal ? 'INPUT' : 'FORWARD'
      const filter = kernelWalk(kernel, 'filter', filterChain, dnatted, ctx)
      const natHop: Hop = {
        at: node, step: 'netfilter', phase: j.phase, before: addr(h), after: addr(dnatted),
        chain: `${nat.table} ${nat.path.join(' > ')}`,
        ...(nat.rule ? { rule: nat.rule.line } : {}),
        rulesEvaluated: nat.rulesEvaluated,
        ...(nat.draws.length ? { draws: nat.draws } : {}),
        evaluated: nat.trace,
        kernel: consulted(kernel, nat),
        note: nat.verdict === 'dnat'
          ? nat.table === 'ip kube-proxy'
            ? `New connection: its first packet is looked up in the service-ips map (one step, whatever the number of Services), and the endpoint chain chosen at random DNATs it to ${endpointText(dnatted.dst, dnatted.dport)}`
            : `New connection: its first packet walks the rules; DNAT to ${endpointText(dnatted.dst, dnatted.dport)}`
          : kernel.proxy.mode === 'ipvs' && toLocal && local.has(h.dst) && !localAddresses(n).has(h.dst)
            ? `New connection to ${endpointText(h.dst, h.dport)}: in IPVS mode the rules only mark and accept it (it is in the KUBE-CLUSTER-IP ipset); the address is local (on kube-ipvs0), so the packet goes up to INPUT, where IPVS takes it`
            : `New connection: its first packet walks the rules; none rewrites the destination`,
      }
      j.hops.push(natHop)
      if (filter.verdict === 'reject' || filter.verdict === 'drop') {
        const comment = filter.rule?.comment ?? ''
        j.hops.push({
          at: node, step: filter.verdict, phase: j.phase, before: addr(dnatted), after: addr(dnatted),
          chain: `${filter.table} ${filter.path.join(' > ')}`, rule: filter.rule!.line, rulesEvaluated: filter.rulesEvaluated, evaluated: filter.trace,
          kernel: consulted(kernel, filter),
          note: filter.verdict === 'reject'
            ? `REJECT (${comment || filter.rule!.line}): the kernel answers with ICMP port unreachable, so the client sees "connection refused"`
            : `DROP (${comment || filter.rule!.line}): the packet is silently discarded, so the client waits until it times out`,
        })
        setNet(j, node, fromMutable(net, ctx))
        return filter.verdict === 'reject'
          ? { ok: false, failure: 'refused', reason: `connection refused: ${comment || 'rejected by kube-proxy'}` }
          : { ok: false, failure: 'timeout', reason: `connection timed out: ${comment || 'dropped by kube-proxy'}` }
      }
      // IPVS mode: a packet to a virtual server's address (local, on kube-ipvs0 or the node's own) is taken by IPVS at
      // LOCAL_IN (or LOCAL_OUT for the node's own), which picks a real server and forwards it there.
      let mid = dnatted
      let viaIpvs: string | undefined
      if (kernel.proxy.mode === 'ipvs' && toLocal) {
        const vs = findVirtualServer(kernel.proxy.ipvs, dnatted)
        if (vs) {
          const key = virtualServerKey(vs)
          const ipvsState = net.ipvs?.get(key)
          const pick = ipvsSchedule(vs, ipvsState, dnatted.src, now)
          if (!pick) {
            j.hops.push({
              at: node, step: 'reject', phase: j.phase, before: addr(dnatted), after: addr(dnatted), chain: `IPVS ${key}`, rule: ipvsLine(vs),
              kernel: { mode: 'ipvs', facility: 'ipvs', table: 'IPVS', rule: ipvsLine(vs), lookups: [{ in: 'IPVS virtual servers', key, result: 'no real servers' }], verdict: 'reject', rulesEvaluated: 1 },
              note: `IPVS has the virtual server ${key} but no real server behind it (${vs.servicePort} has no ready endpoints): it answers with ICMP port unreachable, so the client sees "connection refused"`,
            })
            setNet(j, node, fromMutable(net, ctx))
            return { ok: false, failure: 'refused', reason: `connection refused: IPVS virtual server ${key} has no real servers (${vs.servicePort} has no endpoints)` }
          }
          mid = { ...dnatted, dst: pick.real.ip, dport: pick.real.port }
          net = { ...net, ipvs: (net.ipvs ?? IMap<string, IpvsServiceState>()).set(key, pick.state) }
          viaIpvs = key
          const position = vs.realServers.indexOf(pick.real) + 1
          const why = pick.persisted ? `persistence: ${dnatted.src} was sent there within the last ${vs.persistent} s (sessionAffinity: ClientIP)` : `${vs.scheduler === 'rr' ? 'round robin' : vs.scheduler}: real server ${position} of ${vs.realServers.length}, the one after the last it picked`
          j.hops.push({
            at: node, step: 'netfilter', phase: j.phase, before: addr(dnatted), after: addr(mid), chain: `IPVS ${key}`, rule: ipvsLine(vs),
            kernel: { mode: 'ipvs', facility: 'ipvs', table: 'IPVS', rule: ipvsLine(vs), lookups: [{ in: 'IPVS virtual servers', key, result: `-> ${endpointText(pick.real.ip, pick.real.port)} Masq` }], verdict: 'dnat', rulesEvaluated: 1 },
            note: `IPVS looks ${key} up in its hash of virtual servers (one step) and picks by ${why}: the destination becomes ${endpointText(mid.dst, mid.dport)} (forwarding "Masq"), and the packet is sent on as if from this node's own stack`,
          })
        }
      }
      // A packet from the wire or a pod to this node's own address goes up to a socket (INPUT), never out through
      // POSTROUTING: nothing masquerades it, and the host process sees the client's address.
      const post = hook === 'PREROUTING' && local.has(mid.dst) ? undefined : kernelWalk(kernel, 'srcnat', 'POSTROUTING', mid, ctx)
      const masq = post?.verdict === 'masquerade' && post.rule?.target.kind === 'masquerade' ? post.rule.target : undefined
      out = masq ? masquerade(j.state, node, net, j.rng, mid, masq.randomFully) : mid
      if (post && masq) {
        const port = masq.randomFully ? ` and a port drawn at random (${post.table === 'ip kube-proxy' ? 'fully-random' : '--random-fully'})` : ''
        const fromPods = cidrContains(j.config.podCIDR, mid.src)
        const why = !post.path.includes('FLANNEL-POSTRTG')
          ? `Marked for masquerade (0x4000)${nat.marks.length ? ` by: ${nat.marks.join('; ')}` : ''}.`
          : fromPods
            ? `Flannel's masquerade (FLANNEL-POSTRTG, not kube-proxy's): the packet comes from a pod and leaves the pod network for ${mid.dst}.`
            : `Flannel's masquerade (FLANNEL-POSTRTG, not kube-proxy's): the packet comes from outside the pod network and goes to a pod on another node.`
        j.hops.push({
          at: node, step: 'netfilter', phase: j.phase, before: addr(mid), after: addr(out),
          chain: `${post.table} ${post.path.join(' > ')}`, rule: post.rule!.line, rulesEvaluated: post.rulesEvaluated + filter.rulesEvaluated, evaluated: post.trace,
          kernel: consulted(kernel, post),
          note: `${why} In ${post.table === 'ip kube-proxy' ? 'nat-postrouting (srcnat)' : 'nat POSTROUTING'}, after the routing decision and just before it leaves, the source becomes ${endpointText(out.src, out.sport)}: this node's address on the way out${port}, so the reply comes back here`,
        })
      } else {
        // Nothing else decided: the nat hop carries the whole count for this node (nat, filter, POSTROUTING).
        const at = j.hops.lastIndexOf(natHop)
        j.hops[at] = { ...natHop, rulesEvaluated: nat.rulesEvaluated + filter.rulesEvaluated + (post?.rulesEvaluated ?? 0) }
      }
      const rewritten = nat.verdict === 'dnat' ? nat.dnat : viaIpvs ? { ip: mid.dst, port: mid.dport } : undefined
      net = track(net, h, out, now + timeoutFor(h, j.keepAlive) * 1000, rewritten, closes(h, j.keepAlive), viaIpvs)
      setNet(j, node, fromMutable(net, ctx))
    }
    // Routing: deliver here, hand to another node over the pod network, or let it leave the cluster.
    if (local.has(out.dst)) {
      const health = out.proto === 'tcp' ? healthCheck(j.state, node, out.dport) : undefined
      if (health) {
        j.hops.push({ at: node, step: 'deliver', phase: j.phase, before: addr(out), after: addr(out), note: health.note })
        return { ok: true, header: out, node, to: { kind: 'host', pod: health.pod } }
      }
      const host = hostProcess(j.state, node, out.dport, out.proto)
      j.hops.push({ at: node, step: 'deliver', phase: j.phase, before: addr(out), after: addr(out), note: host ? `Delivered to ${podName(host)} (host network) on ${node}` : `Nothing listens on ${node}:${out.dport}` })
      if (!host) return { ok: false, failure: 'refused', reason: `connection refused: nothing listens on ${out.dst}:${out.dport}` }
      return { ok: true, header: out, node, to: { kind: 'host', pod: host } }
    }
    const place = placeOf(j.state, out.dst)
    if (place.kind === 'pod' && place.node === node) {
      // Delivery needs a pod holding the address at this moment, running and listening on the port.
      const pod = place.pod
      const running = isPodRunning(pod)
      if (!running || !listensOn(pod, out.dport, out.proto)) {
        j.hops.push({ at: podName(pod), step: 'reject', phase: j.phase, before: addr(out), after: addr(out), note: running ? `Nothing listens on port ${out.dport} in ${podName(pod)}: the kernel answers with a reset` : (pod.status.containerStatuses ?? []).some((c) => c.restartCount > 0 || c.lastState) ? `The container of ${podName(pod)} is not running (it exited; the kubelet restarts it after a back-off): nothing listens, the connection is reset` : `${podName(pod)} has no running container yet: the connection is reset` })
        return { ok: false, failure: 'refused', reason: `connection refused by ${podName(pod)}:${out.dport}` }
      }
      j.hops.push({ at: podName(pod), step: 'deliver', phase: j.phase, before: addr(out), after: addr(out), note: `Delivered over ${node}'s bridge (cni0) to ${podName(pod)}` })
      return { ok: true, header: out, node, to: { kind: 'pod', pod } }
    }
    if (place.kind === 'pod' || place.kind === 'node' || place.kind === 'podNetwork') {
      const next = place.node
      const peer = j.state.nodes.get(next)
      if (next === node || !peer) {
        const why = peer ? `No pod has ${out.dst} any more` : `${next}, where ${out.dst} was, is gone, and with it the route to its pods`
        j.hops.push({ at: node, step: 'drop', phase: j.phase, before: addr(out), after: addr(out), note: `${why}: the packet goes nowhere, and ${noAnswer(out)}` })
        return { ok: false, failure: 'timeout', reason: `connection timed out: no pod has ${out.dst} (gone since the connection was made)` }
      }
      if (isCutOff(j.state, node, next)) {
        const why = cutOffReason(j.state, node, next)
        j.hops.push({ at: node, step: 'drop', phase: j.phase, before: addr(out), after: addr(out), note: `Routed towards ${next}, but ${why}: the packet is lost on the way, and ${noAnswer(out)}` })
        return { ok: false, failure: 'timeout', reason: `connection timed out: ${why}` }
      }
      const via = nodeInternalIP(peer)
      j.hops.push({ at: node, step: 'route', phase: j.phase, before: addr(out), after: addr(out), note: place.kind === 'node' ? `Routed over the node network to ${next}, whose address it is` : `Routed over the pod network to ${next} (next hop ${via})` })
      node = next
      hook = 'PREROUTING'
      h = out
      continue
    }
    if (place.kind === 'clusterIP') {
      j.hops.push({ at: node, step: 'drop', phase: j.phase, before: addr(out), after: addr(out), note: `${out.dst} is a ClusterIP: it exists on no interface, and no rule on ${node} rewrote it, so the packet leaves by the default route and nothing answers` })
      return { ok: false, failure: 'timeout', reason: `connection timed out: no rule on ${node} matches ClusterIP ${out.dst}:${out.dport}/${out.proto} (the Service has no such port, or kube-proxy has not synced it yet)` }
    }
    if (place.kind === 'loadBalancer') {
      // No rule here captured the address. Sent from this node (a pod or the host, masqueraded or not), the packet goes
      // up and out to the load balancer, which forwards it to a node; one that came from the load balancer has no
      // route here but back out the way it came, and nobody answers.
      const fromHere = local.has(out.src) || podsByIP(j.state.pods).get(out.src)?.spec.nodeName === node
      const pick = fromHere ? loadBalancerPick(j.state, j.rng, place.service, out.dst, isProxying(place.service, out.dst)) : undefined
      if (!pick?.ok) {
        const why = pick ? pick.reason : `no rule on ${node} captures load-balancer address ${out.dst} (kube-proxy there has not written its rules yet)`
        j.hops.push({ at: node, step: 'drop', phase: j.phase, before: addr(out), after: addr(out), note: `${why[0]!.toUpperCase()}${why.slice(1)}: nothing answers, and ${noAnswer(out)}` })
        return { ok: false, failure: 'timeout', reason: `connection timed out: ${why}` }
      }
      if (isNodeDown(j.state, pick.node)) {
        j.hops.push({ at: 'load balancer', step: 'drop', phase: j.phase, before: addr(out), after: addr(out), note: `The load balancer sends it to ${pick.node}, which is down (its health check has not failed often enough yet): the packet is lost, and ${noAnswer(out)}` })
        return { ok: false, failure: 'timeout', reason: `connection timed out: ${pick.node} is down` }
      }
      j.hops.push({ at: node, step: 'route', phase: j.phase, before: addr(out), after: addr(out), note: `No rule on ${node} captured ${out.dst}: the packet leaves by the default route for the load balancer` })
      const proxy = isProxying(place.service, out.dst) && !j.viaProxy ? proxyConnection(j.state, j.rng, place.service, out, pick.node, pick.note, j.phase) : undefined
      if (proxy) {
        j.viaProxy = { node, left: out, proxied: proxy.proxied }
        j.hops.push(proxy.hop)
        node = pick.node
        hook = 'PREROUTING'
        h = proxy.proxied
        continue
      }
      j.hops.push({ at: 'load balancer', step: 'loadbalancer', phase: j.phase, before: addr(out), after: addr(out), note: pick.note })
      node = pick.node
      hook = 'PREROUTING'
      h = out
      continue
    }
    const unheld = unheldAddress(j.config, out.dst)
    if (unheld) {
      j.hops.push({ at: node, step: 'drop', phase: j.phase, before: addr(out), after: addr(out), note: `${unheld}: nothing answers, and ${noAnswer(out)}` })
      return { ok: false, failure: 'timeout', reason: `connection timed out: ${unheld}` }
    }
    j.hops.push({ at: node, step: 'route', phase: j.phase, before: addr(out), after: addr(out), note: `Leaves the cluster by ${node}'s default route` })
    return { ok: true, header: out, node, to: { kind: 'outside' } }
  }
  return { ok: false, failure: 'timeout', reason: 'routing loop' }
}

/** What conntrack changed in a reply: its source (the DNAT undone), its destination (the SNAT undone), or both. */
function reversed(h: Header, out: Header): string {
  const parts: string[] = []
  if (out.src !== h.src || out.sport !== h.sport) parts.push(`${endpointText(h.src, h.sport)} becomes ${endpointText(out.src, out.sport)}`)
  if (out.dst !== h.dst || out.dport !== h.dport) parts.push(`${endpointText(h.dst, h.dport)} becomes ${endpointText(out.dst, out.dport)}`)
  return parts.join(', ')
}

/** The reply, from the server back to the client: each node's conntrack reverses what it did to the request. */
export function reply(j: Journey, startNode: string, header: Header, clientLabel: string): void {
  const phase = j.phase === 'dns' ? 'dns' : 'reply'
  let node = startNode
  let h = header
  for (let hop = 0; hop < 8; hop++) {
    const n = j.state.nodes.get(node)!
    const net = netOf(j, node)
    const hit = lookup(net, h, j.state.now)
    if (hit) {
      const out = translate(hit.entry, hit.dir)
      const changed = out.src !== h.src || out.dst !== h.dst || out.sport !== h.sport || out.dport !== h.dport
      j.hops.push({
        at: node, step: 'reply', phase, before: addr(h), after: addr(out),
        note: changed ? `Reply: conntrack reverses the NAT (${reversed(h, out)})` : `Reply: conntrack matches it; nothing to rewrite on ${node}`,
      })
      h = out
    }
    const local = localAddresses(n)
    const place = local.has(h.dst) ? ({ kind: 'node', node } as const) : placeOf(j.state, h.dst)
    if (place.kind === 'pod' && place.node === node) {
      j.hops.push({ at: clientLabel, step: 'deliver', phase, before: addr(h), after: addr(h), note: `The reply reaches the client from ${endpointText(h.src, h.sport)}` })
      return
    }
    if (place.kind === 'node' && place.node === node) {
      j.hops.push({ at: clientLabel, step: 'deliver', phase, before: addr(h), after: addr(h), note: `The reply reaches the client on ${node} from ${endpointText(h.src, h.sport)}` })
      return
    }
    if (place.kind === 'pod' || place.kind === 'node' || place.kind === 'podNetwork') {
      j.hops.push({ at: node, step: 'route', phase, before: addr(h), after: addr(h), note: `Routed back over the pod network to ${place.node}` })
      node = place.node
      continue
    }
    j.hops.push({ at: clientLabel, step: 'deliver', phase, before: addr(h), after: addr(h), note: `The reply leaves ${node} for the client outside the cluster` })
    return
  }
}

/** An endpoint kube-proxy would still use: a pod with that IP that is ready, or terminating but serving. */
function usable(state: ClusterState, ip: string): boolean {
  const pod = podsByIP(state.pods).get(ip)
  return pod !== undefined && isPodReady(pod)
}

function toMutable(net: NodeNet): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>()
  for (const [name, list] of net.recent) out.set(name, new Map(list))
  return out
}

function fromMutable(net: NodeNet, ctx: WalkContext): NodeNet {
  let recent = net.recent
  for (const [name, list] of ctx.recent) {
    const before = recent.get(name)
    if (before && before.size === list.size && [...list].every(([ip, t]) => before.get(ip) === t)) continue
    recent = recent.set(name, IMap<string, number>(list))
  }
  return recent === net.recent ? net : { ...net, recent }
}

/** Why packets between two nodes are lost, in words: which fault. */
function cutOffReason(state: ClusterState, from: string, to: string): string {
  if (isNodeDown(state, to)) return `${to} is down`
  if (isNodeDown(state, from)) return `${from} is down and cut off`
  return hasFault(state, 'partition', partitionTarget(from, to)) ? `the network between ${from} and ${to} is partitioned` : 'the network drops it'
}

/** A virtual server as `ipvsadm -Ln` prints its line. */
function ipvsLine(vs: IpvsVirtualServer): string {
  return `${vs.protocol.padEnd(4)} ${vs.ip}:${vs.port} ${vs.scheduler}${vs.persistent ? ` persistent ${vs.persistent}` : ''}`
}
