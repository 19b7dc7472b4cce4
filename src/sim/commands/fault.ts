import type { Engine } from '../engine'
import { isKubeProxyStalled } from '../faults'
import { FAULT_KINDS, FAULT_TARGETS, faultKey, isFaultKind, type Fault, type FaultKind } from '../model/fault'
import { isControlPlane } from '../model/node'
import { failed, type CommandResult } from './results'

const supported = `supported values: ${FAULT_KINDS.map((k) => `"${k}"`).join(', ')}`

/** The target as the state keys it ("web-1" -> "default/web-1", "b,a" -> "a,b"), or why it names nothing there is. */
function normalizeTarget(engine: Engine, fault: FaultKind, target: string): { target: string } | { error: string } {
  const state = engine.state
  switch (FAULT_TARGETS[fault]) {
    case 'node': {
      const node = state.nodes.get(target)
      if (!node) return { error: `Error from server (NotFound): nodes "${target}" not found` }
      if (fault === 'node-down' && isControlPlane(node)) {
        return { error: `target: Invalid value: "${target}": the control plane node runs the API server, etcd and the controllers here; it cannot go down (pick a worker)` }
      }
      return { target }
    }
    case 'pod': {
      const key = target.includes('/') ? target : `default/${target}`
      const pod = state.pods.get(key)
      if (!pod) return { error: `Error from server (NotFound): pods "${key.slice(key.indexOf('/') + 1)}" not found` }
      if (fault === 'readiness-failing' && !pod.spec.containers.some((c) => c.readinessProbe)) {
        return { error: `target: Invalid value: "${key}": the pod has no readiness probe, so the kubelet counts it ready as long as its containers run (try container-crash)` }
      }
      return { target: key }
    }
    case 'nodes': {
      const parts = target.split(',').map((s) => s.trim())
      if (parts.length !== 2 || !parts[0] || !parts[1] || parts[0] === parts[1]) return { error: `target: Invalid value: "${target}": a partition is between two nodes: "nodeA,nodeB"` }
      for (const n of parts) if (!state.nodes.has(n)) return { error: `Error from server (NotFound): nodes "${n}" not found` }
      parts.sort()
      return { target: parts.join(',') }
    }
  }
}

function check(engine: Engine, fault: unknown, target: unknown): { fault: FaultKind; target: string } | CommandResult {
  if (!isFaultKind(fault)) return failed([{ path: 'fault', message: `fault: Unsupported value: ${JSON.stringify(fault)}: ${supported}` }])
  if (typeof target !== 'string' || target === '') return failed([{ path: 'target', message: `target: Required value: ${FAULT_TARGETS[fault] === 'pod' ? 'a pod ("namespace/name")' : FAULT_TARGETS[fault] === 'node' ? 'a node' : 'two nodes ("nodeA,nodeB")'}` }])
  const t = normalizeTarget(engine, fault, target)
  return 'error' in t ? failed([{ path: 'target', message: t.error }]) : { fault, target: t.target }
}

function heldFault(engine: Engine, fault: FaultKind, target: string): { fault: FaultKind; target: string } | undefined {
  const kind = FAULT_TARGETS[fault]
  const normal = kind === 'pod' && !target.includes('/') ? `default/${target}` : kind === 'nodes' ? target.split(',').map((s) => s.trim()).sort().join(',') : target
  return engine.state.faults.has(faultKey(fault, normal)) ? { fault, target: normal } : undefined
}

/** Who has to look again when a fault begins or ends: the kubelet of each pod concerned, the node's lifecycle and kube-proxy. */
function wake(engine: Engine, fault: FaultKind, target: string): void {
  const rt = engine.rt
  if (FAULT_TARGETS[fault] === 'pod') {
    rt.enqueue('kubelet', target)
    return
  }
  for (const node of target.split(',')) {
    rt.enqueue('node-lifecycle-controller', node)
    // A kube-proxy that resumes syncs at once (a stalled one skips the sync).
    if (fault !== 'partition') rt.enqueue('kube-proxy', `sync:${node}`)
    if (fault === 'node-down') {
      for (const pod of rt.index.podsByNode.get(node) ?? []) {
        rt.enqueue('kubelet', pod)
        if (rt.index.pods.get(pod)?.metadata.labels?.['k8s-app'] === 'kube-dns') rt.enqueue('coredns', `pod:${pod}`)
      }
    }
  }
}

