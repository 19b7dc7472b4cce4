import { ViewportPortal } from '@xyflow/react'
import { useReducedMotion } from 'framer-motion'
import { useMemo } from 'react'
import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic } from '../storeContext'
import { BatchDots } from './BatchDots'
import { hopTiming } from './timing'
import { WatchedPacket } from './WatchedPacket'

const selectBatch = (s: TrafficStore) => s.batch
const selectSelected = (s: TrafficStore) => s.selected
const selectHop = (s: TrafficStore) => s.hop
const selectRate = (s: TrafficStore) => s.hopRate

/** Packets over the graph: the watched one in the graph's coordinates (it pans and zooms with it), a batch's dots on a canvas above. */
export function PacketLayer() {
  const batch = useTraffic(selectBatch)
  const selected = useTraffic(selectSelected)
  const hop = useTraffic(selectHop)
  const rate = useTraffic(selectRate)
  const reduce = useReducedMotion() ?? false
  const hops = batch?.sent[selected]?.result.hops
  // The same object while the hop is the same: a new one would restart the packet's move.
  const timing = useMemo(() => (hops && hops[hop] ? hopTiming(hops, hop, rate) : undefined), [hops, hop, rate])
  return (
    <>
      <BatchDots batch={batch} reduce={reduce} />
      <ViewportPortal>
        <div className="packet-layer">
          {hops && timing ? <WatchedPacket hops={hops} hop={hop} timing={timing} reduce={reduce} external={batch!.spec.from === 'external'} /> : null}
        </div>
      </ViewportPortal>
    </>
  )
}
