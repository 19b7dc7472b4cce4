import type { Rng } from '../runtime/rng'
import type { ClusterState } from '../state'
import { inUse } from './conntrack'
import type { Header } from '../model/packet'

/**
 * An ephemeral port (Linux's default range, 32768-60999) for a new connection or socket whose tuple has no live
 * conntrack entry on the node it leaves by: a client's kernel does not reuse a tuple still in TIME_WAIT.
 */
export function freePort(rng: Rng, state: ClusterState, node: string | undefined, h: Omit<Header, 'sport'>): number {
  const net = node ? state.net.get(node) : undefined
  for (let tries = 0; ; tries++) {
    const port = 32768 + rng.int(60999 - 32768 + 1)
    if (!net || tries >= 32 || !inUse(net, { ...h, sport: port }, state.now)) return port
  }
}
