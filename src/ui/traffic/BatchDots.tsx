import { useStoreApi } from '@xyflow/react'
import { useEffect, useRef } from 'react'
import type { Batch, SentRequest } from '../../store/trafficStore'
import { usePlaces } from '../graph/placesContext'
import { anchorOf, placeOf, type Places, type Point } from './anchors'
import { usePodNodes } from './usePodNodes'

/** Real ms a dot takes from one place to the next. */
const SEGMENT_MS = 300
/** How long a failed request's dot stays, red, where it was dropped or refused. */
const FAILED_MS = 600
const RADIUS = 5
/** As the watched packet: a DNS query blue, the request orange, the reply green. */
const COLORS = { dns: '#2456c8', request: '#c25e00', reply: '#1b7f3a' } as const
const FAILED = '#b3261e'

interface Flight {
  readonly points: readonly Point[]
  /** The colour of each leg (leg i goes from point i to point i + 1). */
  readonly colors: readonly string[]
  readonly start: number
  readonly reused: boolean
  readonly ok: boolean
}

/**
 * The places a request went, in flow coordinates, in order (repeats at one place merged). Dots are spread so they
 * do not hide each other: a little around a pod's edge, and along the whole top of a Node (not in one pile at its
 * middle), each request at its own place along it.
 */
function pathOf(places: Places, r: SentRequest, external: boolean, nodeOf: (pod: string) => string | undefined): { points: Point[]; colors: string[] } {
  const out: { p: Point; at: string; color: string }[] = []
  const stops = [...(external ? [{ at: 'internet', phase: 'request' as const }] : []), ...r.result.hops]
  const along = (((r.index * 0.618034) % 1) - 0.5) * 0.8
  for (const { at, phase } of stops) {
    if (out.at(-1)?.at === at) continue
    const p = anchorOf(places, at, nodeOf)
    if (!p) continue
    const id = placeOf(places, at, nodeOf) ?? ''
    const wide = id.startsWith('node:') || id === 'more:nodes'
    const dx = wide ? along * (places.rects.get(id)?.width ?? 0) : ((r.index * 37) % 9) - 4
    const dy = ((r.index * 53) % 13) - 6
    out.push({ p: { x: p.x + dx, y: p.y + dy }, at, color: COLORS[phase] })
  }
  return { points: out.map(({ p }) => p), colors: out.slice(1).map((o) => o.color) }
}

/** Where a flight is at `t`, or undefined once it is over. */
function positionAt(f: Flight, t: number): { p: Point; color: string; failed: boolean } | undefined {
  const travel = SEGMENT_MS * (f.points.length - 1)
  const elapsed = t - f.start
  if (elapsed >= travel) return !f.ok && elapsed < travel + FAILED_MS ? { p: f.points.at(-1)!, color: FAILED, failed: true } : undefined
  const s = Math.max(0, elapsed) / SEGMENT_MS
  const i = Math.floor(s)
  const a = f.points[i]!
  const b = f.points[i + 1]!
  return { p: { x: a.x + (b.x - a.x) * (s - i), y: a.y + (b.y - a.y) * (s - i) }, color: f.colors[i]!, failed: false }
}

/**
 * Every request of a batch as a dot running its path (client, nodes, pod and back), hundreds at once, drawn on one
 * canvas over the graph by one animation-frame loop: no DOM element, layer or React render per packet. The canvas
 * says how many are in flight (`data-in-flight`). Dots are coloured by phase (DNS, request, reply) as the watched
 * packet is; a dot on a reused connection is hollow; a failed request's ends red where it was lost.
 */
export function BatchDots({ batch, reduce }: { batch: Batch | undefined; reduce: boolean }) {
  const places = usePlaces()
  const nodeOf = usePodNodes()
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
    // The canvas's size is watched, not read in the loop: a layout query per frame is what the loop must not cost.
    let width = 0
    let height = 0
    const resized = new ResizeObserver(([entry]) => {
      width = entry!.contentRect.width
      height = entry!.contentRect.height
      const dpr = window.devicePixelRatio || 1
      el.width = Math.round(width * dpr)
      el.height = Math.round(height * dpr)
    })
    resized.observe(el)
    const draw = () => {
      frame.current = 0
      const ctx = el.getContext('2d')
      if (!ctx) return
      const dpr = el.width / Math.max(1, width)
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
        if (f.reused && !at.failed) {
          ctx.fillStyle = '#fff'
          ctx.fill()
          ctx.strokeStyle = at.color
          ctx.stroke()
        } else {
          ctx.fillStyle = at.color
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
      resized.disconnect()
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
      const { points, colors } = pathOf(places, r, batch.spec.from === 'external', nodeOf)
      if (points.length >= 2) flights.current.push({ points, colors, start: now, reused: r.reused, ok: r.result.ok })
    }
    wake.current()
    // nodeOf changes as pods do: a path is read when its request is sent, not redrawn.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [batch, places, reduce])

  return <canvas className="batch-canvas" ref={canvas} data-kind="packets" data-in-flight="0" aria-hidden="true" />
}
