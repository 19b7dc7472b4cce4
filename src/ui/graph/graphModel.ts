import { EXTERNAL_CLIENT, isControlPlane, type ClusterState, type EndpointSlice, type Pod, type Service } from '../../sim'

/** Sizes in graph units (React Flow pixels at zoom 1). */
export const LAYOUT = {
  hubHeight: 52,
  serviceWidth: 260,
  /** A Service card's padding and title row; each further line of text adds `lineHeight`. */
  serviceBase: 40,
  lineHeight: 20,
  columnGap: 30,
  /** Between the hub and the Services, between rows of Services, between the Services and the Nodes. */
  bandGap: 26,
  rowGap: 28,
  nodesGap: 70,
  sliceGap: 12,
  sliceHeight: 76,
  nodeGap: 36,
  externalWidth: 220,
  externalHeight: 78,
  externalGap: 60,
  nodeWidth: 244,
  nodeHeader: 92,
  podWidth: 220,
  podHeight: 58,
  podGap: 12,
} as const

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
}

export interface NodeGroupData {
  readonly kind: 'node'
  readonly name: string
  readonly ip: string
  readonly podCIDR: string
  readonly controlPlane: boolean
  readonly rules: number
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
}

export interface ControlPlaneData {
  readonly kind: 'controlPlane'
  readonly name: string
}

export type GraphNodeData = PodData | NodeGroupData | ServiceData | SliceData | ControlPlaneData | ExternalData

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
}

export interface GraphModel {
  readonly nodes: readonly GraphNode[]
  readonly edges: readonly GraphEdge[]
}

/** Pods deleted a moment ago, still drawn (fading) in their place so that nothing moves until they are gone. */
export type Departing = ReadonlyMap<string, Pod>

const podId = (p: Pod) => `pod:${p.metadata.namespace}/${p.metadata.name}`
const created = (a: { metadata: { creationTimestamp?: string; name: string } }, b: typeof a) =>
  (a.metadata.creationTimestamp ?? '') < (b.metadata.creationTimestamp ?? '') ? -1 : (a.metadata.creationTimestamp ?? '') > (b.metadata.creationTimestamp ?? '') ? 1 : a.metadata.name < b.metadata.name ? -1 : 1

/** STATUS as kubectl shows it, for the pod card (color is never the only signal). */
function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating'
  const waiting = p.status.containerStatuses?.find((c) => c.state['waiting'])?.state['waiting']?.['reason']
  if (waiting) return String(waiting)
  return p.status.phase
}

const podCache = new WeakMap<Pod, PodData>()
const goneCache = new WeakMap<Pod, PodData>()

/** The card data of a pod, the same object for the same Pod object (so React Flow skips unchanged pods). */
function podData(p: Pod, gone: boolean): PodData {
  const cache = gone ? goneCache : podCache
  let d = cache.get(p)
  if (!d) {
    d = {
      kind: 'pod',
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      phase: p.status.phase,
      status: gone ? 'removed' : podStatus(p),
      ready: !gone && (p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false),
      terminating: p.metadata.deletionTimestamp !== undefined,
      ...(gone ? { gone } : {}),
      ...(p.status.podIP ? { ip: p.status.podIP } : {}),
      ...(p.spec.nodeName ? { node: p.spec.nodeName } : {}),
    }
    cache.set(p, d)
  }
  return d
}

/** An endpoint's condition as one word: what its edge is drawn as. */
export function endpointCondition(c: { ready?: boolean; serving?: boolean; terminating?: boolean }): EndpointCondition {
  if (c.terminating) return 'terminating'
  if (c.ready ?? true) return 'ready'
  return c.serving ? 'serving' : 'not-ready'
}

/** A Service card's address lines: "IP · ports" when that fits on one line, else the IP over the ports. */
export function serviceAddressLines(d: ServiceData): string[] {
  const one = `${d.clusterIP} · ${d.ports.join(', ')}`
  return one.length <= 28 ? [one] : [d.clusterIP, d.ports.join(', ')]
}

/** Whether a DNS name needs a second line on a Service card. */
const longDnsName = (dns: string) => dns.length > 30

/** How many text lines a Service card needs: its addresses, the DNS name, how it is reached from outside. */
function serviceLines(d: ServiceData): number {
  return serviceAddressLines(d).length + (longDnsName(d.dns) ? 2 : 1) + d.reach.length
}

/**
 * The graph drawn for a cluster state. Across the top the control plane, the hub every change passes through. Under
 * it the Services, apart from any Node because their IPs live on no interface, each with its EndpointSlices beneath
 * it, in one row up to five and then in a grid. At the bottom one group per Node (control plane first) holding its Pods in creation
 * order, so a new pod never moves another, and the same state always lays out the same way. `ruleCount` gives
 * kube-proxy's rules per node. Namespaces other than `namespaces` are left out. `departing` pods keep their place.
 */
