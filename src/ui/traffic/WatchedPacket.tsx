import { useReactFlow } from '@xyflow/react'
import { animate, motion, useMotionValue } from 'framer-motion'
import { useEffect, useState } from 'react'
import type { Hop } from '../../sim'
import { anchorOf, serviceAnchor, type Point } from './anchors'
import type { HopTiming } from './timing'
import { ipOf, useClusterIPs } from './useClusterIPs'
import { usePodNodes } from './usePodNodes'

/** One field of the packet's label: marked when this hop rewrote it. */
function Field({ value, rewritten }: { value: string; rewritten: boolean }) {
  return <span className={rewritten ? 'packet-field rewritten' : 'packet-field'}>{value}</span>
}

/**
 * The packet being watched, moving along the graph hop by hop: to where the hop happens, then (after the rule walk)
 * its header rewritten field by field. While its destination is a ClusterIP, a dashed line points at the Service: the
 * address it is sent to exists on no interface. Moves on motion values: the graph is never re-rendered per frame.
 */
export function WatchedPacket({ hops, hop, timing, reduce, external }: { hops: readonly Hop[]; hop: number; timing: HopTiming; reduce: boolean; external: boolean }) {
  const flow = useReactFlow()
  const x = useMotionValue(0)
  const y = useMotionValue(0)
  const [rewritten, setRewritten] = useState({ hops, hop, done: false })
  const h = hops[hop]!
  const done = rewritten.hops === hops && rewritten.hop === hop && rewritten.done
  const clusterIPs = useClusterIPs()
  const nodeOf = usePodNodes()
  useEffect(() => {
    const to = anchorOf(flow, h.at, nodeOf)
    const first = hop === 0
    const from: Point | undefined = first ? (external ? anchorOf(flow, 'internet') : to) : undefined
    if (from) {
      x.set(from.x)
      y.set(from.y)
    }
    const controls = to && !reduce ? [animate(x, to.x, { duration: timing.travel / 1000, ease: 'easeInOut' }), animate(y, to.y, { duration: timing.travel / 1000, ease: 'easeInOut' })] : []
    if (to && reduce) {
      x.set(to.x)
      y.set(to.y)
    }
    const timer = setTimeout(() => setRewritten({ hops, hop, done: true }), reduce ? 0 : timing.rewriteAt)
    return () => {
      for (const c of controls) c.stop()
      clearTimeout(timer)
    }
    // nodeOf changes as pods do; the packet need not move for that.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [flow, hops, hop, h.at, timing, reduce, external, x, y])
  const shown = done ? h.after : h.before
  const aimed = clusterIPs.get(ipOf(shown.dst))
  const aim = aimed ? serviceAnchor(flow, aimed) : undefined
  return (
    <>
      {aim ? (
        <svg className="packet-aim" width="1" height="1" aria-hidden="true">
          <motion.line x1={x} y1={y} x2={aim.x} y2={aim.y} />
        </svg>
      ) : null}
      <motion.div className={`packet packet-${h.phase}${h.step === 'drop' || h.step === 'reject' ? ' packet-lost' : ''}`} style={{ x, y }} data-kind="packet" data-hop={hop} data-phase={h.phase}>
        <span className="packet-dot" aria-hidden="true" />
        <span className="packet-label">
          {shown.proto} <Field value={shown.src} rewritten={done && h.before.src !== h.after.src} /> → <Field value={shown.dst} rewritten={done && h.before.dst !== h.after.dst} />
        </span>
      </motion.div>
    </>
  )
}
