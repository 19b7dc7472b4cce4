import { animate, motion, useMotionValue } from 'framer-motion'
import { useEffect, useState } from 'react'
import type { Hop } from '../../sim'
import { usePlaces } from '../graph/placesContext'
import { anchorOf, dotAt, labelAt, placeOf, serviceAnchor } from './anchors'
import type { HopTiming } from './timing'
import { ipOf, useClusterIPs } from './useClusterIPs'
import { usePodNodes } from './usePodNodes'

/** One field of the packet's label: marked when this hop rewrote it. */
function Field({ value, rewritten }: { value: string; rewritten: boolean }) {
  return <span className={rewritten ? 'packet-field rewritten' : 'packet-field'}>{value}</span>
}

/**
 * The packet being watched, moving along the graph hop by hop: to where the hop happens, then (after the rule walk)
 * its header rewritten field by field. Its label stands in the gap above the card it is at, never on the card's
 * name. While its destination is a ClusterIP, a dashed line points at the Service: the address it is sent to exists
 * on no interface. Where it is comes from the graph's layout, so a relayout moves it with its card. Moves on motion
 * values: the graph is never re-rendered per frame.
 */
export function WatchedPacket({ hops, hop, timing, reduce, external }: { hops: readonly Hop[]; hop: number; timing: HopTiming; reduce: boolean; external: boolean }) {
  const places = usePlaces()
  const x = useMotionValue(0)
  const y = useMotionValue(0)
  const lx = useMotionValue(0)
  const ly = useMotionValue(0)
  const [rewritten, setRewritten] = useState({ hops, hop, done: false })
  const h = hops[hop]!
  const done = rewritten.hops === hops && rewritten.hop === hop && rewritten.done
  const clusterIPs = useClusterIPs()
  const nodeOf = usePodNodes()
  const id = placeOf(places, h.at, nodeOf)
  const rect = id ? places.rects.get(id) : undefined
  const to = id && rect ? dotAt(id, rect) : undefined
  const label = id ? labelAt(places, id) : undefined
  const start = hop === 0 ? (external ? anchorOf(places, 'internet') : to) : undefined
  useEffect(() => {
    if (!to || !label) return
    if (start) {
      x.set(start.x)
      y.set(start.y)
      lx.set(label.x + start.x - to.x)
      ly.set(label.y + start.y - to.y)
    }
    const motion = { duration: timing.travel / 1000, ease: 'easeInOut' } as const
    const controls = reduce ? [] : [animate(x, to.x, motion), animate(y, to.y, motion), animate(lx, label.x, motion), animate(ly, label.y, motion)]
    if (reduce) {
      x.set(to.x)
      y.set(to.y)
      lx.set(label.x)
      ly.set(label.y)
    }
    const timer = setTimeout(() => setRewritten({ hops, hop, done: true }), reduce ? 0 : timing.rewriteAt)
    return () => {
      for (const c of controls) c.stop()
      clearTimeout(timer)
    }
    // Keyed on the place's coordinates: the same hop at a card that moved (a relayout) glides there.
  }, [hops, hop, to?.x, to?.y, label?.x, label?.y, label?.align, start?.x, start?.y, timing, reduce, x, y, lx, ly]) // eslint-disable-line react-hooks/exhaustive-deps
  if (!to || !label) return null
  const shown = done ? h.after : h.before
  const aimed = clusterIPs.get(ipOf(shown.dst))
  const aim = aimed ? serviceAnchor(places, aimed) : undefined
  const lost = h.step === 'drop' || h.step === 'reject'
  return (
    <>
      {aim ? (
        <svg className="packet-aim" width="1" height="1" aria-hidden="true">
          <motion.line x1={x} y1={y} x2={aim.x} y2={aim.y} />
        </svg>
      ) : null}
      <motion.div className={`packet packet-${h.phase}${lost ? ' packet-lost' : ''}`} style={{ x, y }} data-kind="packet" data-hop={hop} data-phase={h.phase} data-at={id}>
        <span className="packet-dot" aria-hidden="true" />
      </motion.div>
      {/* A point the label hangs from: its left edge there, or its right edge for a label aligned right. */}
      <motion.div className="packet-label-anchor" style={{ x: lx, y: ly }}>
        <span className={`packet-label packet-label-${label.align}`} data-kind="packet-label">
          {shown.proto} <Field value={shown.src} rewritten={done && h.before.src !== h.after.src} /> → <Field value={shown.dst} rewritten={done && h.before.dst !== h.after.dst} />
        </span>
      </motion.div>
    </>
  )
}
