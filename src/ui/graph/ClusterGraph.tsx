import { Background, ReactFlow, ReactFlowProvider, type Edge, type Node, type NodeChange } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useCallback, useEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react'
import { useReducedMotion } from 'framer-motion'
import type { SimulationStore } from '../../store/simulationStore'
import type { SimEvent } from '../../sim'
import { histogram, type TrafficStore } from '../../store/trafficStore'
import { nodeIdOf, type Selection } from '../selection'
import { useSim, useStoreApi, useTraffic, useTrafficApi } from '../storeContext'
import { packetFocus, placeOf, type Places } from '../traffic/anchors'
import { PacketLayer } from '../traffic/PacketLayer'
import { usePodNodes } from '../traffic/usePodNodes'
import { useWatchedHop } from '../traffic/useWatchedHop'
import { useThrottledStore } from '../useThrottledStore'
import { EndpointEdge } from './edges/EndpointEdge'
import { ExternalEdge } from './edges/ExternalEdge'
import { SELECTABLE, stableEdges, stableNodes } from './flowElements'
import { GraphToolbar } from './GraphToolbar'
import { absoluteRects, boundsOf, graphModel } from './graphModel'
import type { GraphNode, NamespaceFilter, PodData } from './graphTypes'
import { ControlPlaneNode } from './nodes/ControlPlaneNode'
import { ExternalNode } from './nodes/ExternalNode'
import { KubeNodeGroup } from './nodes/KubeNodeGroup'
import { PodNode } from './nodes/PodNode'
import { ServiceNode } from './nodes/ServiceNode'
import { SliceNode } from './nodes/SliceNode'
import { SummaryNode } from './nodes/SummaryNode'
import { PlacesContext } from './placesContext'
import { useDepartures } from './useDepartures'
import { ViewDirector, type Focus } from './ViewDirector'
import { WatchDeliveries } from './WatchDeliveries'

// Defined once, outside any component: React Flow re-mounts every node when nodeTypes changes identity.
const nodeTypes = { pod: PodNode, node: KubeNodeGroup, service: ServiceNode, endpointslice: SliceNode, controlPlane: ControlPlaneNode, external: ExternalNode, summary: SummaryNode }
const edgeTypes = { endpoint: EndpointEdge, external: ExternalEdge }

/** How long a deleted pod and a removed endpoint take to fade out (real ms). */
const FADE_MS = 1200

/** How long after its event a component stays lit (virtual ms): long enough to follow at 1x. */
const LIT_MS = 800

/** The component an event's actor belongs to: a control-plane part, or a node's kubelet or kube-proxy. */
function componentOf(actor: string): string | undefined {
  if (actor === 'API server' || actor === 'etcd') return actor
  if (actor === 'default-scheduler') return 'scheduler'
  if (actor.endsWith('-controller') || actor === 'garbage-collector' || actor === 'service-controller') return 'controller manager'
  if (actor.startsWith('kubelet/') || actor.startsWith('kube-proxy/') || actor === 'CoreDNS') return actor
  return undefined
}

/** What the last moment held: who acted, the newest write in words, and the watch events CoreDNS and kube-proxy took in. */
interface Activity {
  /** Lights the control plane's parts, each node's kubelet and kube-proxy, and CoreDNS's pods. */
  readonly lit: readonly string[]
  /** Who sent the newest write, the API server storing it in etcd (key, revision), and where its watch event went. */
  readonly write?: { readonly revision: string; readonly stored: string; readonly watch: string }
  /** "time@kube-proxy/<node>" or "time@CoreDNS/<pod>" of each sync: where watch events are drawn arriving. */
  readonly deliveries: readonly string[]
}

/**
 * The Activity of the last moment, as one string, so that the graph re-renders when it changes, not on every frame as
 * time passes. One pass over the events of the last moment (it runs on every store update, each frame).
 */
const selectActivity = (s: SimulationStore): string => {
  const lit = new Set<string>()
  const deliveries: string[] = []
  let write: SimEvent | undefined
  let writes = 0
  for (const e of s.reader.eventsSince(s.state.now - LIT_MS, { writes: true })) {
    // The API server records every write; the user's light it and etcd, as the commands' own events used to.
    if (e.write) {
      if (e.write.by === 'kubectl') lit.add('API server').add('etcd')
      write = e
      writes++
      continue
    }
    // CoreDNS is its pods, each with its own watch: a pod's sync lights that pod, and the event is drawn reaching it.
    const c = e.actor === 'CoreDNS' && e.object.startsWith('Pod ') ? `CoreDNS/${e.object.slice('Pod '.length)}` : componentOf(e.actor)
    if (c) lit.add(c)
    if (e.action === 'sync' && (c?.startsWith('CoreDNS/') || e.actor.startsWith('kube-proxy/'))) deliveries.push(`${e.time}@${c}`)
  }
  const w = write?.write
  const activity: Activity = {
    lit: [...lit].sort(),
    deliveries,
    ...(write && w
      ? {
          write: {
            revision: w.resourceVersion,
            stored: `${w.by} → API server → etcd: ${w.verb}${w.subresource ? ` (${w.subresource})` : ''} ${write.object}, ${w.key}, revision ${w.resourceVersion}${writes > 1 ? ` (+${writes - 1} more writes)` : ''}`,
            watch: w.watchers ? `watch event ${w.watch} → ${w.watchers.join(', ')}` : `watch event ${w.watch}`,
          },
        }
      : {}),
  }
  return JSON.stringify(activity)
}

