import { useEffect } from 'react'
import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic, useTrafficApi } from '../storeContext'
import { hopTiming } from './timing'

const selectPlaying = (s: TrafficStore) => s.playing
const selectHop = (s: TrafficStore) => s.hop
const selectRate = (s: TrafficStore) => s.hopRate
const selectHops = (s: TrafficStore) => s.batch?.sent[s.selected]?.result.hops

/** While playing, moves the watched packet on to its next hop once this hop has been shown (travel, rule walk, rewrite). */
export function HopPlayer(): null {
  const traffic = useTrafficApi()
  const playing = useTraffic(selectPlaying)
  const hop = useTraffic(selectHop)
  const rate = useTraffic(selectRate)
  const hops = useTraffic(selectHops)
  useEffect(() => {
    if (!playing || !hops || hop >= hops.length) return
    const timer = setTimeout(() => traffic.getState().forward(), hopTiming(hops, hop, rate).total)
    return () => clearTimeout(timer)
  }, [traffic, playing, hop, rate, hops])
  return null
}
