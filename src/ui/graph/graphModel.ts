import { EXTERNAL_CLIENT, isControlPlane, type ClusterState, type Endpoint, type EndpointSlice, type Pod, type Service } from '../../sim'
import { faultBadgesById } from '../faults/faultLabels'
import { created, endpointCondition, podData, podId, serviceData, serviceLines, sliceData, sliceIdOf, withFaults } from './cardData'
import { union, type Rect } from './camera'
import { LAYOUT, MAX_NODES_DRAWN, MAX_PODS_DRAWN, MAX_SERVICES_DRAWN, MAX_SLICES_DRAWN, type Departing, type EndpointCondition, type GraphEdge, type GraphModel, type GraphNode, type NamespaceFilter } from './graphTypes'

/** How many pods of a list are Ready (a summary card says so). */
const readyCount = (pods: readonly { pod: Pod; gone: boolean }[]) => pods.filter(({ pod, gone }) => !gone && podData(pod, gone).ready).length

/**
 * The graph drawn for a cluster state. Across the top the control plane, the hub every change passes through. Under
 * it the Services, apart from any Node because their IPs live on no interface, each with its EndpointSlices beneath
 * it (the user's first), in one row up to five and then in a grid. At the bottom one group per Node (workers first) holding its Pods in creation
 * order, so a new pod never moves another, and the same state always lays out the same way; past `MAX_PODS_DRAWN`
 * pods on a Node (or `MAX_NODES_DRAWN` Nodes) the rest are one summary card. Right of the Nodes the outside world,
 * with lines to what it sends to. `ruleCount` gives kube-proxy's rules per node. Namespaces `namespaces` does not
 * have are left out. `departing` pods keep their place. A Node or Pod a fault was injected on carries its badges.
 */
