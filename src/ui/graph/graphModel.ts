import type { ClusterState, EndpointSlice, Pod, Service } from '../../sim'

/** Sizes in graph units (React Flow pixels at zoom 1). */
export const LAYOUT = {
  serviceX: 0,
  sliceX: 300,
  firstNodeX: 620,
  nodeGap: 40,
  nodeWidth: 360,
  nodeHeader: 96,
  podWidth: 160,
  podHeight: 64,
  podGap: 12,
  podsPerRow: 2,
  serviceHeight: 112,
  sliceHeight: 72,
  rowGap: 28,
  top: 140,
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

export type GraphNodeData = PodData | NodeGroupData | ServiceData | SliceData

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
export function graphModel(state: ClusterState, ruleCount: (node: string) => number, namespaces: ReadonlySet<string>): GraphModel {
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const { serviceX, sliceX, firstNodeX, nodeGap, nodeWidth, nodeHeader, podWidth, podHeight, podGap, podsPerRow, top } = LAYOUT
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
    const rows = Math.max(1, Math.ceil(pods.length / podsPerRow))
    const id = `node:${n.metadata.name}`
    nodes.push({
      id, type: 'node',
      position: { x: firstNodeX + i * (nodeWidth + nodeGap), y: top },
      width: nodeWidth,
      height: nodeHeader + rows * (podHeight + podGap) + podGap,
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
        position: { x: podGap + (slot % podsPerRow) * (podWidth + podGap), y: nodeHeader + Math.floor(slot / podsPerRow) * (podHeight + podGap) },
        width: podWidth, height: podHeight, data: podData(p),
      })
    })
  })
  // Pods no node has taken yet wait in a lane of their own, under the Services.
  const unscheduled = (podsByNode.get('') ?? []).sort(created)
  let y = top
  const services = [...state.services.values()].filter((s) => namespaces.has(s.metadata.namespace)).sort(created)
  const slicesByService = new Map<string, EndpointSlice[]>()
  for (const s of state.endpointSlices.values()) {
    const svc = s.metadata.labels?.['kubernetes.io/service-name']
    if (!svc || !namespaces.has(s.metadata.namespace)) continue
    const key = `${s.metadata.namespace}/${svc}`
    slicesByService.set(key, [...(slicesByService.get(key) ?? []), s])
  }
  const podIds = new Set(nodes.filter((n) => n.type === 'pod').map((n) => n.id))
  for (const svc of services) {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const slices = (slicesByService.get(key) ?? []).sort(created)
    const height = Math.max(LAYOUT.serviceHeight, slices.length * (LAYOUT.sliceHeight + 12))
    nodes.push({ id: `svc:${key}`, type: 'service', position: { x: serviceX, y }, width: 260, height: LAYOUT.serviceHeight, data: serviceData(svc) })
    slices.forEach((slice, i) => {
      const sliceId = `slice:${slice.metadata.namespace}/${slice.metadata.name}`
      const endpoints = slice.endpoints ?? []
      nodes.push({
        id: sliceId, type: 'endpointslice', position: { x: sliceX, y: y + i * (LAYOUT.sliceHeight + 12) }, width: 240, height: LAYOUT.sliceHeight,
        data: { kind: 'endpointslice', name: slice.metadata.name, namespace: slice.metadata.namespace, ready: endpoints.filter((e) => e.conditions.ready ?? true).length, total: endpoints.length },
      })
      edges.push({ id: `e:${key}>${sliceId}`, source: `svc:${key}`, target: sliceId })
      for (const ep of endpoints) {
        const target = ep.targetRef ? `pod:${ep.targetRef.namespace}/${ep.targetRef.name}` : undefined
        if (!target || !podIds.has(target)) continue
        edges.push({ id: `e:${sliceId}>${target}`, source: sliceId, target, condition: endpointCondition(ep.conditions) })
      }
    })
    y += height + LAYOUT.rowGap
  }
  unscheduled.forEach((p, i) => {
    nodes.push({ id: podId(p), type: 'pod', position: { x: serviceX + (i % 3) * (podWidth + podGap), y: y + Math.floor(i / 3) * (podHeight + podGap) }, width: podWidth, height: podHeight, data: podData(p) })
  })
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
