import { faultOf } from '../../faults'
import { lastRenewal } from '../../controllers/nodeLifecycleController'
import type { Node } from '../../model/node'
import type { Pod } from '../../model/pod'
import type { SimEvent } from '../../runtime/events'
import { toTimestamp } from '../../runtime/time'
import type { ClusterState } from '../../state'
import { printObjectEvents } from './eventsSection'
import { rfc1123z, timestampSince } from './fieldFormat'
import { printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline } from './multiline'
import { addResources, podRequestsAndLimits, type ResourceTotals } from './podResources'
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './prefixWriter'
import { formatQuantity, milliValue, parseQuantity, wholeValue, ZERO } from './quantity'

const ROLE_PREFIX = 'node-role.kubernetes.io/'

/** findNodeRoles: the node-role.kubernetes.io/<role> labels and the kubernetes.io/role value, sorted. */
function nodeRoles(node: Node): string[] {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length))
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v)
  }
  return [...roles].sort()
}


/**
 * describeNodeLease for the Lease the kubelet keeps in kube-node-lease: held by the node, never "acquired" (the kubelet
 * sets no acquireTime), renewed every 10 s since the node registered.
 */
function describeLease(w: PrefixWriter, state: ClusterState, node: Node, now: number): void {
  // A kubelet that is down renews nothing: the Lease stays at its last renewal before the fault.
  const down = faultOf(state, 'node-down', node.metadata.name)
  const renewed = lastRenewal(node, down ? down.since : now)
  w.write(LEVEL_0, 'Lease:\n')
  w.write(LEVEL_1, `HolderIdentity:\t${node.metadata.name}\n`)
  w.write(LEVEL_1, 'AcquireTime:\t<unset>\n')
  w.write(LEVEL_1, `RenewTime:\t${rfc1123z(toTimestamp(renewed))}\n`)
}

/** "100m (5%)": a quantity and its share of the allocatable amount, truncated as Go's int64() of a float does. */
const share = (q: ReturnType<typeof parseQuantity>, part: number, whole: number) => `${formatQuantity(q)} (${whole === 0 ? 0 : Math.trunc((part / whole) * 100)}%)`