const PRO_OPTIONS = { hideAttribution: true }
// The parts of the state the graph draws: time passing alone changes none of them.
const selectPods = (s: SimulationStore) => s.state.pods
const selectServices = (s: SimulationStore) => s.state.services
const selectSlices = (s: SimulationStore) => s.state.endpointSlices
const selectNodes = (s: SimulationStore) => s.state.nodes
const selectProxies = (s: SimulationStore) => s.state.proxies
const selectFaults = (s: SimulationStore) => s.state.faults
const selectBatch = (s: TrafficStore) => s.batch
const selectShown = (s: TrafficStore) => s.watching && !s.arrived

/** A pod card's data with how many of the batch's requests it served: one object per pod and count, so an unchanged count re-renders nothing. */
const servedCache = new WeakMap<PodData, Map<number, PodData>>()
function withServed(d: PodData, served: number): PodData {
  let byCount = servedCache.get(d)
  if (!byCount) servedCache.set(d, (byCount = new Map()))
  let out: PodData | undefined = byCount.get(served)
  if (!out) byCount.set(served, (out = { ...d, served }))
  return out as PodData
}

/** What a card shows of what is happening: the hub its lit parts, a Node its kubelet and kube-proxy, a pod what it served. */
function liveData(n: GraphNode, active: ReadonlySet<string>, served: ReadonlyMap<string, number> | undefined, lastWrite: Activity['write']): object {
  const d = n.data
  if (d.kind === 'controlPlane') return { ...d, active: [...active].filter((c) => !c.includes('/')), ...(lastWrite ? { lastWrite } : {}) }
  if (d.kind === 'node') return { ...d, kubeletActive: active.has(`kubelet/${d.name}`), proxyActive: active.has(`kube-proxy/${d.name}`) }
  if (d.kind === 'pod' && served) return withServed(d, served.get(`${d.namespace}/${d.name}`) ?? 0)
  // CoreDNS is its pods: each lights when its own watch syncs (and so can be seen catching up after a write).
  if (d.kind === 'pod' && d.namespace === 'kube-system' && d.name.startsWith('coredns-') && (active.has(`CoreDNS/kube-system/${d.name}`) || active.has('CoreDNS'))) return { ...d, acting: true }
  return d
}

/**
 * The live cluster: Nodes holding Pods, Services apart, EndpointSlices between, edges by endpoint condition, the
 * outside world with lines to what it sends to, and the packets over it all. The view brings what is selected into
 * sight; `reveal` counts selections made elsewhere (the event list), so picking the same object again shows it again.
 */
