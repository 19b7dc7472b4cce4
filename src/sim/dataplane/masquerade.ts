import { nodeInternalIP } from '../model/node'
import type { Rng } from '../runtime/rng'
import type { ClusterState, NodeNet } from '../state'
import { lookup } from './conntrack'
import type { Header } from '../model/packet'
import { bridgeIP, podsByIP } from './topology'

/**
 * What MASQUERADE makes of a packet leaving `node`: the source becomes the address of the interface it leaves by (the
 * bridge, cni0, for a pod on this node; the node's own address otherwise). With `--random-fully` the source port is
 * drawn at random from 1024-65535 for every new connection (NF_NAT_RANGE_PROTO_RANDOM_FULLY), moving on to the next
 * port while the resulting reply tuple is taken; without it the kernel keeps the port when it is free.
 */
export function masquerade(state: ClusterState, node: string, net: NodeNet, rng: Rng, h: Header, randomFully: boolean): Header {
  const src = egressAddress(state, node, h.dst)
  const taken = (sport: number) => lookup(net, { proto: h.proto, src: h.dst, sport: h.dport, dst: src, dport: sport }, state.now) !== undefined
  let sport = h.sport
  if (randomFully || taken(sport)) {
    const start = rng.int(65536 - 1024)
    for (let i = 0; i < 65536 - 1024; i++) {
      sport = 1024 + ((start + i) % (65536 - 1024))
      if (!taken(sport)) break
    }
  }
  return { ...h, src, sport }
}

/** The address of the interface a packet to `dst` leaves `node` by: cni0 for a pod on this node, else eth0. */
function egressAddress(state: ClusterState, node: string, dst: string): string {
  const n = state.nodes.get(node)!
  const pod = podsByIP(state.pods).get(dst)
  return pod?.spec.nodeName === node ? bridgeIP(n) : nodeInternalIP(n)
}
