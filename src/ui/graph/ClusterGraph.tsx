import { Background, Controls, MiniMap, ReactFlow, type Edge, type Node, type NodeMouseHandler } from '@xyflow/react'
import '@xyflow/react/dist/style.css'
import { useMemo } from 'react'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'
import { graphModel, type GraphNode } from './graphModel'
import { ControlPlaneNode } from './nodes/ControlPlaneNode'
import { KubeNodeGroup } from './nodes/KubeNodeGroup'
import { PodNode } from './nodes/PodNode'
import { ServiceNode } from './nodes/ServiceNode'
import { SliceNode } from './nodes/SliceNode'

// Defined once, outside any component: React Flow re-mounts every node when nodeTypes changes identity.
const nodeTypes = { pod: PodNode, node: KubeNodeGroup, service: ServiceNode, endpointslice: SliceNode, controlPlane: ControlPlaneNode }

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

const selectState = (s: SimulationStore) => s.state
const selectSim = (s: SimulationStore) => s.sim

function flowNode(n: GraphNode, data: Record<string, unknown>, selected: boolean): Node {
  return {
    id: n.id, type: n.type, position: n.position, data,
    style: { width: n.width, height: n.height }, draggable: false, selected,
    ...(n.parentId ? { parentId: n.parentId, extent: 'parent' as const } : {}),
  }
}

/**
 * React Flow re-renders a node whose object changed, and recomputes every child of a group whose object changed. So a
 * node that shows the same thing in the same place keeps its previous object (pods compare by their cached data
 * object, the few others by content). One graph is drawn at a time, so one cache serves.
 */
let flowCache = new Map<string, { data: object; sig: string; key: string; node: Node }>()

function stableNodes(model: readonly GraphNode[], selectedId: string | undefined, active: readonly string[]): Node[] {
  const next = new Map<string, { data: object; sig: string; key: string; node: Node }>()
  const out = model.map((n) => {
    const data = (n.type === 'controlPlane' || n.type === 'node' ? { ...n.data, active } : n.data) as unknown as Record<string, unknown>
    const key = `${n.parentId}|${n.position.x},${n.position.y}|${n.width}x${n.height}|${n.id === selectedId}`
    const old = flowCache.get(n.id)
    const sig = n.type === 'pod' ? '' : JSON.stringify(data)
    const same = old !== undefined && old.key === key && (n.type === 'pod' ? old.data === n.data : old.sig === sig)
    const entry = same ? old : { data: n.data, sig, key, node: flowNode(n, data, n.id === selectedId) }
    next.set(n.id, entry)
    return entry.node
  })
  flowCache = next
  return out
}

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
  const state = useSim(selectState)
  const sim = useSim(selectSim)
  const model = useMemo(() => graphModel(state, (n) => sim.ruleCount(n), namespaces), [state, sim, namespaces])
  const selectedId = selected ? nodeIdOf(selected) : undefined
  // Who acted in the last moment: lights the control plane's parts and each node's kubelet and kube-proxy.
  const active = useMemo(() => {
    const lit = new Set<string>()
    const events = sim.recentEvents(400)
    for (let i = events.length - 1; i >= 0 && events[i]!.time >= state.now - LIT_MS; i--) {
      const c = componentOf(events[i]!.actor)
      if (c) lit.add(c)
    }
    return [...lit].sort()
  }, [sim, state])
  const activeKey = active.join('|')
  const nodes: Node[] = useMemo(() => stableNodes(model.nodes, selectedId, activeKey.split('|')), [model, selectedId, activeKey])
  const edges: Edge[] = useMemo(
    () => model.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, className: e.condition ? `endpoint endpoint-${e.condition}` : 'service-edge', focusable: false })),
    [model],
  )
  const select = (node: Node) => {
    const data = node.data as { name: string; namespace?: string; kind: GraphNode['type'] }
    const kind = KINDS[data.kind]
    if (kind) onSelect({ kind, name: data.name, ...(data.namespace ? { namespace: data.namespace } : {}) })
  }
  const onNodeClick: NodeMouseHandler = (_, node) => select(node)
  // Keyboard users select a focused node with Enter; React Flow reports it as a selection change.
  const onSelectionChange = ({ nodes: chosen }: { nodes: Node[] }) => {
    const node = chosen[0]
    if (node && node.id !== selectedId) select(node)
  }
  const large = model.nodes.length > 40
  return (
    <div className="graph" aria-label="Cluster graph" role="region">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodeClick={onNodeClick}
        onSelectionChange={onSelectionChange}
        nodesDraggable={false}
        nodesConnectable={false}
        fitView
        fitViewOptions={{ padding: 0.08 }}
        minZoom={0.1}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        {large ? <MiniMap pannable zoomable ariaLabel="Overview of the cluster" /> : null}
      </ReactFlow>
    </div>
  )
}
