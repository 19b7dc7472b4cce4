import type { ClusterState, EndpointSlice, Pod, Service } from '../../sim'

/** Sizes in graph units (React Flow pixels at zoom 1). */
export const LAYOUT = {
  serviceWidth: 250,
  serviceHeight: 104,
  serviceGap: 30,
  hubHeight: 64,
  serviceTop: 100,
  sliceTop: 250,
  sliceHeight: 64,
  sliceGap: 12,
  nodeGap: 36,
  nodeWidth: 230,
  nodeHeader: 112,
  podWidth: 206,
  podHeight: 58,
  podGap: 12,
  rowGap: 70,
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
  readonly clusterIP: string
  readonly ports: string
  readonly dns: string
  readonly external?: string
}

export interface SliceData {
  readonly kind: 'endpointslice'
  readonly name: string
  readonly namespace: string
  readonly ready: number
  readonly total: number
}

export interface ControlPlaneData {
  readonly kind: 'controlPlane'
  readonly name: string
}

export type GraphNodeData = PodData | NodeGroupData | ServiceData | SliceData | ControlPlaneData

export interface GraphNode {
  readonly id: string
  readonly type: GraphNodeData['kind']
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
}

export interface GraphModel {
  readonly nodes: readonly GraphNode[]
  readonly edges: readonly GraphEdge[]
}

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

/** The card data of a pod, the same object for the same Pod object (so React Flow skips unchanged pods). */
function podData(p: Pod): PodData {
  let d = podCache.get(p)
  if (!d) {
    d = {
      kind: 'pod',
      name: p.metadata.name,
      namespace: p.metadata.namespace,
      phase: p.status.phase,
      status: podStatus(p),
      ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
      terminating: p.metadata.deletionTimestamp !== undefined,
      ...(p.status.podIP ? { ip: p.status.podIP } : {}),
      ...(p.spec.nodeName ? { node: p.spec.nodeName } : {}),
    }
    podCache.set(p, d)
  }
  return d
}

/** An endpoint's condition as one word: what its edge is drawn as. */
export function endpointCondition(c: { ready?: boolean; serving?: boolean; terminating?: boolean }): EndpointCondition {
  if (c.terminating) return 'terminating'
  if (c.ready ?? true) return 'ready'
  return c.serving ? 'serving' : 'not-ready'
}

/**
 * The graph drawn for a cluster state: one group per Node holding its Pods (in creation order, so a new pod never
 * moves another, and the same state always lays out the same way), the Services in a column apart (their IPs live on
 * no interface), each EndpointSlice between its Service and the Pods it lists. `ruleCount` gives kube-proxy's rules
 * per node. Namespaces other than `namespaces` are left out (kube-system's CoreDNS pods included when asked).
 */
