import { controllerOf } from '../model/meta'
import type { Node, Taint } from '../model/node'
import type { Pod, Toleration } from '../model/pod'
import { cpuMillis, memoryBytes, podRequests } from '../model/podFactory'
import type { Controller, ControllerContext } from '../runtime/runtime'
import { toTimestamp } from '../runtime/time'
import type { ClusterState } from '../state'

/** A node as the filter loop reads it: everything at hand, no lookups. */
interface Candidate {
  readonly node: Node
  readonly cap: { pods: number; cpu: number; memory: number }
  readonly info: { pods: number; cpu: number; memory: number }
}

/** The candidate list, rebuilt when the Nodes table changes (it holds the indexes' live NodeInfo counts). */
interface SchedulerCache {
  nodesTable?: unknown
  candidates?: Candidate[]
}

interface SchedulerMemory {
  /** Pods that fit nowhere last time; retried when nodes change or pods go away. */
  unschedulable: Set<string>
  /** Round-robin start of the node search (the scheduler's nextStartNodeIndex). */
  nextStart: number
}

/**
 * kube-scheduler with the default profile, reduced to what changes where a pod lands: filter (unschedulable,
 * taints, node selector, pod count, cpu and memory), then score (spread replicas of one owner, least allocated), ties
 * broken at random. Like the real one it scores only a sample of a large cluster (percentageOfNodesToScore).
 */
export const scheduler: Controller = {
  name: 'default-scheduler',
  reconcile(state, ctx) {
    const keys = ctx.take()
    if (keys.length === 0) return state
    const memory = ctx.memory<SchedulerMemory>(() => ({ unschedulable: new Set(), nextStart: 0 }))
    const queue = new Set(keys.filter((k) => k !== '*'))
    if (keys.includes('*')) for (const k of memory.unschedulable) queue.add(k)
    const nodes = candidates(state, ctx, ctx.cache<SchedulerCache>(() => ({})))
    const spread = new Map<string, Map<string, number>>()
    for (const key of queue) {
      const pod = state.pods.get(key)
      memory.unschedulable.delete(key)
      if (!pod || pod.spec.nodeName || pod.metadata.deletionTimestamp) continue
      state = schedulePod(state, ctx, pod, nodes, memory, spread)
    }
    return state
  },
}

function candidates(state: ClusterState, ctx: ControllerContext, cache: SchedulerCache): Candidate[] {
  if (cache.nodesTable !== state.nodes || !cache.candidates) {
    cache.nodesTable = state.nodes
    cache.candidates = [...state.nodes.values()].map((node) => ({ node, cap: allocatable(node), info: ctx.index.nodeInfoOf(node.metadata.name) }))
  }
  return cache.candidates
}

/** numFeasibleNodesToFind: all nodes below 100, otherwise an adaptive percentage (50% - nodes/125, at least 5%). */
export function nodesToFind(total: number): number {
  if (total < 100) return total
  const pct = Math.max(5, 50 - Math.floor(total / 125))
  return Math.max(100, Math.floor((total * pct) / 100))
}

