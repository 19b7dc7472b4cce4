import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic, useTrafficApi } from '../storeContext'
import { HopDetails } from './HopDetails'
import { stepByArrows } from './stepByArrows'
import { useWatchedHop } from './useWatchedHop'

const selectPlaying = (s: TrafficStore) => s.playing

/**
 * Under the graph while a packet is watched: the packet at its current hop, large enough to read from the back row.
 * Its controls stay in the Traffic panel, so that each has one name on the page; with focus here, the arrow keys step.
 * It comes first in the page's reading order (a skip link and a few Tabs away), though drawn under the graph.
 */
export function JourneyStrip({ onClose }: { onClose: () => void }) {
  const traffic = useTrafficApi()
  const watched = useWatchedHop()
  const playing = useTraffic(selectPlaying)
  if (!watched) return null
  const { hops, hop, timing } = watched
  return (
    <section className="journey-strip" id="packet-details" tabIndex={-1} aria-label="The watched packet" onKeyDown={stepByArrows(traffic.getState())}>
      <button type="button" className="journey-strip-close" onClick={onClose} aria-label="Hide packet details">
        ✕
      </button>
      <HopDetails hop={hops[hop]!} index={hop} count={hops.length} timing={timing} running={playing} />
    </section>
  )
}