/** describeNodeResource: the node's pods with their requests and limits, then the totals against allocatable. */
function describeNodeResource(w: PrefixWriter, node: Node, pods: readonly Pod[], now: number): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`)
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n')
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n')
  const allocatable = Object.keys(node.status.allocatable).length > 0 ? node.status.allocatable : node.status.capacity
  const cpu = milliValue(parseQuantity(allocatable['cpu']))
  const memory = wholeValue(parseQuantity(allocatable['memory']))
  const storage = wholeValue(parseQuantity(allocatable['ephemeral-storage']))
  const requests: ResourceTotals = new Map()
  const limits: ResourceTotals = new Map()
  for (const pod of pods) {
    const r = podRequestsAndLimits(pod)
    addResources(requests, r.requests)
    addResources(limits, r.limits)
    const [cr, cl, mr, ml] = [r.requests.get('cpu'), r.limits.get('cpu'), r.requests.get('memory'), r.limits.get('memory')].map((q) => q ?? ZERO) as [typeof ZERO, typeof ZERO, typeof ZERO, typeof ZERO]
    // Per pod, upstream divides without checking for a zero allocatable; every simulated node has some.
    w.write(LEVEL_1, `${pod.metadata.namespace}\t${pod.metadata.name}\t\t${share(cr, milliValue(cr), cpu)}\t${share(cl, milliValue(cl), cpu)}\t${share(mr, wholeValue(mr), memory)}\t${share(ml, wholeValue(ml), memory)}\t${timestampSince(pod.metadata.creationTimestamp, now)}\n`)
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n')
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n')
  w.write(LEVEL_1, '--------\t--------\t------\n')
  const row = (name: string, whole: number, value: (q: typeof ZERO) => number) => {
    const [req, lim] = [requests.get(name) ?? ZERO, limits.get(name) ?? ZERO]
    w.write(LEVEL_1, `${name}\t${share(req, value(req), whole)}\t${share(lim, value(lim), whole)}\n`)
  }
  row('cpu', cpu, milliValue)
  row('memory', memory, wholeValue)
  row('ephemeral-storage', storage, wholeValue)
  const standard = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods'])
  const names = Object.keys(allocatable).sort()
  for (const name of names.filter((n) => n.startsWith('hugepages-'))) row(name, wholeValue(parseQuantity(allocatable[name])), wholeValue)
  for (const name of names.filter((n) => !n.startsWith('hugepages-') && !standard.has(n))) {
    w.write(LEVEL_1, `${name}\t${formatQuantity(requests.get(name) ?? ZERO)}\t${formatQuantity(limits.get(name) ?? ZERO)}\n`)
  }
}

/** The pods bound to the node and not finished, as the API lists them (by namespace, then name). */
function nonTerminatedPods(state: ClusterState, node: Node): Pod[] {
  return state.pods
    .valueSeq()
    .filter((p) => p.spec.nodeName === node.metadata.name && p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed')
    .sortBy((p) => `${p.metadata.namespace}/${p.metadata.name}`)
    .toArray()
}

/**
 * kubectl describe node, after describe.go's describeNode: roles, labels, taints, its Lease, conditions, addresses,
 * capacity, system info, pod CIDRs, its pods and what they request, then the events.
 */
export function describeNode(state: ClusterState, node: Node, events: readonly SimEvent[], now: number): string {
  const pods = nonTerminatedPods(state, node)
  return tabbedString((w) => {
    const { metadata: meta, spec, status } = node
    w.write(LEVEL_0, `Name:\t${meta.name}\n`)
    const roles = nodeRoles(node)
    w.write(LEVEL_0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`)
    printTaintsMultiline(w, 'Taints', spec.taints)
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`)
    describeLease(w, state, node, now)
    if (status.conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n')
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n')
      for (const c of status.conditions) {
        w.write(LEVEL_1, `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason} \t${c.message}\n`)
      }
    }
    w.write(LEVEL_0, 'Addresses:\n')
    for (const a of status.addresses) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`)
    for (const [title, list] of [['Capacity', status.capacity], ['Allocatable', status.allocatable]] as const) {
      if (Object.keys(list).length === 0) continue
      w.write(LEVEL_0, `${title}:\n`)
      for (const name of Object.keys(list).sort()) w.write(LEVEL_0, `  ${name}:\t${formatQuantity(parseQuantity(list[name]))}\n`)
    }
    const info = (k: string) => status.nodeInfo[k] ?? ''
    w.write(LEVEL_0, 'System Info:\n')
    w.write(LEVEL_0, `  Machine ID:\t${info('machineID')}\n`)
    w.write(LEVEL_0, `  System UUID:\t${info('systemUUID')}\n`)
    w.write(LEVEL_0, `  Boot ID:\t${info('bootID')}\n`)
    w.write(LEVEL_0, `  Kernel Version:\t${info('kernelVersion')}\n`)
    w.write(LEVEL_0, `  OS Image:\t${info('osImage')}\n`)
    w.write(LEVEL_0, `  Operating System:\t${info('operatingSystem')}\n`)
    w.write(LEVEL_0, `  Architecture:\t${info('architecture')}\n`)
    w.write(LEVEL_0, `  Container Runtime Version:\t${info('containerRuntimeVersion')}\n`)
    w.write(LEVEL_0, `  Kubelet Version:\t${info('kubeletVersion')}\n`)
    w.write(LEVEL_0, `  Kube-Proxy Version:\t${info('kubeProxyVersion')}\n`)
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`)
    if (spec.podCIDRs.length > 0) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs.join(',')}\n`)
    const providerID = (spec as { providerID?: string }).providerID
    if (providerID) w.write(LEVEL_0, `ProviderID:\t${providerID}\n`)
    describeNodeResource(w, node, pods, now)
    printObjectEvents(w, events, 'Node', meta, now)
  })
}
