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

/** Packets over the graph, in its coordinates (they pan and zoom with it): the watched one, and a batch's dots. */
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
    <ViewportPortal>
      <div className="packet-layer">
        <BatchDots batch={batch} reduce={reduce} />
        {hops && timing ? <WatchedPacket hops={hops} hop={hop} timing={timing} reduce={reduce} external={batch!.spec.from === 'external'} /> : null}
      </div>
    </ViewportPortal>
  )
}