function schedulePod(state: ClusterState, ctx: ControllerContext, pod: Pod, nodes: Candidate[], memory: SchedulerMemory, spread: Map<string, Map<string, number>>): ClusterState {
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`
  const want = podRequests(pod)
  const fit: PodFit = { pod, want, nodeSelector: Object.entries(pod.spec.nodeSelector ?? {}) }
  const ownerUid = controllerOf(pod.metadata)?.uid
  const perNode = ownerUid ? ownerSpread(ctx, ownerUid, spread) : undefined
  const reasons = new Map<string, number>()
  const limit = nodesToFind(nodes.length)
  let feasible = 0
  let best: Node | undefined
  let bestScore = -Infinity
  let ties = 0
  for (let i = 0; i < nodes.length && feasible < limit; i++) {
    const candidate = nodes[(memory.nextStart + i) % nodes.length]!
    const reason = filter(candidate, fit)
    if (reason) {
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
      continue
    }
    feasible++
    const score = scoreNode(candidate, want) - (perNode && perNode.size > 0 ? 100 * (perNode.get(candidate.node.metadata.name) ?? 0) : 0)
    if (score > bestScore) {
      best = candidate.node
      bestScore = score
      ties = 1
    } else if (score === bestScore && ctx.rng.scheduler.int(++ties) === 0) {
      best = candidate.node
    }
  }
  if (nodes.length > 0) memory.nextStart = (memory.nextStart + feasible + [...reasons.values()].reduce((a, b) => a + b, 0)) % nodes.length
  const now = toTimestamp(state.now)
  if (!best) {
    memory.unschedulable.add(key)
    const message = fitErrorMessage(nodes.length, reasons)
    const old = pod.status.conditions?.find((c) => c.type === 'PodScheduled')
    if (old?.message === message) return state
    ctx.record({ actor: 'default-scheduler', action: 'fail', object: `Pod ${key}`, reason: 'FailedScheduling', message })
    return ctx.api.update(state, {
      ...pod,
      status: { ...pod.status, conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'Unschedulable', message }] },
    })
  }
  const nodeName = best.metadata.name
  if (perNode) perNode.set(nodeName, (perNode.get(nodeName) ?? 0) + 1)
  ctx.record({ actor: 'default-scheduler', action: 'bind', object: `Pod ${key}`, reason: 'Scheduled', message: `Successfully assigned ${key} to ${nodeName}` })
  return ctx.api.update(state, {
    ...pod,
    spec: { ...pod.spec, nodeName },
    status: { ...pod.status, conditions: [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] },
  })
}

/** How many active pods of one owner each node runs (PodTopologySpread's default hostname constraint, simplified). */
function ownerSpread(ctx: ControllerContext, ownerUid: string, cache: Map<string, Map<string, number>>): Map<string, number> {
  let perNode = cache.get(ownerUid)
  if (perNode) return perNode
  perNode = new Map()
  for (const dep of ctx.index.dependentsOf(ownerUid)) {
    if (!dep.startsWith('Pod|')) continue
    const p = ctx.index.pods.get(dep.slice(4))
    if (p?.spec.nodeName && !p.metadata.deletionTimestamp) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1)
  }
  cache.set(ownerUid, perNode)
  return perNode
}

/** Whether one of the tolerations tolerates the taint (v1helper.TolerationsTolerateTaint). */
export function tolerates(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  for (const t of tolerations ?? []) {
    if (t.effect && t.effect !== taint.effect) continue
    if (t.operator === 'Exists' ? !t.key || t.key === taint.key : t.key === taint.key && (t.value ?? '') === (taint.value ?? '')) return true
  }
  return false
}

/** What the filters need of a pod, worked out once per pod rather than once per node. */
interface PodFit {
  readonly pod: Pod
  readonly want: { cpu: number; memory: number }
  readonly nodeSelector: readonly [string, string][]
}

const capacities = new WeakMap<Node, { pods: number; cpu: number; memory: number }>()

/** A node's allocatable resources, parsed once per Node object. */
function allocatable(node: Node): { pods: number; cpu: number; memory: number } {
  let c = capacities.get(node)
  if (!c) {
    const a = node.status.allocatable
    capacities.set(node, (c = { pods: Number(a['pods'] ?? 110), cpu: cpuMillis(a['cpu']), memory: memoryBytes(a['memory']) }))
  }
  return c
}

/** The first failing default filter plugin's reason, or undefined when the pod fits. */
function filter({ node, cap, info: used }: Candidate, fit: PodFit): string | undefined {
  const { pod, want } = fit
  if (node.spec.unschedulable && !tolerates(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) return 'node(s) were unschedulable'
  if (node.spec.taints) {
    for (const taint of node.spec.taints) {
      if (taint.effect === 'PreferNoSchedule') continue
      if (!tolerates(pod.spec.tolerations, taint)) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`
    }
  }
  for (const [k, v] of fit.nodeSelector) {
    if (node.metadata.labels?.[k] !== v) return "node(s) didn't match Pod's node affinity/selector"
  }
  if (used.pods + 1 > cap.pods) return 'Too many pods'
  if (want.cpu > 0 && used.cpu + want.cpu > cap.cpu) return 'Insufficient cpu'
  if (want.memory > 0 && used.memory + want.memory > cap.memory) return 'Insufficient memory'
  return undefined
}

/** NodeResourcesFit LeastAllocated (pods without requests count as 100m / 200Mi, as the scorer does). */
function scoreNode({ cap, info: used }: Candidate, want: { cpu: number; memory: number }): number {
  const count = used.pods
  const { cpu: cpuCap, memory: memCap } = cap
  const cpu = used.cpu + Math.max(want.cpu, 100) + 100 * count
  const mem = used.memory + Math.max(want.memory, 200 * 2 ** 20) + 200 * 2 ** 20 * count
  const free = (x: number, cap: number) => (cap > 0 ? Math.max(0, ((cap - x) * 100) / cap) : 0)
  return Math.floor((free(cpu, cpuCap) + free(mem, memCap)) / 2)
}

/** FitError: "0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 Insufficient cpu. preemption: ..." */
export function fitErrorMessage(total: number, reasons: Map<string, number>): string {
  const histogram = [...reasons.entries()].map(([r, n]) => `${n} ${r}`).sort()
  const head = `0/${total} nodes are available: ${histogram.join(', ')}.`
  const resolvable = [...reasons.entries()].filter(([r]) => r.startsWith('Insufficient') || r === 'Too many pods').reduce((n, [, c]) => n + c, 0)
  const unresolvable = total - resolvable
  const parts = [
    ...(unresolvable > 0 ? [`${unresolvable} Preemption is not helpful for scheduling`] : []),
    ...(resolvable > 0 ? [`${resolvable} No preemption victims found for incoming pod`] : []),
  ].sort()
  return total === 0 ? 'no nodes available to schedule pods' : `${head} preemption: 0/${total} nodes are available: ${parts.join(', ')}.`
}
