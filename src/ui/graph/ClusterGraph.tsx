import { Background, Controls, MiniMap, Position, ReactFlow, useReactFlow, useStore as useFlowStore, type Edge, type Node, type NodeChange, type NodeHandle } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useCallback, useEffect, useMemo, useRef } from 'react'
import { useReducedMotion } from 'framer-motion'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'
import { PacketLayer } from '../traffic/PacketLayer'
import { EndpointEdge } from './edges/EndpointEdge'
import { graphModel, type GraphEdge, type GraphNode } from './graphModel'
import { ControlPlaneNode } from './nodes/ControlPlaneNode'
import { ExternalNode } from './nodes/ExternalNode'
import { KubeNodeGroup } from './nodes/KubeNodeGroup'
import { PodNode } from './nodes/PodNode'
import { ServiceNode } from './nodes/ServiceNode'
import { SliceNode } from './nodes/SliceNode'
import { useDepartures } from './useDepartures'

// Defined once, outside any component: React Flow re-mounts every node when nodeTypes changes identity.
const nodeTypes = { pod: PodNode, node: KubeNodeGroup, service: ServiceNode, endpointslice: SliceNode, controlPlane: ControlPlaneNode, external: ExternalNode }
const edgeTypes = { endpoint: EndpointEdge }

/**
 * Drawing order, set by hand: Nodes at the back, then edges, then pods over the edges that reach them, then the
 * Services and slices (an edge from an upper row of Services passes under the cards below it, not over their text).
 */
const Z: Record<GraphNode['type'], number> = { node: 0, pod: 2, service: 3, endpointslice: 3, controlPlane: 3, external: 3 }
const EDGE_Z = 1

/** How long a deleted pod and a removed endpoint take to fade out (real ms). */
const FADE_MS = 1200

/** How long after its event a component stays lit (virtual ms): long enough to follow at 1x. */
const LIT_MS = 800

/** The component an event's actor belongs to: a control-plane part, or a node's kubelet or kube-proxy. */
function componentOf(actor: string): string | undefined {
  if (actor === 'API server' || actor === 'etcd') return actor
  if (actor === 'default-scheduler') return 'scheduler'
  if (actor.endsWith('-controller') || actor === 'garbage-collector' || actor === 'service-controller') return 'controller manager'
  if (actor.startsWith('kubelet/') || actor.startsWith('kube-proxy/')) return actor
  return undefined
}

const selectSim = (s: SimulationStore) => s.sim
/**
 * Who acted in the last moment, as one string: lights the control plane's parts and each node's kubelet and
 * kube-proxy. A string, so that the graph re-renders when the set changes, not on every frame as time passes.
 */
const selectActive = (s: SimulationStore) => {
  const lit = new Set<string>()
  // Run on every store update (each frame): reads only the events of the last moment, not a fixed window.
  for (const e of s.sim.eventsSince(s.state.now - LIT_MS, { writes: true })) {
    // The API server records every write; the user's light it and etcd, as the commands' own events used to.
    if (e.write) {
      if (e.write.by === 'kubectl') lit.add('API server').add('etcd')
      continue
    }
    const c = componentOf(e.actor)
    if (c) lit.add(c)
  }
  return [...lit].sort().join('|')
}

// Props handed to React Flow keep their identity: a new object or function makes it update its whole store, and
// every node and edge re-checks what it shows. The fit leaves room on the left for the zoom controls.
const FIT_VIEW_OPTIONS = { padding: { top: '16px', left: '52px', right: '16px', bottom: '16px' } } as const
const PRO_OPTIONS = { hideAttribution: true }
// The parts of the state the graph draws: time passing alone changes none of them.
const selectPods = (s: SimulationStore) => s.state.pods
const selectServices = (s: SimulationStore) => s.state.services
const selectSlices = (s: SimulationStore) => s.state.endpointSlices
const selectNodes = (s: SimulationStore) => s.state.nodes
const selectProxies = (s: SimulationStore) => s.state.proxies

/**
 * Where edges attach, given up front with the node's size: React Flow would otherwise measure both from the DOM after
 * every change of the node object, and until then draw its edges not at all (they would blink, and replay their
 * entrance).
 */
function handlesOf(n: GraphNode): NodeHandle[] {
  const { width: w, height: h } = n
  const bottom: NodeHandle = { type: 'source', position: Position.Bottom, x: w / 2, y: h }
  if (n.type === 'pod') return [{ type: 'target', position: Position.Left, x: 0, y: h / 2 }]
  if (n.type === 'endpointslice') return [{ type: 'target', position: Position.Top, x: w / 2, y: 0 }, bottom]
  if (n.type === 'service') return [bottom]
  return []
}

