import { useMemo } from 'react'
import type { Hop } from '../../sim'
import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic } from '../storeContext'
import { hopTiming, type HopTiming } from './timing'

const selectHops = (s: TrafficStore) => s.batch?.sent[s.selected]?.result.hops
const selectHop = (s: TrafficStore) => s.hop
const selectRate = (s: TrafficStore) => s.hopRate

/**
 * The hop of the watched request being shown, and how it is played. The same object while the hop and the rate are
 * the same: the packet, the details under the graph and the player all time the hop by it, and a new one would
 * restart the packet's move.
 */
export function useWatchedHop(): { readonly hops: readonly Hop[]; readonly hop: number; readonly timing: HopTiming } | undefined {
  const hops = useTraffic(selectHops)
  const hop = useTraffic(selectHop)
  const rate = useTraffic(selectRate)
  return useMemo(() => (hops && hops[hop] ? { hops, hop, timing: hopTiming(hops, hop, rate) } : undefined), [hops, hop, rate])
}
