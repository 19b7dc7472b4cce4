import { ViewportPortal } from '@xyflow/react'
import { motion, useReducedMotion } from 'framer-motion'
import { memo } from 'react'
import type { Rect } from './camera'

/**
 * Watch events drawn on their way: a dot from the API server (in the control plane's card) to each CoreDNS pod and
 * to each node's kube-proxy as it takes in a change (each at its own moment: every one has its own watch). Only the moment of delivery is drawn; the components light too
 * (and that alone is shown under reduced motion). `deliveries` are "time@actor" of each sync of the last moment.
 */
export const WatchDeliveries = memo(function WatchDeliveries({ rects, deliveries }: { rects: ReadonlyMap<string, Rect>; deliveries: readonly string[] }) {
  const reduce = useReducedMotion()
  const hub = rects.get('cp:hub')
  if (reduce || deliveries.length === 0 || !hub) return null
  // The API server's chip sits near the left of the hub's row of components.
  const from = { x: hub.x + Math.min(260, hub.width * 0.25), y: hub.y + 26 }
  const dots: { id: string; x: number; y: number }[] = []
  for (const d of deliveries) {
    const [time, actor] = d.split('@') as [string, string]
    if (actor.startsWith('CoreDNS/')) {
      const r = rects.get(`pod:${actor.slice('CoreDNS/'.length)}`)
      if (r) dots.push({ id: `${time}|${actor}`, x: r.x + 12, y: r.y + r.height / 2 })
    } else {
      const r = rects.get(`node:${actor.slice('kube-proxy/'.length)}`)
      if (r) dots.push({ id: `${time}|${actor}`, x: r.x + 60, y: r.y + 66 })
    }
  }
  return (
    <ViewportPortal>
      <div className="watch-deliveries" aria-hidden="true">
        {dots.map((d) => (
          <motion.span key={d.id} className="watch-dot" initial={{ x: from.x, y: from.y, opacity: 1 }} animate={{ x: d.x, y: d.y, opacity: [1, 1, 0] }} transition={{ duration: 0.7, times: [0, 0.8, 1], ease: 'easeInOut' }} />
        ))}
      </div>
    </ViewportPortal>
  )
})
