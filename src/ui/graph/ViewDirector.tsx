import { MiniMap, useReactFlow, useStore as useFlowStore, type Node } from '@xyflow/react'
import { useReducedMotion } from 'framer-motion'
import { useEffect, useRef } from 'react'
import { clampToDrawing, fitsAt, fitZoom, homeView, LEGIBLE_ZOOM, moved, reveal, union, type Insets, type Rect, type View } from './camera'

/** The pane's margins the view keeps clear: a little air on every side. */
const INSETS: Insets = { top: 16, right: 16, bottom: 16, left: 16 }
/** The overview map's box in the pane's bottom-right corner (React Flow's default size and margin). */
const MINIMAP = { width: 200, height: 150, margin: 15 }

/** Something the view should show now; `key` changes when it is asked again (the same rect asked twice is shown once). */
export interface Focus {
  readonly key: string
  /** The card it is about, when there is one: a relayout that moves the card moves the view with it. */
  readonly id?: string
  readonly rect: Rect
}

interface DirectorProps {
  /** Every drawn card's rectangle (graph units), and the drawing's extent. */
  readonly rects: ReadonlyMap<string, Rect>
  readonly bounds: Rect
  /** How many pods each summary card counts: one that grows is new pods, as a new card is. */
  readonly summaryCounts: ReadonlyMap<string, number>
  /** Where the watched packet is (its card and label). */
  readonly packet?: Focus
  /** An object selected from outside the graph (the event list, a related link): brought into view. */
  readonly selected?: Focus
  /** Changes when the user asks for the whole cluster (the fit button). */
  readonly home: number
  /**
   * Whether the user has panned or zoomed since the view last took over: it then stops following growth and the
   * packet, until the fit button (which calls `reset`) or a new packet. `moves` counts the user's moves so far.
   */
  readonly user: { readonly moved: () => boolean; readonly reset: () => void; readonly moves: () => number }
  /** The overview map is asked for (it covers a corner of the graph, so it is shown only on request). */
  readonly overview: boolean
  /** Told whether the cluster fits the view (the overview button is offered only when it does not). */
  readonly onFits: (fits: boolean) => void
}

const selectWidth = (s: { width: number }) => s.width
const selectHeight = (s: { height: number }) => s.height

/** The overview map's box in pane pixels, which the view keeps what matters clear of. */
const minimapBox = (pane: { width: number; height: number }): Rect => ({
  x: pane.width - MINIMAP.width - 2 * MINIMAP.margin,
  y: pane.height - MINIMAP.height - 2 * MINIMAP.margin,
  width: MINIMAP.width + 2 * MINIMAP.margin,
  height: MINIMAP.height + 2 * MINIMAP.margin,
})

/** A view at a new zoom keeping the graph point under the pane's centre where it is. */
function rezoom(v: View, zoom: number, pane: { width: number; height: number }): View {
  const cx = pane.width / 2
  const cy = pane.height / 2
  return { zoom, x: cx - ((cx - v.x) * zoom) / v.zoom, y: cy - ((cy - v.y) * zoom) / v.zoom }
}

/**
 * Decides where the graph's view looks. The whole cluster when it fits at a zoom where every card's text stays
 * legible (LEGIBLE_ZOOM), centred; when it does not, the view stays at that zoom and pans instead, following what
 * matters: new and replacement pods as they appear, the watched packet hop by hop, an object selected from a list.
 * Each move is the least pan that shows it, clear of the overview map. A user who pans or zooms takes over until the
 * fit button (or a new packet) hands control back. The overview map, when asked for, covers a corner: what the view
 * follows is kept clear of it.
 */
