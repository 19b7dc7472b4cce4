import { describe, expect, it } from 'vitest'
import { clampToDrawing, fitZoom, fitsAt, homeView, LEGIBLE_ZOOM, MAX_FIT_ZOOM, reveal, union } from './camera'

const pane = { width: 900, height: 600 }
const insets = { top: 10, right: 10, bottom: 10, left: 10 }
/** Where a graph rectangle lands on the pane under a view. */
const onScreen = (v: { x: number; y: number; zoom: number }, r: { x: number; y: number; width: number; height: number }) => ({ x: r.x * v.zoom + v.x, y: r.y * v.zoom + v.y, width: r.width * v.zoom, height: r.height * v.zoom })

describe('where the graph looks', () => {
  it('fits a small cluster whole, centred, but never larger than the cap', () => {
    const small = { x: 0, y: 0, width: 300, height: 200 }
    expect(fitZoom(small, pane, insets)).toBe(MAX_FIT_ZOOM)
    const v = homeView(small, pane, insets)
    const r = onScreen(v, small)
    expect(r.x - insets.left).toBeCloseTo(pane.width - insets.right - (r.x + r.width))
  })

  it('never fits below the zoom at which card text stays legible: a large cluster is shown from its top-left corner instead', () => {
    const large = { x: 0, y: 0, width: 3000, height: 2000 }
    expect(fitZoom(large, pane, insets)).toBe(LEGIBLE_ZOOM)
    expect(fitsAt(large, pane, insets, LEGIBLE_ZOOM)).toBe(false)
    const v = homeView(large, pane, insets)
    expect(v).toEqual({ x: insets.left, y: insets.top, zoom: LEGIBLE_ZOOM })
  })

  it('pans as little as it can to bring something into view, and not at all when it is in view', () => {
    const v = { x: 0, y: 0, zoom: 1 }
    const seen = { x: 100, y: 100, width: 50, height: 50 }
    expect(reveal(v, seen, pane, insets)).toEqual(v)
    const below = { x: 100, y: 900, width: 50, height: 50 }
    const moved = reveal(v, below, pane, insets)
    expect(moved.x).toBe(0)
    expect(onScreen(moved, below).y + 50).toBeCloseTo(pane.height - insets.bottom)
  })

  it('shows the end of something too tall when asked (the newest pods are at the bottom), its start otherwise', () => {
    const tall = { x: 0, y: 0, width: 100, height: 5000 }
    const v = { x: 0, y: 0, zoom: 1 }
    expect(onScreen(reveal(v, tall, pane, insets), tall).y).toBe(insets.top)
    const end = onScreen(reveal(v, tall, pane, insets, { preferEnd: true }), tall)
    expect(end.y + end.height).toBeCloseTo(pane.height - insets.bottom)
  })

  it('keeps what it shows clear of the overview map, moving it left or up', () => {
    const map = { x: 670, y: 400, width: 230, height: 200 }
    const v = reveal({ x: 0, y: 0, zoom: 1 }, { x: 700, y: 500, width: 100, height: 50 }, pane, insets, { avoid: [map] })
    const r = onScreen(v, { x: 700, y: 500, width: 100, height: 50 })
    const clear = r.x + r.width <= map.x || r.y + r.height <= map.y
    expect(clear).toBe(true)
  })

  it('after the cluster shrinks, moves the view back onto it only as far as needed', () => {
    const bounds = { x: 0, y: 0, width: 2000, height: 2000 }
    const lost = { x: -5000, y: 0, zoom: 1 }
    const back = clampToDrawing(lost, bounds, pane, insets)
    expect(onScreen(back, bounds).x + 2000).toBeCloseTo(pane.width - insets.right)
    const fine = { x: -300, y: -300, zoom: 1 }
    expect(clampToDrawing(fine, bounds, pane, insets)).toEqual(fine)
  })

  it('joins rectangles into the one holding them all', () => {
    expect(union([])).toBeUndefined()
    expect(union([{ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: -5, width: 5, height: 5 }])).toEqual({ x: 0, y: -5, width: 25, height: 15 })
  })
})