function flowNode(n: GraphNode, data: Record<string, unknown>, selected: boolean): Node {
  return {
    id: n.id, type: n.type, position: n.position, data, handles: handlesOf(n),
    width: n.width, height: n.height, measured: { width: n.width, height: n.height }, draggable: false, selected, zIndex: Z[n.type],
    // Only what can be selected takes a tab stop.
    ...(KINDS[n.type] ? {} : { focusable: false, selectable: false }),
    ...(n.parentId ? { parentId: n.parentId, extent: 'parent' as const } : {}),
  }
}

/**
 * React Flow re-renders a node whose object changed, and recomputes every child of a group whose object changed. So a
 * node that shows the same thing in the same place keeps its previous object (pods compare by their cached data
 * object, the few others by content), and when no node changed the previous array itself is returned, so React Flow
 * does no work at all. One graph is drawn at a time, so one cache serves.
 */
let flowCache = new Map<string, { data: object; sig: string; key: string; node: Node }>()
let lastNodes: Node[] = []

/** What a graph node shows of the acting components: the hub its lit parts, a Node its kubelet and kube-proxy. */
function withActivity(n: GraphNode, active: ReadonlySet<string>): object {
  if (n.type === 'controlPlane') return { ...n.data, active: [...active].filter((c) => !c.includes('/')) }
  if (n.type === 'node') return { ...n.data, kubeletActive: active.has(`kubelet/${n.data.name}`), proxyActive: active.has(`kube-proxy/${n.data.name}`) }
  return n.data
}

function stableNodes(model: readonly GraphNode[], selectedId: string | undefined, active: ReadonlySet<string>): Node[] {
  const next = new Map<string, { data: object; sig: string; key: string; node: Node }>()
  let changed = model.length !== lastNodes.length
  const out = model.map((n, i) => {
    const data = withActivity(n, active) as Record<string, unknown>
    const key = `${n.parentId}|${n.position.x},${n.position.y}|${n.width}x${n.height}|${n.id === selectedId}`
    const old = flowCache.get(n.id)
    const sig = n.type === 'pod' ? '' : JSON.stringify(data)
    const same = old !== undefined && old.key === key && (n.type === 'pod' ? old.data === n.data : old.sig === sig)
    const entry = same ? old : { data: n.data, sig, key, node: flowNode(n, data, n.id === selectedId) }
    next.set(n.id, entry)
    if (entry.node !== lastNodes[i]) changed = true
    return entry.node
  })
  flowCache = next
  if (changed) lastNodes = out
  return lastNodes
}

