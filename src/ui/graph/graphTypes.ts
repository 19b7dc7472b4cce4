import type { Pod } from '../../sim'

/** Sizes in graph units (React Flow pixels at zoom 1). */
export const LAYOUT = {
  // The hub's row of components, and under it a line saying what the last write was and where its watch event went.
  hubHeight: 92,
  serviceWidth: 260,
  /** A Service card's padding and title row; each further line of text adds `lineHeight`. */
  serviceBase: 42,
  lineHeight: 21,
  columnGap: 24,
  /** Between the hub and the Services, between rows of Services, between the Services and the Nodes. */
  bandGap: 26,
  rowGap: 28,
  /** Room above the Nodes for the lines from the outside world and the watched packet's label. */
  nodesGap: 76,
  sliceGap: 12,
  sliceHeight: 80,
  nodeGap: 28,
  externalWidth: 220,
  externalHeight: 82,
  externalGap: 60,
  nodeWidth: 244,
  /** The Node's name, address, pod CIDR and rule count, and the gap above its first pod. */
  nodeHeader: 104,
  podWidth: 220,
  podHeight: 58,
  /** Between two pods: room for the watched packet's label, so that it covers no pod's name. */
  podGap: 24,
  /** Left and right of the pods inside their Node (the endpoint edges run down the left margin). */
  podInset: 12,
  /** Below the last pod of a Node. */
  nodeFooter: 12,
  summaryHeight: 58,
} as const

/**
 * Beyond this many pods on one Node, the rest are drawn as one card saying how many there are and in which state:
 * thousands of cards would freeze the page, and nobody reads the 2,000th pod of a column.
 */
export const MAX_PODS_DRAWN = 16
/** Beyond this many Nodes, the rest are drawn as one card (with their pods counted in it). */
export const MAX_NODES_DRAWN = 12
/** Beyond this many EndpointSlices of one Service (100 endpoints each), the rest are one card. */
export const MAX_SLICES_DRAWN = 3
/** Beyond this many Services, the rest are one card (the kubectl tab lists them all). */
export const MAX_SERVICES_DRAWN = 30

export type EndpointCondition = 'ready' | 'serving' | 'terminating' | 'not-ready'

export interface PodData {
  readonly kind: 'pod'
  readonly name: string
  readonly namespace: string
  readonly phase: string
  readonly status: string
  readonly ready: boolean
  readonly terminating: boolean
  /** Deleted from the API server a moment ago: drawn fading out where it stood. */
  readonly gone?: boolean
  readonly ip?: string
  readonly node?: string
  /** How many requests of the batch running now it served (a batch of more than one). */
  readonly served?: number
  /** The faults injected on it, as its badge words them ("Crashing"), most disruptive first. */
  readonly faults?: readonly string[]
}

export interface NodeGroupData {
  readonly kind: 'node'
  readonly name: string
  readonly ip: string
  readonly podCIDR: string
  readonly controlPlane: boolean
  readonly rules: number
  /** The faults injected on it, as its badge words them ("Node down", "Partitioned from worker-2"), most disruptive first. */
  readonly faults?: readonly string[]
}

export interface ServiceData {
  readonly kind: 'service'
  readonly name: string
  readonly namespace: string
  readonly type: string
  /** "10.96.0.10", "None" for headless, "—" for ExternalName. */
  readonly clusterIP: string
  /** As kubectl's PORT(S): "80/TCP", "80:31234/TCP". */
  readonly ports: readonly string[]
  readonly dns: string
  /** How it is reached besides its ClusterIP: "LB 203.0.113.10", "NodePort 31234 on every node", "CNAME db.example.com". */
  readonly reach: readonly string[]
}

export interface SliceData {
  readonly kind: 'endpointslice'
  readonly name: string
  readonly namespace: string
  readonly ready: number
  readonly total: number
  /** The ports the slice resolved ("http 8080/TCP"), or `<unset>` for a placeholder slice. */
  readonly ports: string
}

/** Outside the cluster: the Internet a client calls from, and the cloud load balancer in front of the nodes. */
export interface ExternalData {
  readonly kind: 'external'
  readonly name: 'internet' | 'load balancer'
  readonly addresses: readonly string[]
  /** The load balancer's ways of forwarding, by its addresses' ipMode: as is (VIP), or to a NodePort (Proxy). */
  readonly modes?: readonly ('VIP' | 'Proxy')[]
}

/** Cards beyond what is drawn, counted: a Node's further pods, further Nodes, a Service's further slices, further Services. */
export interface SummaryData {
  readonly kind: 'summary'
  readonly of: 'pods' | 'nodes' | 'slices' | 'services'
  /** The Node whose pods these are (for pods on a Node). */
  readonly node?: string
  readonly count: number
  /** Of the pods (or endpoints) it stands for, how many are Ready. */
  readonly ready: number
  /** The pods the Nodes hold, or the endpoints the slices list. */
  readonly within?: number
}

export interface ControlPlaneData {
  readonly kind: 'controlPlane'
  readonly name: string
}

type GraphNodeData = PodData | NodeGroupData | ServiceData | SliceData | ControlPlaneData | ExternalData | SummaryData

export interface GraphNode {
  readonly id: string
  readonly type: GraphNodeData['kind']
  /** Relative to the parent when there is one (a pod in its Node), else absolute. */
  readonly position: { readonly x: number; readonly y: number }
  readonly parentId?: string
  readonly width: number
  readonly height: number
  readonly data: GraphNodeData
}

export interface GraphEdge {
  readonly id: string
  readonly source: string
  readonly target: string
  readonly condition?: EndpointCondition
  /**
   * Where an endpoint edge enters its pod's Node: the top of the Node's left margin. The edge runs down that margin to
   * its pod, so it never crosses the Node's header or another pod.
   */
  readonly entry?: { readonly x: number; readonly y: number }
  /** Removed a moment ago: drawn fading out. */
  readonly gone?: boolean
  /**
   * An edge from the outside world, as the corners of its path: the Internet reaching a NodePort on a Node, the
   * Internet reaching the load balancer, the load balancer forwarding to a Node. The lines to the Nodes run along lanes
   * above them and drop into each Node's top, where a packet meets its kernel.
   */
  readonly external?: { readonly via: 'nodeport' | 'lb' | 'to-lb'; readonly points: readonly { readonly x: number; readonly y: number }[] }
}

export interface GraphModel {
  readonly nodes: readonly GraphNode[]
  readonly edges: readonly GraphEdge[]
  /** Where a pod that is not drawn on its own is counted: its Node's summary card, or the Nodes' summary. */
  readonly summarised: ReadonlyMap<string, string>
}

/** Which namespaces are drawn. */
export interface NamespaceFilter {
  has(namespace: string): boolean
}

/** Pods deleted a moment ago, still drawn (fading) in their place so that nothing moves until they are gone. */
export type Departing = ReadonlyMap<string, Pod>