export function graphModel(state: Pick<ClusterState, 'pods' | 'services' | 'endpointSlices' | 'nodes'>, ruleCount: (node: string) => number, namespaces: ReadonlySet<string>): GraphModel {
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const L = LAYOUT
  // Top row: the Services, apart from any node (their IPs live on no interface); under each, its EndpointSlices.
  const services = [...state.services.values()].filter((s) => namespaces.has(s.metadata.namespace)).sort(created)
  const slicesByService = new Map<string, EndpointSlice[]>()
  for (const s of state.endpointSlices.values()) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name']
    if (!svc || !namespaces.has(s.metadata.namespace)) continue
    const key = `${s.metadata.namespace}/${svc}`
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), s])
  }
  let deepest = 1
  const sliceNodes: { slice: EndpointSlice; serviceKey: string; x: number; y: number }[] = []
  services.forEach((svc, i) => {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const x = i * (L.serviceWidth + L.serviceGap)
    nodes.push({ id: `svc:${key}`, type: 'service', position: { x, y: L.serviceTop }, width: L.serviceWidth, height: L.serviceHeight, data: serviceData(svc) })
    const slices = (slicesByService.get(key) ?? []).sort(created)
    deepest = Math.max(deepest, slices.length)
    slices.forEach((slice, j) => sliceNodes.push({ slice, serviceKey: key, x, y: L.sliceTop + j * (L.sliceHeight + L.sliceGap) }))
  })
  // Bottom row: one group per Node (control plane first), its pods in creation order, so adding one moves nothing.
  const nodesTop = L.sliceTop + deepest * (L.sliceHeight + L.sliceGap) + L.rowGap
  const k8sNodes = [...state.nodes.values()].sort((a, b) => {
    const cpA = a.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined ? 0 : 1
    const cpB = b.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined ? 0 : 1
    return cpA - cpB || created(a, b)
  })
  const podsByNode = new Map<string, Pod[]>()
  for (const p of state.pods.values()) {
    if (!namespaces.has(p.metadata.namespace) || p.spec.hostNetwork) continue
    const key = p.spec.nodeName ?? ''
    const list = podsByNode.get(key)
    if (list) list.push(p)
    else podsByNode.set(key, [p])
  }
  k8sNodes.forEach((n, i) => {
    const pods = (podsByNode.get(n.metadata.name) ?? []).sort(created)
    const id = `node:${n.metadata.name}`
    nodes.push({
      id, type: 'node',
      position: { x: i * (L.nodeWidth + L.nodeGap), y: nodesTop },
      width: L.nodeWidth,
      height: L.nodeHeader + Math.max(1, pods.length) * (L.podHeight + L.podGap) + L.podGap,
      data: {
        kind: 'node', name: n.metadata.name,
        ip: n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '',
        podCIDR: n.spec.podCIDR,
        controlPlane: n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined,
        rules: ruleCount(n.metadata.name),
      },
    })
    pods.forEach((p, slot) => {
      nodes.push({
        id: podId(p), type: 'pod', parentId: id,
        position: { x: L.podGap, y: L.nodeHeader + slot * (L.podHeight + L.podGap) },
        width: L.podWidth, height: L.podHeight, data: podData(p),
      })
    })
  })
  // The control plane's components: the hub every change passes through, across the top.
  const width = Math.max(services.length * (L.serviceWidth + L.serviceGap) - L.serviceGap, k8sNodes.length * (L.nodeWidth + L.nodeGap) - L.nodeGap, 600)
  nodes.push({ id: 'cp:hub', type: 'controlPlane', position: { x: 0, y: 0 }, width, height: L.hubHeight, data: { kind: 'controlPlane', name: 'control plane' } })
  // Pods no node has taken yet wait to the right of the nodes.
  const laneX = k8sNodes.length * (L.nodeWidth + L.nodeGap)
  ;(podsByNode.get('') ?? []).sort(created).forEach((p, i) => {
    nodes.push({ id: podId(p), type: 'pod', position: { x: laneX, y: nodesTop + i * (L.podHeight + L.podGap) }, width: L.podWidth, height: L.podHeight, data: podData(p) })
  })
  const podIds = new Set(nodes.filter((n) => n.type === 'pod').map((n) => n.id))
  for (const { slice, serviceKey, x, y } of sliceNodes) {
    const sliceId = `slice:${slice.metadata.namespace}/${slice.metadata.name}`
    const endpoints = slice.endpoints ?? []
    nodes.push({
      id: sliceId, type: 'endpointslice', position: { x, y }, width: L.serviceWidth, height: L.sliceHeight,
      data: { kind: 'endpointslice', name: slice.metadata.name, namespace: slice.metadata.namespace, ready: endpoints.filter((e) => e.conditions.ready ?? true).length, total: endpoints.length },
    })
    edges.push({ id: `e:${serviceKey}>${sliceId}`, source: `svc:${serviceKey}`, target: sliceId })
    for (const ep of endpoints) {
      const target = ep.targetRef ? `pod:${ep.targetRef.namespace}/${ep.targetRef.name}` : undefined
      if (!target || !podIds.has(target)) continue
      edges.push({ id: `e:${sliceId}>${target}`, source: sliceId, target, condition: endpointCondition(ep.conditions) })
    }
  }
  return { nodes, edges }
}

function serviceData(svc: Service): ServiceData {
  const ports = (svc.spec.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(', ')
  const ingress = svc.status.loadBalancer.ingress?.[0]?.ip
  return {
    kind: 'service',
    name: svc.metadata.name,
    namespace: svc.metadata.namespace,
    type: svc.spec.clusterIP === 'None' ? 'Headless' : svc.spec.type,
    clusterIP: svc.spec.type === 'ExternalName' ? '—' : (svc.spec.clusterIP ?? ''),
    ports,
    dns: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`,
    ...(svc.spec.type === 'LoadBalancer' ? { external: ingress ?? '<pending>' } : svc.spec.type === 'ExternalName' ? { external: svc.spec.externalName! } : {}),
  }
}
