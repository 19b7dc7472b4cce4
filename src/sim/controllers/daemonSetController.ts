import { controllerOf, matchesLabels, type KubeObject } from '../model/meta'
import type { Node, Taint } from '../model/node'
import { isPodReady, type Pod, type Toleration } from '../model/pod'
import { podFromTemplate } from '../model/podFactory'
import type { DaemonSet, PodTemplateSpec } from '../model/workloads'
import type { Controller, ControllerContext } from '../runtime/runtime'
import type { ClusterState } from '../state'
import { forbiddenPodMessage, mountServiceAccountToken, serviceAccountForbidden } from '../admission/serviceAccount'
import { SAFE_ALPHABET } from '../runtime/hash'
import { computeHash } from './deploymentUtil'
import { deletePodGracefully } from './podDeletion'
import { tolerates } from './scheduler'

/**
 * The DaemonSets this controller runs: the ones the cluster is built with. A DaemonSet applied by hand is stored but
 * not simulated, as apply says.
 */
export const SIMULATED_DAEMONSETS: ReadonlySet<string> = new Set(['kube-system/kube-proxy'])

/** The DaemonSet controller adds these to every daemon pod (AddOrUpdateDaemonPodTolerations), so it runs through them. */
const DAEMON_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
]
const HOST_NETWORK_TOLERATION: Toleration = { key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' }

const dsKey = (ds: KubeObject) => `${ds.metadata.namespace}/${ds.metadata.name}`

/**
 * The DaemonSet controller (pkg/controller/daemon), for the cluster's own DaemonSets: one pod on every node the pod
 * fits (node selector, taints), a replacement once a deleted pod is gone, extras and misplaced pods deleted, and the
 * counts kubectl shows. It binds each pod to its node itself, where upstream sets a node affinity and lets the
 * scheduler bind it.
 */
export const daemonSetController: Controller = {
  name: 'daemonset-controller',
  reconcile(state, ctx) {
    const keys = new Set(ctx.take())
    if (keys.has('*')) for (const key of SIMULATED_DAEMONSETS) keys.add(key)
    keys.delete('*')
    for (const key of keys) {
      if (!SIMULATED_DAEMONSETS.has(key)) continue
      const ds = state.others.get(`apps/v1/DaemonSet/${key}`) as DaemonSet | undefined
      if (ds?.spec?.template && !ds.metadata.deletionTimestamp) state = syncDaemonSet(state, ctx, ds)
    }
    return state
  },
}

/** What a template's pods tolerate and its revision hash, worked out once per template object. */
const perTemplate = new WeakMap<PodTemplateSpec, { tolerations: Toleration[]; hash: string }>()
function templateFacts(template: PodTemplateSpec): { tolerations: Toleration[]; hash: string } {
  let facts = perTemplate.get(template)
  if (!facts) perTemplate.set(template, (facts = { tolerations: [...(template.spec.tolerations ?? []), ...DAEMON_TOLERATIONS], hash: computeHash(template) }))
  return facts
}

/** nodeShouldRunDaemonPod: the template's node selector matches and every NoSchedule/NoExecute taint is tolerated. */
function shouldRun(node: Node, template: PodTemplateSpec): boolean {
  if (template.spec.nodeSelector && !matchesLabels(template.spec.nodeSelector, node.metadata.labels)) return false
  const taints = node.spec.taints
  if (!taints || taints.length === 0) return true
  const { tolerations } = templateFacts(template)
  return taints.every((t: Taint) => t.effect === 'PreferNoSchedule' || tolerates(tolerations, t))
}

function syncDaemonSet(state: ClusterState, ctx: ControllerContext, ds: DaemonSet): ClusterState {
  const object = `DaemonSet ${dsKey(ds)}`
  const byNode = new Map<string, Pod[]>()
  for (const dep of ctx.index.dependentsOf(ds.metadata.uid!)) {
    const pod = dep.startsWith('Pod|') ? ctx.index.pods.get(dep.slice(4)) : undefined
    if (!pod || controllerOf(pod.metadata)?.uid !== ds.metadata.uid) continue
    const node = pod.spec.nodeName ?? ''
    const list = byNode.get(node)
    if (list) list.push(pod)
    else byNode.set(node, [pod])
  }
  const remove = (pod: Pod) => {
    state = deletePodGracefully(state, ctx.api, pod)
    ctx.record({ actor: 'daemonset-controller', action: 'delete', object, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}` })
  }
  let desired = 0
  for (const node of state.nodes.values()) {
    const pods = byNode.get(node.metadata.name) ?? []
    byNode.delete(node.metadata.name)
    if (!shouldRun(node, ds.spec.template)) {
      for (const pod of pods) if (!pod.metadata.deletionTimestamp) remove(pod)
      continue
    }
    desired++
    // A pod being deleted still holds its node's place: the replacement comes once it is gone.
    if (pods.length === 0) {
      state = createDaemonPod(state, ctx, ds, node.metadata.name, object)
      continue
    }
    for (const pod of pods) if (pod.status.phase === 'Failed' && !pod.metadata.deletionTimestamp) remove(pod)
    const running = pods.filter((p) => !p.metadata.deletionTimestamp && p.status.phase !== 'Failed')
    // More than one on a node: the oldest stays.
    running.sort((a, b) => (a.metadata.creationTimestamp! < b.metadata.creationTimestamp! ? -1 : 1))
    for (const extra of running.slice(1)) remove(extra)
  }
  // Pods bound to nodes that are gone.
  for (const pods of byNode.values()) for (const pod of pods) if (!pod.metadata.deletionTimestamp) remove(pod)
  return updateStatus(state, ctx, ds, desired)
}

function createDaemonPod(state: ClusterState, ctx: ControllerContext, ds: DaemonSet, nodeName: string, object: string): ClusterState {
  const template = ds.spec.template
  const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name: ds.metadata.name, uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }
  const facts = templateFacts(template)
  const labels = { ...template.metadata?.labels, 'controller-revision-hash': facts.hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) }
  const tolerations = [...facts.tolerations, ...(template.spec.hostNetwork ? [HOST_NETWORK_TOLERATION] : [])]
  const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } }
  const generateName = `${ds.metadata.name}-`
  const draft = podFromTemplate({ metadata: { ...template.metadata, labels }, spec: { ...template.spec, tolerations, affinity } }, ds.metadata.namespace!, generateName, owner)
  const refused = serviceAccountForbidden(state, draft, new Set())
  if (refused) {
    // Tried again with the workqueue's backoff (5 ms, doubling, at most 1000 s), as every failed sync is.
    const failures = ctx.memory(() => new Map<string, number>())
    const n = failures.get(dsKey(ds)) ?? 0
    failures.set(dsKey(ds), n + 1)
    ctx.after(Math.min(5 * 2 ** n, 1_000_000), dsKey(ds))
    ctx.record({ actor: 'daemonset-controller', action: 'fail', object, reason: 'FailedCreate', message: `Error creating: ${forbiddenPodMessage(generateName, refused, false)}` })
    return state
  }
  ctx.memory(() => new Map<string, number>()).delete(dsKey(ds))
  const admitted = mountServiceAccountToken(state, draft, () => ctx.rng.names.string(SAFE_ALPHABET, 5))
  const created = ctx.api.create(state, { ...admitted, spec: { ...admitted.spec, nodeName } })
  ctx.record({ actor: 'daemonset-controller', action: 'create', object, reason: 'SuccessfulCreate', message: `Created pod: ${created.object.metadata.name}` })
  return created.state
}

/** The counts `kubectl get ds` prints: desired, current (scheduled), ready, up-to-date and available. */
function updateStatus(state: ClusterState, ctx: ControllerContext, ds: DaemonSet, desired: number): ClusterState {
  let current = 0
  let ready = 0
  let misscheduled = 0
  for (const dep of ctx.index.dependentsOf(ds.metadata.uid!)) {
    const pod = dep.startsWith('Pod|') ? ctx.index.pods.get(dep.slice(4)) : undefined
    if (!pod || pod.metadata.deletionTimestamp || controllerOf(pod.metadata)?.uid !== ds.metadata.uid) continue
    const node = pod.spec.nodeName ? state.nodes.get(pod.spec.nodeName) : undefined
    if (!node || !shouldRun(node, ds.spec.template)) {
      misscheduled++
      continue
    }
    current++
    if (isPodReady(pod)) ready++
  }
  const status = {
    currentNumberScheduled: current,
    desiredNumberScheduled: desired,
    numberAvailable: ready,
    numberMisscheduled: misscheduled,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: current,
    ...(desired - ready > 0 ? { numberUnavailable: desired - ready } : {}),
  }
  return ctx.api.update(state, { ...ds, status })
}
