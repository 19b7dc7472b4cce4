/**
 * Where the graph's view looks, as pure functions of the drawing, the pane and what must be seen. A view is React
 * Flow's viewport: a point of the graph at (gx, gy) is drawn at (gx * zoom + x, gy * zoom + y) in the pane.
 */

/** No text a student must read is drawn smaller than this on screen (px), from the back of a classroom. */
const LEGIBLE_PX = 16
/** The smallest font on the graph's cards, in graph units (the CSS keeps every card's text at least this size). */
const SMALLEST_GRAPH_FONT = 14
/** Below this zoom some card's text is smaller than LEGIBLE_PX: fitting never goes lower, the view pans instead. */
export const LEGIBLE_ZOOM = LEGIBLE_PX / SMALLEST_GRAPH_FONT
/** Fitting a small cluster on a big screen stops here: larger would only waste the room. */
export const MAX_FIT_ZOOM = 1.6

export interface Rect {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
}

export interface View {
  readonly x: number
  readonly y: number
  readonly zoom: number
}

export interface Size {
  readonly width: number
  readonly height: number
}

/** Margins of the pane kept clear (px): the zoom buttons on the left, a little air elsewhere. */
export interface Insets {
  readonly top: number
  readonly right: number
  readonly bottom: number
  readonly left: number
}

/** The smallest rectangle holding all of `rects` (undefined for none). */
export function union(rects: readonly Rect[]): Rect | undefined {
  if (rects.length === 0) return undefined
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const r of rects) {
    x0 = Math.min(x0, r.x)
    y0 = Math.min(y0, r.y)
    x1 = Math.max(x1, r.x + r.width)
    y1 = Math.max(y1, r.y + r.height)
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

/** The part of the pane (px) the view may use. */
const safe = (pane: Size, insets: Insets) => ({ width: Math.max(1, pane.width - insets.left - insets.right), height: Math.max(1, pane.height - insets.top - insets.bottom) })

/** The zoom that shows all of `bounds`, never below the legible floor nor above MAX_FIT_ZOOM. */
export function fitZoom(bounds: Rect, pane: Size, insets: Insets): number {
  const room = safe(pane, insets)
  const zoom = Math.min(room.width / Math.max(1, bounds.width), room.height / Math.max(1, bounds.height))
  return Math.min(MAX_FIT_ZOOM, Math.max(LEGIBLE_ZOOM, zoom))
}

/** Whether all of `bounds` fits the pane at `zoom`. */
export function fitsAt(bounds: Rect, pane: Size, insets: Insets, zoom: number): boolean {
  const room = safe(pane, insets)
  return bounds.width * zoom <= room.width + 0.5 && bounds.height * zoom <= room.height + 0.5
}

/**
 * The view to start from: the whole drawing centred when it fits at a legible zoom; else, at the legible zoom, its
 * top-left corner (the control plane, the first Services, the first Nodes), from where the view follows what happens.
 */
export function homeView(bounds: Rect, pane: Size, insets: Insets): View {
  const zoom = fitZoom(bounds, pane, insets)
  const room = safe(pane, insets)
  const fits = fitsAt(bounds, pane, insets, zoom)
  const x = fits || bounds.width * zoom <= room.width ? insets.left + (room.width - bounds.width * zoom) / 2 - bounds.x * zoom : insets.left - bounds.x * zoom
  const y = fits || bounds.height * zoom <= room.height ? insets.top + (room.height - bounds.height * zoom) / 2 - bounds.y * zoom : insets.top - bounds.y * zoom
  return { x, y, zoom }
}

/** One axis of `reveal`: the offset that brings [start, start + length) into [lo, hi), moving as little as possible. */
function shift(offset: number, start: number, length: number, lo: number, hi: number, preferEnd: boolean): number {
  const a = start + offset
  const b = a + length
  if (length > hi - lo) return preferEnd ? offset + (hi - b) : offset + (lo - a)
  if (a < lo) return offset + (lo - a)
  if (b > hi) return offset + (hi - b)
  return offset
}

/**
 * The view, at its own zoom, panned as little as possible so that `rect` (graph units) is inside the pane's safe
 * area and clear of `avoid` (pane px: the overview map). A rect too large to fit shows its start, or its end with
 * `preferEnd` (where the newest pods of a column are).
 */
export function reveal(view: View, rect: Rect, pane: Size, insets: Insets, options: { avoid?: readonly Rect[]; preferEnd?: boolean } = {}): View {
  const { zoom } = view
  const preferEnd = options.preferEnd ?? false
  let x = shift(view.x, rect.x * zoom, rect.width * zoom, insets.left, pane.width - insets.right, false)
  let y = shift(view.y, rect.y * zoom, rect.height * zoom, insets.top, pane.height - insets.bottom, preferEnd)
  for (const o of options.avoid ?? []) {
    const r = { x: rect.x * zoom + x, y: rect.y * zoom + y, width: rect.width * zoom, height: rect.height * zoom }
    const overlapX = r.x < o.x + o.width && o.x < r.x + r.width
    const overlapY = r.y < o.y + o.height && o.y < r.y + r.height
    if (!overlapX || !overlapY) continue
    // Move it left of the obstacle or above it, whichever is the smaller move that stays in the pane.
    const left = o.x - (r.x + r.width)
    const up = o.y - (r.y + r.height)
    const canLeft = r.x + left >= insets.left
    const canUp = r.y + up >= insets.top
    if (canLeft && (!canUp || -left <= -up)) x += left
    else if (canUp) y += up
  }
  return { x, y, zoom }
}

/**
 * The view kept on the drawing: never panned so far that empty space shows on a side while the drawing overflows the
 * other (a cluster that shrank leaves the view where it was, moved only as far as needed).
 */
export function clampToDrawing(view: View, bounds: Rect, pane: Size, insets: Insets): View {
  const axis = (offset: number, start: number, length: number, lo: number, hi: number) => {
    const a = start * view.zoom + offset
    const b = a + length * view.zoom
    if (length * view.zoom <= hi - lo) return offset + Math.min(Math.max(lo - a, 0), hi - b) // keep it inside
    if (a > lo) return offset - (a - lo)
    if (b < hi) return offset + (hi - b)
    return offset
  }
  return {
    zoom: view.zoom,
    x: axis(view.x, bounds.x, bounds.width, insets.left, pane.width - insets.right),
    y: axis(view.y, bounds.y, bounds.height, insets.top, pane.height - insets.bottom),
  }
}

/** Whether two views differ by more than a pixel or a hair of zoom (below that, moving is only jitter). */
export const moved = (a: View, b: View) => Math.abs(a.x - b.x) > 1 || Math.abs(a.y - b.y) > 1 || Math.abs(a.zoom - b.zoom) > 0.001