export function graphModel(
  state: Pick<ClusterState, 'pods' | 'services' | 'endpointSlices' | 'nodes'> & Partial<Pick<ClusterState, 'faults'>>,
  ruleCount: (node: string) => number,
  namespaces: NamespaceFilter,
  departing: Departing = new Map(),
): GraphModel {
  const L = LAYOUT
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const summarised = new Map<string, string>()
  const badges = state.faults?.size ? faultBadgesById(state.faults.values()) : undefined

  // Workers first, where the user's pods run; the control plane (its static pods and CoreDNS) last. Where the view
  // cannot show everything at a legible size, it starts on the left, on what the user made.
  const allNodes = [...state.nodes.values()].sort((a, b) => Number(isControlPlane(a)) - Number(isControlPlane(b)) || created(a, b))
  const k8sNodes = allNodes.length > MAX_NODES_DRAWN ? allNodes.slice(0, MAX_NODES_DRAWN - 1) : allNodes
  const hiddenNodes = allNodes.slice(k8sNodes.length)
  const columnsOfNodes = k8sNodes.length + (hiddenNodes.length ? 1 : 0)
  const nodesWidth = columnsOfNodes * (L.nodeWidth + L.nodeGap) - L.nodeGap

  // The Services band: columns of a Service over its slices.
  // The user's Services first, then the cluster's own (kube-dns, default/kubernetes), each group in creation order.
  const system = (s: Service) => s.metadata.namespace === 'kube-system' || (s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes')
  const allServices = [...state.services.values()].filter((s) => namespaces.has(s.metadata.namespace)).sort((a, b) => Number(system(a)) - Number(system(b)) || created(a, b))
  const services = allServices.length > MAX_SERVICES_DRAWN ? allServices.slice(0, MAX_SERVICES_DRAWN - 1) : allServices
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
  const cards = services.length + (allServices.length > services.length ? 1 : 0)
  // One row while that is at most five columns (a wide graph suits a wide screen better than a tall one), then a grid
  // about twice as wide as high; never narrower than the Nodes.
  const cols = Math.max(3, Math.floor((nodesWidth + L.columnGap) / columnWidth), cards <= 5 ? cards : Math.ceil(Math.sqrt(2 * cards)))
  type Column = { id: string; node: GraphNode; slices: { id: string; data: GraphNode['data']; endpoints: readonly Endpoint[] }[]; depth: number; key?: string }
  const columns: Column[] = services.map((svc) => {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const data = serviceData(svc)
    const height = L.serviceBase + serviceLines(data) * L.lineHeight
    const all = (slicesByService.get(key) ?? []).sort(created)
    const shown = all.length > MAX_SLICES_DRAWN ? all.slice(0, MAX_SLICES_DRAWN - 1) : all
    const rest = all.slice(shown.length)
    const slices = shown.map((slice) => ({ id: sliceIdOf(slice), data: sliceData(slice) as GraphNode['data'], endpoints: slice.endpoints ?? [] }))
    if (rest.length) {
      const endpoints = rest.flatMap((r) => r.endpoints ?? [])
      slices.push({ id: `more:slices:${key}`, endpoints, data: { kind: 'summary', of: 'slices', count: rest.length, within: endpoints.length, ready: endpoints.filter((e) => e.conditions.ready ?? true).length } })
    }
    const node: GraphNode = { id: `svc:${key}`, type: 'service', position: { x: 0, y: 0 }, width: L.serviceWidth, height, data }
    return { id: node.id, key, node, slices, depth: height + slices.length * (L.sliceGap + L.sliceHeight) }
  })
  if (allServices.length > services.length) {
    const count = allServices.length - services.length
    const node: GraphNode = { id: 'more:services', type: 'summary', position: { x: 0, y: 0 }, width: L.serviceWidth, height: L.summaryHeight, data: { kind: 'summary', of: 'services', count, ready: 0 } }
    columns.push({ id: node.id, node, slices: [], depth: L.summaryHeight })
  }
  let top = L.hubHeight + L.bandGap
  const sliceNodes: { id: string; endpoints: readonly Endpoint[]; serviceKey: string }[] = []
  for (let row = 0; row * cols < columns.length; row++) {
    const inRow = columns.slice(row * cols, (row + 1) * cols)
    inRow.forEach((c, i) => {
      const x = i * columnWidth
      nodes.push({ ...c.node, position: { x, y: top } })
      c.slices.forEach((slice, j) => {
        const y = top + c.node.height + L.sliceGap + j * (L.sliceHeight + L.sliceGap)
        nodes.push({ id: slice.id, type: slice.data.kind === 'summary' ? 'summary' : 'endpointslice', position: { x, y }, width: L.serviceWidth, height: L.sliceHeight, data: slice.data })
        if (c.key) sliceNodes.push({ id: slice.id, endpoints: slice.endpoints, serviceKey: c.key })
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
  const slot = (i: number) => L.nodeHeader + i * (L.podHeight + L.podGap)
  const heightFor = (cards: number) => slot(Math.max(1, cards)) - L.podGap + L.nodeFooter
  k8sNodes.forEach((n, i) => {
    const all = (podsByNode.get(n.metadata.name) ?? []).sort((a, b) => created(a.pod, b.pod))
    const drawn = all.length > MAX_PODS_DRAWN ? all.slice(0, MAX_PODS_DRAWN - 1) : all
    const rest = all.slice(drawn.length)
    const id = `node:${n.metadata.name}`
    const x = i * (L.nodeWidth + L.nodeGap)
    nodes.push({
      id, type: 'node',
      position: { x, y: nodesTop },
      width: L.nodeWidth,
      height: heightFor(drawn.length + (rest.length ? 1 : 0)),
      data: {
        kind: 'node', name: n.metadata.name,
        ip: n.status.addresses.find((a) => a.type === 'InternalIP')?.address ?? '',
        podCIDR: n.spec.podCIDR,
        controlPlane: isControlPlane(n),
        rules: ruleCount(n.metadata.name),
        ...(badges?.has(id) ? { faults: badges.get(id) } : {}),
      },
    })
    drawn.forEach(({ pod, gone }, k) => {
      entries.set(podId(pod), { x: x + L.podInset / 2, y: nodesTop })
      nodes.push({ id: podId(pod), type: 'pod', parentId: id, position: { x: L.podInset, y: slot(k) }, width: L.podWidth, height: L.podHeight, data: gone ? podData(pod, gone) : withFaults(podData(pod, gone), badges?.get(podId(pod))) })
    })
    if (rest.length) {
      const more = `more:${n.metadata.name}`
      entries.set(more, { x: x + L.podInset / 2, y: nodesTop })
      for (const { pod } of rest) summarised.set(podId(pod), more)
      nodes.push({
        id: more, type: 'summary', parentId: id,
        position: { x: L.podInset, y: slot(drawn.length) }, width: L.podWidth, height: L.summaryHeight,
        data: { kind: 'summary', of: 'pods', node: n.metadata.name, count: rest.length, ready: readyCount(rest) },
      })
    }
  })
  if (hiddenNodes.length) {
    const pods = hiddenNodes.flatMap((n) => podsByNode.get(n.metadata.name) ?? [])
    for (const n of hiddenNodes) summarised.set(`node:${n.metadata.name}`, 'more:nodes')
    for (const { pod } of pods) summarised.set(podId(pod), 'more:nodes')
    nodes.push({
      id: 'more:nodes', type: 'summary', position: { x: k8sNodes.length * (L.nodeWidth + L.nodeGap), y: nodesTop }, width: L.nodeWidth, height: heightFor(1),
      data: { kind: 'summary', of: 'nodes', count: hiddenNodes.length, ready: readyCount(pods), within: pods.length },
    })
  }
  // Outside the cluster, right of the Nodes (where a row of Services leaves room): the Internet once something is
  // exposed on a NodePort, and the load balancer once a Service asks for one. Traffic from outside enters from here,
  // along lanes above the Nodes into the top of each one (where a packet meets a Node's kernel).
  const exposed = services.filter((s) => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer')
  const externalX = nodesWidth + L.externalGap
  if (exposed.length) {
    const internet = { x: externalX, y: nodesTop, width: L.externalWidth, height: L.externalHeight }
    const lb = { ...internet, y: nodesTop + L.externalHeight + L.externalGap }
    const targets = [...k8sNodes.map((n, i) => ({ id: `node:${n.metadata.name}`, i })), ...(hiddenNodes.length ? [{ id: 'more:nodes', i: k8sNodes.length }] : [])]
    // Two lanes in the gap left of the boxes, two buses above the Nodes; the Internet's is the upper one.
    const toNode = (from: { y: number }, lane: number, bus: number, dx: number, i: number) => {
      const cx = i * (L.nodeWidth + L.nodeGap) + L.nodeWidth / 2 + dx
      return [{ x: externalX, y: from.y }, { x: lane, y: from.y }, { x: lane, y: bus }, { x: cx, y: bus }, { x: cx, y: nodesTop }]
    }
    nodes.push({ id: 'ext:internet', type: 'external', position: internet, width: internet.width, height: internet.height, data: { kind: 'external', name: 'internet', addresses: [EXTERNAL_CLIENT] } })
    for (const t of targets) {
      edges.push({ id: `e:internet>${t.id}`, source: 'ext:internet', target: t.id, external: { via: 'nodeport', points: toNode({ y: internet.y + internet.height / 2 }, externalX - L.externalGap / 3, nodesTop - (2 * L.nodesGap) / 5, -8, t.i) } })
    }
    if (exposed.some((s) => s.spec.type === 'LoadBalancer')) {
      const vips = exposed.flatMap((s) => (s.spec.type === 'LoadBalancer' ? (s.status.loadBalancer.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])) : []))
      const modes = [...new Set(exposed.flatMap((s) => (s.spec.type === 'LoadBalancer' ? (s.status.loadBalancer.ingress ?? []).map((i) => (i.ipMode === 'Proxy' ? 'Proxy' : 'VIP') as 'VIP' | 'Proxy') : [])))].sort()
      nodes.push({ id: 'ext:lb', type: 'external', position: lb, width: lb.width, height: lb.height, data: { kind: 'external', name: 'load balancer', addresses: vips, modes } })
      const cx = externalX + L.externalWidth / 2
      edges.push({ id: 'e:internet>lb', source: 'ext:internet', target: 'ext:lb', external: { via: 'to-lb', points: [{ x: cx, y: internet.y + internet.height }, { x: cx, y: lb.y }] } })
      for (const t of targets) {
        edges.push({ id: `e:lb>${t.id}`, source: 'ext:lb', target: t.id, external: { via: 'lb', points: toNode({ y: lb.y + lb.height / 2 }, externalX - (2 * L.externalGap) / 3, nodesTop - L.nodesGap / 5, 8, t.i) } })
      }
    }
  }
  // Pods no node has taken yet wait to the right of the nodes (and of the outside world, when it is drawn).
  const laneX = exposed.length ? externalX + L.externalWidth + L.nodeGap : nodesWidth + L.nodeGap
  const waiting = (podsByNode.get('') ?? []).sort((a, b) => created(a.pod, b.pod))
  const waitingDrawn = waiting.length > MAX_PODS_DRAWN ? waiting.slice(0, MAX_PODS_DRAWN - 1) : waiting
  waitingDrawn.forEach(({ pod, gone }, i) => {
    nodes.push({ id: podId(pod), type: 'pod', position: { x: laneX, y: nodesTop + i * (L.podHeight + L.podGap) }, width: L.podWidth, height: L.podHeight, data: gone ? podData(pod, gone) : withFaults(podData(pod, gone), badges?.get(podId(pod))) })
  })
  if (waiting.length > waitingDrawn.length) {
    const rest = waiting.slice(waitingDrawn.length)
    for (const { pod } of rest) summarised.set(podId(pod), 'more:pending')
    nodes.push({
      id: 'more:pending', type: 'summary', position: { x: laneX, y: nodesTop + waitingDrawn.length * (L.podHeight + L.podGap) }, width: L.podWidth, height: L.summaryHeight,
      data: { kind: 'summary', of: 'pods', count: rest.length, ready: 0 },
    })
  }

  nodes.push({ id: 'cp:hub', type: 'controlPlane', position: { x: 0, y: 0 }, width: Math.max(bandWidth, nodesWidth, 600), height: L.hubHeight, data: { kind: 'controlPlane', name: 'control plane' } })

  const podIds = new Set(nodes.filter((n) => n.type === 'pod').map((n) => n.id))
  for (const { id: sliceId, endpoints, serviceKey } of sliceNodes) {
    edges.push({ id: `e:${serviceKey}>${sliceId}`, source: `svc:${serviceKey}`, target: sliceId })
    // Endpoints of pods counted in a summary card are drawn as one edge to that card, in the best condition among
    // them (and a summary of slices draws one edge per pod or card it reaches).
    const best = new Map<string, EndpointCondition>()
    for (const ep of endpoints) {
      const pod = ep.targetRef ? `pod:${ep.targetRef.namespace}/${ep.targetRef.name}` : undefined
      const target = pod && (podIds.has(pod) ? pod : summarised.get(pod))
      if (!target) continue
      const condition = endpointCondition(ep.conditions)
      const seen = best.get(target)
      if (!seen || CONDITION_RANK[condition] < CONDITION_RANK[seen]) best.set(target, condition)
    }
    for (const [target, condition] of best) {
      const entry = entries.get(target)
      edges.push({ id: `e:${sliceId}>${target}`, source: sliceId, target, condition, ...(entry ? { entry } : {}) })
    }
  }
  return { nodes, edges, summarised }
}

/** Which condition a summary's edge shows when its pods differ: the one that matters most for traffic. */
const CONDITION_RANK: Record<EndpointCondition, number> = { ready: 0, serving: 1, terminating: 2, 'not-ready': 3 }

/** Each drawn card's rectangle in graph units, a pod's offset by its Node's position. */
export function absoluteRects(nodes: readonly GraphNode[]): Map<string, Rect> {
  const out = new Map<string, Rect>()
  for (const n of nodes) if (!n.parentId) out.set(n.id, { x: n.position.x, y: n.position.y, width: n.width, height: n.height })
  for (const n of nodes) {
    if (!n.parentId) continue
    const parent = out.get(n.parentId)
    out.set(n.id, { x: (parent?.x ?? 0) + n.position.x, y: (parent?.y ?? 0) + n.position.y, width: n.width, height: n.height })
  }
  return out
}

/** The drawing's extent: every card that stands on its own (pods are inside their Nodes). */
export function boundsOf(nodes: readonly GraphNode[]): Rect {
  return union(nodes.filter((n) => !n.parentId).map((n) => ({ x: n.position.x, y: n.position.y, width: n.width, height: n.height }))) ?? { x: 0, y: 0, width: 1, height: 1 }
}
