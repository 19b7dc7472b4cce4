import { useEffect } from 'react'
import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic, useTrafficApi } from '../storeContext'
import { useWatchedHop } from './useWatchedHop'

const selectPlaying = (s: TrafficStore) => s.playing

/** While playing, moves the watched packet on to its next hop once this hop has been shown (travel, rule walk, rewrite). */
export function HopPlayer(): null {
  const traffic = useTrafficApi()
  const playing = useTraffic(selectPlaying)
  const watched = useWatchedHop()
  useEffect(() => {
    if (!playing || !watched) return
    const timer = setTimeout(() => traffic.getState().forward(), watched.timing.total)
    return () => clearTimeout(timer)
  }, [traffic, playing, watched])
  return null
}
