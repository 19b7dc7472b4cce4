import { useReactFlow, useStoreApi } from '@xyflow/react'
import { useEffect, useRef } from 'react'
import type { Batch, SentRequest } from '../../store/trafficStore'
import { anchorOf, type Point } from './anchors'

/** Real ms a dot takes from one place to the next. */
const SEGMENT_MS = 300
/** How long a failed request's dot stays, red, where it was dropped or refused. */
const FAILED_MS = 600
const RADIUS = 5
const COLOR = '#c25e00'
const FAILED = '#b3261e'

interface Flight {
  readonly points: readonly Point[]
  readonly start: number
  readonly reused: boolean
  readonly ok: boolean
}

/** The places a request went, in flow coordinates, in order (repeats at one place merged), a little spread apart. */
function pathOf(flow: ReturnType<typeof useReactFlow>, r: SentRequest, external: boolean): Point[] {
  const out: { p: Point; at: string }[] = []
  const places = [...(external ? ['internet'] : []), ...r.result.hops.map((h) => h.at)]
  for (const at of places) {
    if (out.at(-1)?.at === at) continue
    const p = anchorOf(flow, at)
    if (p) out.push({ p, at })
  }
  // So that dots on one path do not hide each other.
  const dx = ((r.index * 37) % 17) - 8
  const dy = ((r.index * 53) % 13) - 6
  return out.map(({ p }) => ({ x: p.x + dx, y: p.y + dy }))
}

/** Where a flight is at `t`, or undefined once it is over. */
function positionAt(f: Flight, t: number): { p: Point; failed: boolean } | undefined {
  const travel = SEGMENT_MS * (f.points.length - 1)
  const elapsed = t - f.start
  if (elapsed >= travel) return !f.ok && elapsed < travel + FAILED_MS ? { p: f.points.at(-1)!, failed: true } : undefined
  const s = Math.max(0, elapsed) / SEGMENT_MS
  const i = Math.floor(s)
  const a = f.points[i]!
  const b = f.points[i + 1]!
  return { p: { x: a.x + (b.x - a.x) * (s - i), y: a.y + (b.y - a.y) * (s - i) }, failed: false }
}

/**
 * Every request of a batch as a dot running its path (client, nodes, pod and back), hundreds at once, drawn on one
 * canvas over the graph by one animation-frame loop: no DOM element, layer or React render per packet. The canvas
 * says how many are in flight (`data-in-flight`). A dot on a reused connection is hollow; a failed request's ends red.
 */
export function BatchDots({ batch, reduce }: { batch: Batch | undefined; reduce: boolean }) {
  const flow = useReactFlow()
  const rf = useStoreApi()
  const canvas = useRef<HTMLCanvasElement>(null)
  const flights = useRef<Flight[]>([])
  const drawn = useRef({ id: -1, count: 0 })
  const frame = useRef(0)
  /** Starts the drawing loop if it is not running (it stops by itself when nothing is in flight). */
  const wake = useRef<() => void>(() => undefined)

  useEffect(() => {
    const el = canvas.current
    if (!el) return
    const draw = () => {
      frame.current = 0
      const ctx = el.getContext('2d')
      if (!ctx) return
      const dpr = window.devicePixelRatio || 1
      const { width, height } = el.getBoundingClientRect()
      if (el.width !== Math.round(width * dpr) || el.height !== Math.round(height * dpr)) {
        el.width = Math.round(width * dpr)
        el.height = Math.round(height * dpr)
      }
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
      ctx.clearRect(0, 0, width, height)
      const [tx, ty, zoom] = rf.getState().transform
      const now = performance.now()
      const live: Flight[] = []
      ctx.lineWidth = 2
      for (const f of flights.current) {
        const at = positionAt(f, now)
        if (!at) continue
        live.push(f)
        const x = at.p.x * zoom + tx
        const y = at.p.y * zoom + ty
        ctx.beginPath()
        ctx.arc(x, y, RADIUS, 0, 2 * Math.PI)
        const color = at.failed ? FAILED : COLOR
        if (f.reused && !at.failed) {
          ctx.fillStyle = '#fff'
          ctx.fill()
          ctx.strokeStyle = color
          ctx.stroke()
        } else {
          ctx.fillStyle = color
          ctx.fill()
        }
      }
      if (el.dataset['inFlight'] !== String(live.length)) el.dataset['inFlight'] = String(live.length)
      flights.current = live
      if (live.length) frame.current = requestAnimationFrame(draw)
    }
    wake.current = () => {
      if (!frame.current) frame.current = requestAnimationFrame(draw)
    }
    return () => {
      cancelAnimationFrame(frame.current)
      frame.current = 0
    }
  }, [rf])

  useEffect(() => {
    if (!batch || batch.spec.count < 2) return
    if (drawn.current.id !== batch.id) drawn.current = { id: batch.id, count: 0 }
    const fresh = batch.sent.slice(drawn.current.count)
    drawn.current.count = batch.sent.length
    if (reduce || fresh.length === 0) return
    const now = performance.now()
    for (const r of fresh) {
      const points = pathOf(flow, r, batch.spec.from === 'external')
      if (points.length >= 2) flights.current.push({ points, start: now, reused: r.reused, ok: r.result.ok })
    }
    wake.current()
  }, [batch, flow, reduce])

  return <canvas className="batch-canvas" ref={canvas} data-kind="packets" data-in-flight="0" aria-hidden="true" />
}