export function graphModel(
  state: Pick<ClusterState, 'pods' | 'services' | 'endpointSlices' | 'nodes'>,
  ruleCount: (node: string) => number,
  namespaces: ReadonlySet<string>,
  departing: Departing = new Map(),
): GraphModel {
  const L = LAYOUT
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []

  const k8sNodes = [...state.nodes.values()].sort((a, b) => Number(isControlPlane(b)) - Number(isControlPlane(a)) || created(a, b))
  const nodesWidth = k8sNodes.length * (L.nodeWidth + L.nodeGap) - L.nodeGap

  // The Services band: columns of a Service over its slices.
  const services = [...state.services.values()].filter((s) => namespaces.has(s.metadata.namespace)).sort(created)
  const slicesByService = new Map<string, EndpointSlice[]>()
  for (const s of state.endpointSlices.values()) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name']
    if (!svc || !namespaces.has(s.metadata.namespace)) continue
    const key = `${s.metadata.namespace}/${svc}`
    const list = slicesByService.get(key)
    if (list) list.push(s)
    else slicesByService.set(key, [s])
  }
  const columnWidth = L.serviceWidth + L.columnGap
  // One row while that is at most five columns (a wide graph suits a wide screen better than a tall one), then a grid
  // about twice as wide as high; never narrower than the Nodes.
  const cols = Math.max(3, Math.floor((nodesWidth + L.columnGap) / columnWidth), services.length <= 5 ? services.length : Math.ceil(Math.sqrt(2 * services.length)))
  const columns = services.map((svc) => {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const data = serviceData(svc)
    const height = L.serviceBase + serviceLines(data) * L.lineHeight
    const slices = (slicesByService.get(key) ?? []).sort(created)
    return { key, data, height, slices, depth: height + slices.length * (L.sliceGap + L.sliceHeight) }
  })
  let top = L.hubHeight + L.bandGap
  const sliceNodes: { slice: EndpointSlice; serviceKey: string }[] = []
  for (let row = 0; row * cols < columns.length; row++) {
    const inRow = columns.slice(row * cols, (row + 1) * cols)
    inRow.forEach((c, i) => {
      const x = i * columnWidth
      nodes.push({ id: `svc:${c.key}`, type: 'service', position: { x, y: top }, width: L.serviceWidth, height: c.height, data: c.data })
      c.slices.forEach((slice, j) => {
        const y = top + c.height + L.sliceGap + j * (L.sliceHeight + L.sliceGap)
        nodes.push({ id: sliceIdOf(slice), type: 'endpointslice', position: { x, y }, width: L.serviceWidth, height: L.sliceHeight, data: sliceData(slice) })
        sliceNodes.push({ slice, serviceKey: c.key })
      })
    })
    top += Math.max(...inRow.map((c) => c.depth)) + L.rowGap
  }
  const bandWidth = Math.min(cols, columns.length) * columnWidth - L.columnGap

  // The Nodes, each holding its pods (and those leaving) in creation order.
  const nodesTop = top - L.rowGap + L.nodesGap
  const podsByNode = new Map<string, { pod: Pod; gone: boolean }[]>()
  const place = (pod: Pod, gone: boolean) => {
    if (!namespaces.has(pod.metadata.namespace) || pod.spec.hostNetwork) return
    const key = pod.spec.nodeName ?? ''
    const list = podsByNode.get(key)
    if (list) list.push({ pod, gone })
    else podsByNode.set(key, [{ pod, gone }])
  }
  for (const p of state.pods.values()) place(p, false)
  for (const [key, p] of departing) if (!state.pods.has(key)) place(p, true)
  const entries = new Map<string, { x: number; y: number }>()
  k8sNodes.forEach((n, i) => {
    const pods = (podsByNode.get(n.metadata.name) ?? []).sort((a, b) => created(a.pod, b.pod))
    const id = `node:${n.metadata.name}`
    const x = i * (L.nodeWidth + L.nodeGap)
    nodes.push({
      id, type: 'node',
      position: { x, y: nodesTop },
      width: L.nodeWidth,
      height: L.nodeHeader + Math.max(1, pods.length) * (L.podHeight + L.podGap) + L.podGap,
      data: {
        kind: 'node', name: n.metadata.name,
        ip: n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '',
        podCIDR: n.spec.podCIDR,
        controlPlane: isControlPlane(n),
        rules: ruleCount(n.metadata.name),
      },
    })
    pods.forEach(({ pod, gone }, slot) => {
      entries.set(podId(pod), { x: x + L.podGap / 2, y: nodesTop })
      nodes.push({
        id: podId(pod), type: 'pod', parentId: id,
        position: { x: L.podGap, y: L.nodeHeader + slot * (L.podHeight + L.podGap) },
        width: L.podWidth, height: L.podHeight, data: podData(pod, gone),
      })
    })
  })
  // Outside the cluster, right of the Nodes (where a row of Services leaves room): the Internet once something is
  // exposed on a NodePort, and the load balancer once a Service asks for one. Traffic from outside enters from here.
  const exposed = services.filter((s) => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer')
  const externalX = nodesWidth + L.externalGap
  if (exposed.length) {
    nodes.push({ id: 'ext:internet', type: 'external', position: { x: externalX, y: nodesTop }, width: L.externalWidth, height: L.externalHeight, data: { kind: 'external', name: 'internet', addresses: [EXTERNAL_CLIENT] } })
    const vips = exposed.flatMap((s) => (s.spec.type === 'LoadBalancer' ? (s.status.loadBalancer.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])) : []))
    if (exposed.some((s) => s.spec.type === 'LoadBalancer')) {
      nodes.push({ id: 'ext:lb', type: 'external', position: { x: externalX, y: nodesTop + L.externalHeight + L.externalGap }, width: L.externalWidth, height: L.externalHeight, data: { kind: 'external', name: 'load balancer', addresses: vips } })
    }
  }
  // Pods no node has taken yet wait to the right of the nodes (and of the outside world, when it is drawn).
  const laneX = exposed.length ? externalX + L.externalWidth + L.nodeGap : nodesWidth + L.nodeGap
  ;(podsByNode.get('') ?? []).sort((a, b) => created(a.pod, b.pod)).forEach(({ pod, gone }, i) => {
    nodes.push({ id: podId(pod), type: 'pod', position: { x: laneX, y: nodesTop + i * (L.podHeight + L.podGap) }, width: L.podWidth, height: L.podHeight, data: podData(pod, gone) })
  })

  nodes.push({ id: 'cp:hub', type: 'controlPlane', position: { x: 0, y: 0 }, width: Math.max(bandWidth, nodesWidth, 600), height: L.hubHeight, data: { kind: 'controlPlane', name: 'control plane' } })

  const podIds = new Set(nodes.filter((n) => n.type === 'pod').map((n) => n.id))
  for (const { slice, serviceKey } of sliceNodes) {
    const sliceId = sliceIdOf(slice)
    edges.push({ id: `e:${serviceKey}>${sliceId}`, source: `svc:${serviceKey}`, target: sliceId })
    for (const ep of slice.endpoints ?? []) {
      const target = ep.targetRef ? `pod:${ep.targetRef.namespace}/${ep.targetRef.name}` : undefined
      if (!target || !podIds.has(target)) continue
      const entry = entries.get(target)
      edges.push({ id: `e:${sliceId}>${target}`, source: sliceId, target, condition: endpointCondition(ep.conditions), ...(entry ? { entry } : {}) })
    }
  }
  return { nodes, edges }
}

