import { useMemo } from 'react'
import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic, useTrafficApi } from '../storeContext'
import { HopDetails } from './HopDetails'
import { stepByArrows } from './stepByArrows'
import { hopTiming } from './timing'

const selectRequest = (s: TrafficStore) => s.batch?.sent[s.selected]
const selectHop = (s: TrafficStore) => s.hop
const selectRate = (s: TrafficStore) => s.hopRate
const selectPlaying = (s: TrafficStore) => s.playing

/**
 * Under the graph while a packet is watched: the packet at its current hop, large enough to read from the back row.
 * Its controls stay in the Traffic panel, so that each has one name on the page.
 */
export function JourneyStrip({ onClose }: { onClose: () => void }) {
  const traffic = useTrafficApi()
  const request = useTraffic(selectRequest)
  const hop = useTraffic(selectHop)
  const rate = useTraffic(selectRate)
  const playing = useTraffic(selectPlaying)
  const hops = request?.result.hops
  const timing = useMemo(() => (hops && hops[hop] ? hopTiming(hops, hop, rate) : undefined), [hops, hop, rate])
  if (!hops || !timing) return null
  return (
    // With focus in the strip, the arrow keys step through the hops.
    <div
      className="journey-strip"
      onKeyDown={stepByArrows(traffic.getState())}
    >
      <button type="button" className="journey-strip-close" onClick={onClose} aria-label="Hide packet details">
        ✕
      </button>
      <HopDetails hop={hops[hop]!} index={hop} count={hops.length} timing={timing} running={playing} />
    </div>
  )
}