export function ViewDirector({ rects, bounds, summaryCounts, packet, selected, home, user, overview, onFits }: DirectorProps) {
  const flow = useReactFlow()
  const reduce = useReducedMotion()
  const width = useFlowStore(selectWidth)
  const height = useFlowStore(selectHeight)
  const pane = { width, height }
  const started = useRef(false)
  const shownHome = useRef(home)
  /** The pods and summary cards drawn when the view last looked, with their counts: what is new is what to show. */
  const known = useRef(new Map<string, number>())
  const target = useRef<{ view: View; moves: number } | undefined>(undefined)
  /**
   * What the view last went to show (new pods, an object from a list), kept in view while the layout moves under it
   * (more slices push the Nodes down), until something else comes up or the user takes over.
   */
  const sticky = useRef<{ readonly all: readonly string[]; readonly must: string } | undefined>(undefined)
  const shownSelection = useRef<string | undefined>(undefined)
  const fits = width > 0 && fitsAt(bounds, pane, INSETS, fitZoom(bounds, pane, INSETS))
  const shown = overview && !fits && width > 0
  const avoid = shown ? [minimapBox(pane)] : []
  useEffect(() => onFits(fits), [fits, onFits])
  const extent = `${bounds.x},${bounds.y},${bounds.width},${bounds.height}`
  useEffect(() => {
    if (width <= 0 || height <= 0) return
    const seen = new Map<string, number>()
    for (const id of rects.keys()) if (id.startsWith('pod:') || id.startsWith('more:')) seen.set(id, summaryCounts.get(id) ?? 1)
    const added = started.current ? [...seen].filter(([id, n]) => (known.current.get(id) ?? 0) < n).map(([id]) => id) : []
    known.current = seen
    // Where the view is going (the last move asked for, which may still be under way) unless the user moved it since:
    // a view read in the middle of a move would make the next move stop there.
    const current = target.current && target.current.moves === user.moves() ? target.current.view : flow.getViewport()
    let v: View = current
    const goHome = !started.current || shownHome.current !== home
    started.current = true
    shownHome.current = home
    if (goHome) {
      user.reset()
      sticky.current = undefined
      v = homeView(bounds, pane, INSETS)
    } else if (!user.moved()) {
      const zoom = fitZoom(bounds, pane, INSETS)
      if (fitsAt(bounds, pane, INSETS, zoom)) v = homeView(bounds, pane, INSETS)
      else v = clampToDrawing(Math.abs(v.zoom - zoom) > 0.001 && v.zoom < LEGIBLE_ZOOM ? rezoom(v, zoom, pane) : v, bounds, pane, INSETS)
      if (added.length) sticky.current = { all: added, must: added.at(-1)! }
      if (packet) {
        sticky.current = undefined
        v = reveal(v, packet.rect, pane, INSETS, { avoid })
      } else if (sticky.current) {
        // As many of them as fit, and the one that matters most whatever happens (new pods are added at the bottom
        // of columns, the newest last).
        const all = union(sticky.current.all.flatMap((id) => rects.get(id) ?? []))
        const must = rects.get(sticky.current.must)
        if (all && must) v = reveal(reveal(v, all, pane, INSETS, { avoid, preferEnd: true }), must, pane, INSETS, { avoid })
      }
    } else sticky.current = undefined
    // An object picked from a list is shown once, when picked, whatever the user did with the view.
    if (selected && selected.key !== shownSelection.current) {
      v = reveal(v, selected.rect, pane, INSETS, { avoid })
      sticky.current = selected.id ? { all: [selected.id], must: selected.id } : undefined
    }
    shownSelection.current = selected?.key
    if (moved(v, current)) void flow.setViewport(v, { duration: reduce || goHome ? 0 : 300, interpolate: 'linear' })
    target.current = { view: v, moves: user.moves() }
    // Keyed on what changed (the cards, the pane, the packet's place, the selection), not on objects rebuilt with
    // every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rects, extent, width, height, packet?.key, selected?.key, home, shown, flow, reduce])
  if (!shown) return null
  return <MiniMap pannable zoomable position="bottom-right" nodeColor={minimapColor} nodeStrokeWidth={0} maskColor="rgba(20, 23, 31, 0.12)" ariaLabel="Overview of the cluster" />
}

const MINIMAP_COLORS: Partial<Record<string, string>> = { node: '#c9d1de', pod: '#1b7f3a', service: '#2456c8', endpointslice: '#6a51a3', controlPlane: '#3d4452', external: '#8a5a00', summary: '#5b6270' }
const minimapColor = (n: Node) => MINIMAP_COLORS[n.type ?? ''] ?? '#9aa4b5'