const outcome = (f: { fault: FaultKind; target: string }, verb: 'injected' | 'healed'): CommandResult['applied'][number] => {
  const pod = FAULT_TARGETS[f.fault] === 'pod'
  const [namespace, name] = pod ? (f.target.split('/') as [string, string]) : [undefined, f.target]
  return { kind: pod ? 'Pod' : 'Node', namespace, name, result: verb === 'injected' ? 'fault injected' : 'fault healed', simulated: true, message: `fault ${f.fault} on ${f.target} ${verb}` }
}

/** Breaks something on purpose: the fault is held in the state from now on, and the cluster reacts as it would. */
export function injectFault(engine: Engine, fault: unknown, target: unknown): CommandResult {
  const f = check(engine, fault, target)
  if ('ok' in f) return f
  const key = faultKey(f.fault, f.target)
  if (engine.state.faults.has(key)) return failed([{ path: 'target', message: `fault ${f.fault} on ${f.target} is already active` }])
  const stalledBefore = f.fault === 'kube-proxy-stalled' && isKubeProxyStalled(engine.state, f.target)
  const record: Fault = { fault: f.fault, target: f.target, since: engine.state.now }
  engine.state = { ...engine.state, faults: engine.state.faults.set(key, record) }
  engine.rt.record({ time: engine.state.now, actor: 'user', action: 'fault', object: FAULT_TARGETS[f.fault] === 'pod' ? `Pod ${f.target}` : `Node ${f.target.split(',')[0]}`, message: faultStory(f.fault, f.target, stalledBefore) })
  wake(engine, f.fault, f.target)
  engine.reconcile()
  return { ok: true, errors: [], applied: [outcome(f, 'injected')] }
}

/** Ends a fault: the kubelet, kube-proxy or the network work again, and the cluster recovers at its own pace. */
export function healFault(engine: Engine, fault: unknown, target: unknown): CommandResult {
  // A fault held is healed whatever became of its target.
  const held = isFaultKind(fault) && typeof target === 'string' ? heldFault(engine, fault, target) : undefined
  const f = held ?? check(engine, fault, target)
  if ('ok' in f) return f
  const key = faultKey(f.fault, f.target)
  if (!engine.state.faults.has(key)) return failed([{ path: 'target', message: `no fault ${f.fault} on ${f.target} to heal` }])
  engine.state = { ...engine.state, faults: engine.state.faults.delete(key) }
  engine.rt.record({ time: engine.state.now, actor: 'user', action: 'heal', object: FAULT_TARGETS[f.fault] === 'pod' ? `Pod ${f.target}` : `Node ${f.target.split(',')[0]}`, message: healStory(f.fault, f.target) })
  wake(engine, f.fault, f.target)
  engine.reconcile()
  return { ok: true, errors: [], applied: [outcome(f, 'healed')] }
}

function faultStory(fault: FaultKind, target: string, stalledBefore: boolean): string {
  switch (fault) {
    case 'node-down':
      return `Node ${target} went down: its kubelet stops posting status and packets to and from it are lost. The node lifecycle controller notices once the grace period passes without a heartbeat`
    case 'readiness-failing':
      return `The readiness probe of ${target} starts failing: after failureThreshold failures in a row the kubelet marks it not Ready`
    case 'container-crash':
      return `The container of ${target} crashes: the kubelet restarts it, backing off 10s, 20s, 40s... up to 5m while it keeps crashing`
    case 'kube-proxy-stalled':
      return `kube-proxy on ${target} stalls${stalledBefore ? ' (it was not syncing already)' : ''}: the node's rules stay as they are, whatever changes`
    case 'partition':
      return `The network between ${target.replace(',', ' and ')} is cut: packets between them are dropped`
  }
}

function healStory(fault: FaultKind, target: string): string {
  switch (fault) {
    case 'node-down':
      return `Node ${target} is back: its kubelet posts status again`
    case 'readiness-failing':
      return `The readiness probe of ${target} passes again`
    case 'container-crash':
      return `The container of ${target} no longer crashes: its next start keeps running`
    case 'kube-proxy-stalled':
      return `kube-proxy on ${target} resumes and catches up on what changed`
    case 'partition':
      return `The network between ${target.replace(',', ' and ')} works again`
  }
}