function flowEdge(e: GraphEdge): Edge {
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

function stableEdges(model: readonly GraphEdge[]): Edge[] {
  const next = new Map<string, { sig: string; edge: Edge }>()
  const out = model.map((e) => {
    const sig = `${e.source}|${e.target}|${e.condition}|${e.gone}|${e.entry?.x},${e.entry?.y}`
    const old = edgeCache.get(e.id)
    const entry = old?.sig === sig ? old : { sig, edge: flowEdge(e) }
    next.set(e.id, entry)
    return entry.edge
  })
  edgeCache = next
  return out
}

/** How far the drawing reaches: when it grows (a node's pod column, a new Service), the view may need to follow. */
function extentOf(model: readonly GraphNode[]): string {
  let [x0, y0, x1, y1] = [0, 0, 0, 0]
  for (const n of model) {
    if (n.parentId) continue
    x0 = Math.min(x0, n.position.x)
    y0 = Math.min(y0, n.position.y)
    x1 = Math.max(x1, n.position.x + n.width)
    y1 = Math.max(y1, n.position.y + n.height)
  }
  return `${x1 - x0}x${y1 - y0}@${x0},${y0}`
}

/**
 * Keeps the whole cluster in view as it or its space grows or shrinks, until the user pans or zooms themselves (the fit button
 * hands control back). On a projector nobody should have to chase a new pod off the bottom of the screen.
 */
function FollowExtent({ extent, userMoved }: { extent: string; userMoved: { current: boolean } }) {
  const flow = useReactFlow()
  const reduce = useReducedMotion()
  // The view is refitted when the drawing grows or shrinks, and when the space for it does (a panel opening below).
  const width = useFlowStore((s) => s.width)
  const height = useFlowStore((s) => s.height)
  useEffect(() => {
    if (!userMoved.current) void flow.fitView({ ...FIT_VIEW_OPTIONS, duration: reduce ? 0 : 300 })
  }, [extent, width, height, flow, reduce, userMoved])
  return null
}

/**
 * The overview appears once the cluster no longer fits the screen at a zoom where pod names stay legible (about half
 * size): then it is what shows where the view is.
 */
function Overview({ extent }: { extent: string }) {
  const width = useFlowStore((s) => s.width)
  const height = useFlowStore((s) => s.height)
  const [w, h] = extent.split('@')[0]!.split('x').map(Number) as [number, number]
  if (w <= width * 2 && h <= height * 2) return null
  return <MiniMap pannable zoomable position="bottom-right" nodeColor={minimapColor} nodeStrokeWidth={0} maskColor="rgba(20, 23, 31, 0.12)" ariaLabel="Overview of the cluster" />
}

const MINIMAP_COLORS: Partial<Record<string, string>> = { node: '#c9d1de', pod: '#1b7f3a', service: '#2456c8', endpointslice: '#6a51a3', controlPlane: '#3d4452', external: '#8a5a00' }
const minimapColor = (n: Node) => MINIMAP_COLORS[n.type ?? ''] ?? '#9aa4b5'

export interface Selection {
  readonly kind: 'Pod' | 'Node' | 'Service' | 'EndpointSlice'
  readonly namespace?: string
  readonly name: string
}

const KINDS: Partial<Record<GraphNode['type'], Selection['kind']>> = { pod: 'Pod', node: 'Node', service: 'Service', endpointslice: 'EndpointSlice' }

/** Which graph node an object is (the inverse of the ids the graph model gives). */
export function nodeIdOf(sel: Selection): string {
  const prefix = { Pod: 'pod', Node: 'node', Service: 'svc', EndpointSlice: 'slice' }[sel.kind]
  return `${prefix}:${sel.namespace ? `${sel.namespace}/` : ''}${sel.name}`
}

/** The live cluster: Nodes holding Pods, Services apart, EndpointSlices between, edges by endpoint condition. */
export function ClusterGraph({ namespaces, selected, onSelect }: { namespaces: ReadonlySet<string>; selected?: Selection; onSelect: (s: Selection) => void }) {
  const sim = useSim(selectSim)
  const pods = useSim(selectPods)
  const services = useSim(selectServices)
  const slices = useSim(selectSlices)
  const k8sNodes = useSim(selectNodes)
  const proxies = useSim(selectProxies)
  const activeKey = useSim(selectActive)
  const reduce = useReducedMotion()
  const fade = reduce ? 0 : FADE_MS
  const departingPods = useDepartures(pods, fade)
  const model = useMemo(
    () => graphModel({ pods, services, endpointSlices: slices, nodes: k8sNodes }, (n) => (proxies.has(n) ? (sim.ruleCount(n) ?? 0) : 0), namespaces, departingPods),
    [pods, services, slices, k8sNodes, proxies, sim, namespaces, departingPods],
  )
  const liveEdges = useMemo(() => new Map(model.edges.map((e) => [e.id, e])), [model])
  const departingEdges = useDepartures(liveEdges, fade)
  const selectedId = selected ? nodeIdOf(selected) : undefined
  const nodes: Node[] = useMemo(() => stableNodes(model.nodes, selectedId, new Set(activeKey.split('|'))), [model, selectedId, activeKey])
  const edges: Edge[] = useMemo(() => {
    const ids = new Set(model.nodes.map((n) => n.id))
    const leaving = [...departingEdges.values()].filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => ({ ...e, gone: true }))
    return stableEdges([...model.edges, ...leaving])
  }, [model, departingEdges])
  // A click, or Enter on a focused node, arrives as a "select" change. Acting on the change (an event) rather than on
  // the selected set (a state React Flow updates a render late) keeps two selections from answering each other.
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      for (const c of changes) {
        if (c.type !== 'select' || !c.selected) continue
        const data = nodes.find((n) => n.id === c.id)?.data as { name: string; namespace?: string; kind: GraphNode['type'] } | undefined
        const kind = data && KINDS[data.kind]
        if (data && kind) onSelect({ kind, name: data.name, ...(data.namespace ? { namespace: data.namespace } : {}) })
      }
    },
    [nodes, onSelect],
  )
  const extent = useMemo(() => extentOf(model.nodes), [model])
  const userMoved = useRef(false)
  // Programmatic moves (fitting) come without an event; a user's drag, wheel or pinch with one.
  const onMoveStart = useCallback((event: unknown) => {
    if (event) userMoved.current = true
  }, [])
  const onUserZoom = useCallback(() => (userMoved.current = true), [])
  const onFitView = useCallback(() => (userMoved.current = false), [])
  return (
    <div className="graph" aria-label="Cluster graph" role="region">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        zIndexMode="manual"
        onNodesChange={onNodesChange}
        onMoveStart={onMoveStart}
        nodesDraggable={false}
        nodesConnectable={false}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={0.1}
        maxZoom={2}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={24} />
        <Controls
          showInteractive={false}
          onZoomIn={onUserZoom}
          onZoomOut={onUserZoom}
          onFitView={onFitView}
        />
        <FollowExtent extent={extent} userMoved={userMoved} />
        <Overview extent={extent} />
        <PacketLayer />
      </ReactFlow>
    </div>
  )
}