export function ClusterGraph({ namespaces, selected, onSelect, reveal }: { namespaces: NamespaceFilter; selected?: Selection; onSelect: (s: Selection) => void; reveal?: { readonly selection: Selection; readonly seq: number } }) {
  const store = useStoreApi()
  const pods = useSim(selectPods)
  const services = useSim(selectServices)
  const slices = useSim(selectSlices)
  const k8sNodes = useSim(selectNodes)
  const proxies = useSim(selectProxies)
  const faults = useSim(selectFaults)
  const activityKey = useSim(selectActivity)
  const activity = useMemo(() => JSON.parse(activityKey) as Activity, [activityKey])
  const traffic = useTrafficApi()
  // A batch grows by dozens of requests a second: its counts on the pods are read four times a second.
  const batch = useThrottledStore(traffic, selectBatch, 250)
  const packetShown = useTraffic(selectShown)
  const watched = useWatchedHop()
  const nodeOf = usePodNodes()
  const reduce = useReducedMotion()
  const fade = reduce ? 0 : FADE_MS
  const departingPods = useDepartures(pods, fade)
  const model = useMemo(
    () => graphModel({ pods, services, endpointSlices: slices, nodes: k8sNodes, faults }, (n) => (proxies.has(n) ? (store.getState().reader.ruleCount(n) ?? 0) : 0), namespaces, departingPods),
    // A node's rule count follows its kube-proxy's view (`proxies`), live or past: not the reader, new for each moment shown.
    [pods, services, slices, k8sNodes, proxies, faults, store, namespaces, departingPods],
  )
  const rects = useMemo(() => absoluteRects(model.nodes), [model])
  const places: Places = useMemo(() => ({ rects, summarised: model.summarised }), [rects, model])
  const bounds = useMemo(() => boundsOf(model.nodes), [model])
  const served = useMemo(() => (batch && batch.spec.count > 1 ? histogram(batch.sent).served : undefined), [batch])
  const liveEdges = useMemo(() => new Map(model.edges.map((e) => [e.id, e])), [model])
  const departingEdges = useDepartures(liveEdges, fade)
  const selectedId = selected ? nodeIdOf(selected) : undefined
  const nodes: Node[] = useMemo(() => {
    const active = new Set(activity.lit)
    return stableNodes(model.nodes, selectedId, (n) => liveData(n, active, served, activity.write))
  }, [model, selectedId, activity, served])
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
        const data = nodes.find((n) => n.id === c.id)?.data as unknown as { name: string; namespace?: string; kind: GraphNode['type'] } | undefined
        const kind = data && SELECTABLE[data.kind]
        if (data && kind) onSelect({ kind, name: data.name, ...(data.namespace ? { namespace: data.namespace } : {}) })
      }
    },
    [nodes, onSelect],
  )
  // The view follows the watched packet, hop by hop, until it has arrived or its details are closed.
  const packetId = watched && packetShown ? placeOf(places, watched.hops[watched.hop]!.at, nodeOf) : undefined
  const packetRect = packetId ? packetFocus(places, packetId) : undefined
  const packet: Focus | undefined = packetRect ? { key: `${watched!.hops.length}:${watched!.hop}:${packetId}:${packetRect.x},${packetRect.y}`, rect: packetRect } : undefined
  // What was just selected is brought into view once (a card partly off screen, one picked in a list); a Node
  // taller than the view shows its top.
  const revealId = selected ? nodeIdOf(selected) : undefined
  const revealRect = revealId ? rects.get(revealId) : undefined
  const shown: Focus | undefined = revealRect && revealId ? { key: `${revealId}|${reveal?.seq ?? 0}`, id: revealId, rect: { ...revealRect, height: Math.min(revealRect.height, 200) } } : undefined
  const summaryCounts = useMemo(() => new Map(model.nodes.flatMap((n) => (n.data.kind === 'summary' ? [[n.id, n.data.count] as const] : []))), [model])
  const userMoved = useRef(false)
  const [home, setHome] = useState(0)
  const [overview, setOverview] = useState(false)
  const [fits, setFits] = useState(true)
  // A new request is something to watch: the view follows it again, whatever the user did with it before.
  useEffect(() => traffic.subscribe((t, prev) => void (t.batch?.id !== prev.batch?.id && (userMoved.current = false))), [traffic])
  // The user takes the view over: the director stops following until the fit button or a new request.
  const userMoves = useRef(0)
  const takeOver = useCallback(() => {
    userMoved.current = true
    userMoves.current++
  }, [])
  // Programmatic moves (the director's) come without an event; a user's drag, wheel or pinch with one.
  const onMoveStart = useCallback((event: unknown) => void (event && takeOver()), [takeOver])
  const onHome = useCallback(() => setHome((h) => h + 1), [])
  const onOverview = useCallback(() => setOverview((o) => !o), [])
  // Tabbing to a card pans to it (React Flow does): the user chose where to look, as with a drag. (A click focuses
  // the card too, but does not move the view: only keyboard focus counts.) So does picking a card with the keyboard.
  const onFocusCapture = useCallback((e: FocusEvent) => {
    const el = e.target as HTMLElement
    if (el.classList.contains('react-flow__node') && el.matches(':focus-visible')) takeOver()
  }, [takeOver])
  const onKeyDownCapture = useCallback((e: KeyboardEvent) => {
    if ((e.key === 'Enter' || e.key === ' ') && (e.target as HTMLElement).classList.contains('react-flow__node')) takeOver()
  }, [takeOver])
  const user = useMemo(() => ({ moved: () => userMoved.current, reset: () => (userMoved.current = false), moves: () => userMoves.current }), [])
  return (
    <div className="graph" aria-label="Cluster graph" role="region" onFocusCapture={onFocusCapture} onKeyDownCapture={onKeyDownCapture}>
      <ReactFlowProvider>
        <GraphToolbar onZoom={takeOver} onHome={onHome} overview={overview} onOverview={onOverview} canOverview={!fits} />
        <PlacesContext.Provider value={places}>
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
            minZoom={0.1}
            maxZoom={2}
            proOptions={PRO_OPTIONS}
          >
            <Background gap={24} />
            <ViewDirector rects={rects} bounds={bounds} summaryCounts={summaryCounts} {...(packet ? { packet } : {})} {...(shown ? { selected: shown } : {})} home={home} user={user} overview={overview} onFits={setFits} />
            <PacketLayer />
            <WatchDeliveries rects={rects} deliveries={activity.deliveries} />
          </ReactFlow>
        </PlacesContext.Provider>
      </ReactFlowProvider>
    </div>
  )
}
