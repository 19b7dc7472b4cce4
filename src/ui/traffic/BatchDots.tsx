import { useReactFlow } from '@xyflow/react'
import { useEffect, useRef } from 'react'
import type { Batch, SentRequest } from '../../store/trafficStore'
import { anchorOf, type Point } from './anchors'

/** Real ms a dot takes from one place to the next. */
const SEGMENT_MS = 260
const COLORS = { dns: '#2456c8', request: '#c25e00', reply: '#1b7f3a' } as const

/** The places a request went, in order, with the phase it was in on the way to each (repeats at one place merged). */
function pathOf(flow: ReturnType<typeof useReactFlow>, r: SentRequest, external: boolean): { p: Point; color: string }[] {
  const out: { p: Point; color: string; at: string }[] = []
  if (external) {
    const p = anchorOf(flow, 'internet')
    if (p) out.push({ p, color: COLORS.request, at: 'internet' })
  }
  for (const h of r.result.hops) {
    if (out.at(-1)?.at === h.at) continue
    const p = anchorOf(flow, h.at)
    if (p) out.push({ p, color: COLORS[h.phase], at: h.at })
  }
  return out
}

/**
 * Every request of a batch as a dot running its path (client, nodes, pod and back), many at once. Each dot is a DOM
 * element moved by the browser's animation engine (Web Animations, transforms only) and removed when it arrives: no
 * React render per packet or per frame. A dot on a reused connection is hollow; one whose request failed ends red.
 */
export function BatchDots({ batch, reduce }: { batch: Batch | undefined; reduce: boolean }) {
  const flow = useReactFlow()
  const box = useRef<HTMLDivElement>(null)
  const drawn = useRef({ id: -1, count: 0 })
  useEffect(() => {
    const el = box.current
    if (!el || !batch || batch.spec.count < 2) return
    if (drawn.current.id !== batch.id) drawn.current = { id: batch.id, count: 0 }
    const fresh = batch.sent.slice(drawn.current.count)
    drawn.current.count = batch.sent.length
    if (reduce) return
    for (const r of fresh) {
      const path = pathOf(flow, r, batch.spec.from === 'external')
      if (path.length < 2) continue
      // A little spread, so that dots on one path do not hide each other.
      const dx = ((r.index * 37) % 17) - 8
      const dy = ((r.index * 53) % 13) - 6
      const dot = document.createElement('span')
      dot.className = `batch-dot${r.reused ? ' reused' : ''}`
      dot.dataset['kind'] = 'packet'
      el.appendChild(dot)
      const frames: Keyframe[] = path.map(({ p, color }) => ({ transform: `translate(${p.x + dx}px, ${p.y + dy}px)`, ...(r.reused ? { borderColor: color } : { backgroundColor: color }) }))
      if (!r.result.ok) frames.push({ ...frames.at(-1)!, ...(r.reused ? { borderColor: '#b3261e' } : { backgroundColor: '#b3261e' }) })
      const animation = dot.animate(frames, { duration: SEGMENT_MS * (frames.length - 1), easing: 'linear', fill: 'forwards' })
      animation.onfinish = () => dot.remove()
    }
  }, [batch, flow, reduce])
  // Dots of a batch still running when the layer goes are removed with it.
  useEffect(() => {
    const el = box.current
    return () => el?.replaceChildren()
  }, [])
  return <div className="batch-dots" ref={box} aria-hidden="true" />
}
