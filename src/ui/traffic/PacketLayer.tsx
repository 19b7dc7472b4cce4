import { ViewportPortal } from '@xyflow/react'
import { useReducedMotion } from 'framer-motion'
import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic } from '../storeContext'
import { BatchDots } from './BatchDots'
import { useWatchedHop } from './useWatchedHop'
import { WatchedPacket } from './WatchedPacket'

const selectBatch = (s: TrafficStore) => s.batch
// The watched packet leaves the graph when its journey is over or its details are closed.
const selectShown = (s: TrafficStore) => s.watching && !s.arrived

/** Packets over the graph: the watched one in the graph's coordinates (it pans and zooms with it), a batch's dots on a canvas above. */
export function PacketLayer() {
  const batch = useTraffic(selectBatch)
  const shown = useTraffic(selectShown)
  const watched = useWatchedHop()
  const reduce = useReducedMotion() ?? false
  return (
    <>
      <BatchDots batch={batch} reduce={reduce} />
      <ViewportPortal>
        <div className="packet-layer">
          {watched && shown ? <WatchedPacket hops={watched.hops} hop={watched.hop} timing={watched.timing} reduce={reduce} external={batch!.spec.from === 'external'} /> : null}
        </div>
      </ViewportPortal>
    </>
  )
}