const sliceIdOf = (s: EndpointSlice) => `slice:${s.metadata.namespace}/${s.metadata.name}`

function sliceData(slice: EndpointSlice): SliceData {
  const endpoints = slice.endpoints ?? []
  const ports = slice.ports?.length ? slice.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port ?? ''}/${p.protocol ?? 'TCP'}`).join(', ') : '<unset>'
  return { kind: 'endpointslice', name: slice.metadata.name, namespace: slice.metadata.namespace, ready: endpoints.filter((e) => e.conditions.ready ?? true).length, total: endpoints.length, ports }
}

function serviceData(svc: Service): ServiceData {
  const ports = (svc.spec.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`)
  const nodePorts = (svc.spec.ports ?? []).flatMap((p) => (p.nodePort ? [p.nodePort] : []))
  const ingress = svc.status.loadBalancer.ingress?.[0]?.ip
  const reach = [
    ...(svc.spec.type === 'ExternalName' ? [`CNAME ${svc.spec.externalName}`] : []),
    ...(svc.spec.type === 'LoadBalancer' ? [`LB ${ingress ?? '<pending>'}`] : []),
    ...(nodePorts.length ? [`NodePort ${nodePorts.join(', ')} on every node`] : []),
  ]
  return {
    kind: 'service',
    name: svc.metadata.name,
    namespace: svc.metadata.namespace,
    type: svc.spec.clusterIP === 'None' ? 'Headless' : svc.spec.type,
    // As kubectl's CLUSTER-IP column: "None" for a headless Service, "<none>" for an ExternalName.
    clusterIP: svc.spec.type === 'ExternalName' ? '<none>' : (svc.spec.clusterIP ?? ''),
    ports,
    dns: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`,
    reach,
  }
}
