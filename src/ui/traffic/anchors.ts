import type { Rect } from '../graph/camera'

export interface Point {
  readonly x: number
  readonly y: number
}

/** What the graph draws, as the packets need it: each card's rectangle, and the card a pod not drawn is counted in. */
export interface Places {
  readonly rects: ReadonlyMap<string, Rect>
  readonly summarised: ReadonlyMap<string, string>
}

/** The graph id of the place a hop is at ("ns/pod", a Node's name, "internet", "load balancer"), before fallbacks. */
const idOf = (at: string) => (at === 'internet' ? 'ext:internet' : at === 'load balancer' ? 'ext:lb' : at.includes('/') ? `pod:${at}` : `node:${at}`)

/**
 * The card that stands for where a hop happens: the pod's own card; else the summary card it is counted in; else
 * (its namespace hidden) its Node, where it runs, given `nodeOf`; a Node past the drawn ones, the Nodes' summary.
 * Undefined when the place is not drawn at all (a pod gone).
 */
export function placeOf(places: Places, at: string, nodeOf?: (pod: string) => string | undefined): string | undefined {
  const drawn = (id: string) => (places.rects.has(id) ? id : places.summarised.get(id))
  const id = drawn(idOf(at))
  if (id || !at.includes('/') || !nodeOf) return id
  const node = nodeOf(at)
  return node ? drawn(`node:${node}`) : undefined
}

/** Where the packet's dot sits at a card: a pod's left edge (where its endpoint edge enters), a Node's top edge (its kernel, where the pod network and the outside world meet it), the outside world's left edge (where its lines leave). */
export function dotAt(id: string, r: Rect): Point {
  if (id.startsWith('node:') || id === 'more:nodes') return { x: r.x + r.width / 2, y: r.y }
  return { x: r.x, y: r.y + r.height / 2 }
}

/** Where a hop happens in the graph (flow coordinates), or undefined when it is not drawn. */
export function anchorOf(places: Places, at: string, nodeOf?: (pod: string) => string | undefined): Point | undefined {
  const id = placeOf(places, at, nodeOf)
  const r = id ? places.rects.get(id) : undefined
  return id && r ? dotAt(id, r) : undefined
}

/** About how wide the packet's label is at most, in graph units ("tcp 10.244.12.34:45678 → 10.96.123.45:65535" at 14 px). */
const LABEL_WIDTH = 380
/** How tall it is, and how far above the card it stands. */
const LABEL_HEIGHT = 21
const LABEL_LIFT = 2

/**
 * Where the packet's label goes at a card: just above it, in the gap every card has above it (between pods, above a
 * Node, above the outside world's boxes), so that it never covers the card's own name. Its left edge at the card's,
 * or its right edge at the card's right when it would otherwise run over the outside world's boxes.
 */
export function labelAt(places: Places, id: string): { readonly x: number; readonly y: number; readonly align: 'left' | 'right' } | undefined {
  const r = places.rects.get(id)
  if (!r) return undefined
  const y = r.y - LABEL_LIFT - LABEL_HEIGHT
  const internet = places.rects.get('ext:internet')
  const crosses = internet !== undefined && !id.startsWith('ext:') && r.x + LABEL_WIDTH > internet.x
  return crosses ? { x: r.x + r.width, y, align: 'right' } : { x: r.x, y, align: 'left' }
}

/** The part of the graph to keep in view while the packet is at a card: the card and its label. */
export function packetFocus(places: Places, id: string): Rect | undefined {
  const r = places.rects.get(id)
  const label = labelAt(places, id)
  if (!r || !label) return undefined
  const x = label.align === 'left' ? r.x : r.x + r.width - LABEL_WIDTH
  const x0 = Math.min(r.x, x)
  return { x: x0, y: label.y, width: Math.max(r.x + r.width, x + LABEL_WIDTH) - x0, height: r.y + Math.min(r.height, 120) - label.y }
}

/** Where a Service's card is: a packet addressed to its ClusterIP points there (the address lives on no interface). */
export function serviceAnchor(places: Places, service: string): Point | undefined {
  const r = places.rects.get(`svc:${service}`)
  return r ? { x: r.x + r.width / 2, y: r.y + r.height } : undefined
}
