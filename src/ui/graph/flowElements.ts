import { Position, type Edge, type Node, type NodeHandle } from '@xyflow/react'
import type { GraphEdge, GraphNode } from './graphTypes'

/** What a click or Enter on a card selects, by card type. */
export const SELECTABLE: Partial<Record<GraphNode['type'], 'Pod' | 'Node' | 'Service' | 'EndpointSlice'>> = { pod: 'Pod', node: 'Node', service: 'Service', endpointslice: 'EndpointSlice' }

/**
 * Drawing order, set by hand: Nodes at the back, then edges, then pods over the edges that reach them, then the
 * Services and slices (an edge from an upper row of Services passes under the cards below it, not over their text).
 */
const Z: Record<GraphNode['type'], number> = { node: 0, pod: 2, summary: 2, service: 3, endpointslice: 3, controlPlane: 3, external: 3 }
const EDGE_Z = 1

/**
 * Where edges attach, given up front with the node's size: React Flow would otherwise measure both from the DOM after
 * every change of the node object, and until then draw its edges not at all (they would blink, and replay their
 * entrance).
 */
function handlesOf(n: GraphNode): NodeHandle[] {
  const { width: w, height: h } = n
  const bottom: NodeHandle = { type: 'source', position: Position.Bottom, x: w / 2, y: h }
  if (n.type === 'pod') return [{ type: 'target', position: Position.Left, x: 0, y: h / 2 }]
  if (n.type === 'summary' && n.data.kind === 'summary' && n.data.of === 'slices') return [{ type: 'target', position: Position.Top, x: w / 2, y: 0 }, bottom]
  if (n.type === 'summary') return [{ type: 'target', position: Position.Left, x: 0, y: h / 2 }]
  if (n.type === 'endpointslice') return [{ type: 'target', position: Position.Top, x: w / 2, y: 0 }, bottom]
  if (n.type === 'service') return [bottom]
  if (n.type === 'node') return [{ type: 'target', position: Position.Top, x: w / 2, y: 0 }]
  if (n.type === 'external') return [{ type: 'source', position: Position.Left, x: 0, y: h / 2 }, { type: 'source', position: Position.Bottom, x: w / 2, y: h }, { type: 'target', position: Position.Top, x: w / 2, y: 0 }]
  return []
}

function flowNode(n: GraphNode, data: Record<string, unknown>, selected: boolean): Node {
  return {
    id: n.id, type: n.type, position: n.position, data, handles: handlesOf(n),
    width: n.width, height: n.height, measured: { width: n.width, height: n.height }, draggable: false, selected, zIndex: Z[n.type],
    // Only what can be selected takes a tab stop.
    ...(SELECTABLE[n.type] ? {} : { focusable: false, selectable: false }),
    ...(n.parentId ? { parentId: n.parentId, extent: 'parent' as const } : {}),
  }
}

/**
 * React Flow re-renders a node whose object changed, and recomputes every child of a group whose object changed. So a
 * node that shows the same thing in the same place keeps its previous object (pods compare by their data object, the
 * few others by content), and when no node changed the previous array itself is returned, so React Flow does no work
 * at all. One graph is drawn at a time, so one cache serves.
 */
let flowCache = new Map<string, { data: object; sig: string; key: string; node: Node }>()
let lastNodes: Node[] = []

/** The React Flow nodes for the model, the same objects for cards that draw the same; `dataOf` adds live details. */
export function stableNodes(model: readonly GraphNode[], selectedId: string | undefined, dataOf: (n: GraphNode) => object): Node[] {
  const next = new Map<string, { data: object; sig: string; key: string; node: Node }>()
  let changed = model.length !== lastNodes.length
  const out = model.map((n, i) => {
    const data = dataOf(n) as Record<string, unknown>
    const key = `${n.parentId}|${n.position.x},${n.position.y}|${n.width}x${n.height}|${n.id === selectedId}`
    const old = flowCache.get(n.id)
    // A pod's data is the same object while it draws the same (its live details make a new one).
    const sig = n.type === 'pod' ? '' : JSON.stringify(data)
    const same = old !== undefined && old.key === key && (n.type === 'pod' ? old.data === data : old.sig === sig)
    const entry = same ? old : { data, sig, key, node: flowNode(n, data, n.id === selectedId) }
    next.set(n.id, entry)
    if (entry.node !== lastNodes[i]) changed = true
    return entry.node
  })
  flowCache = next
  if (changed) lastNodes = out
  return lastNodes
}

function flowEdge(e: GraphEdge): Edge {
  if (e.external) return { id: e.id, source: e.source, target: e.target, type: 'external', focusable: false, zIndex: EDGE_Z, className: `external-edge external-${e.external.via}`, data: e.external }
  if (!e.condition) return { id: e.id, source: e.source, target: e.target, className: 'service-edge', focusable: false, zIndex: EDGE_Z }
  return {
    id: e.id, source: e.source, target: e.target, type: 'endpoint', focusable: false, zIndex: EDGE_Z,
    className: `endpoint endpoint-${e.gone ? 'gone' : e.condition}`,
    ...(e.entry ? { data: { entry: e.entry } } : {}),
  }
}

/**
 * The edges as React Flow objects, the same object for an edge that draws the same as before: a new one would make
 * React Flow re-render that edge, and every endpoint edge would be re-rendered after every change of any slice.
 */
let edgeCache = new Map<string, { sig: string; edge: Edge }>()

/** The React Flow edges for the model, the same objects for edges that draw the same. */
export function stableEdges(model: readonly GraphEdge[]): Edge[] {
  const next = new Map<string, { sig: string; edge: Edge }>()
  const out = model.map((e) => {
    const sig = `${e.source}|${e.target}|${e.condition}|${e.gone}|${e.entry?.x},${e.entry?.y}|${e.external?.points.map((p) => `${p.x},${p.y}`).join(' ')}`
    const old = edgeCache.get(e.id)
    const entry = old?.sig === sig ? old : { sig, edge: flowEdge(e) }
    next.set(e.id, entry)
    return entry.edge
  })
  edgeCache = next
  return out
}
