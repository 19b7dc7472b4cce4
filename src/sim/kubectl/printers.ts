import type { EndpointSlice, Endpoints } from '../model/endpointSlice'
import type { KubeObject, LabelSelector } from '../model/meta'
import type { Namespace } from '../model/namespace'
import { isControlPlane, nodeInternalIP, type Node } from '../model/node'
import type { Pod } from '../model/pod'
import type { Service } from '../model/service'
import type { DaemonSet, Deployment, ReplicaSet } from '../model/workloads'
import { fromTimestamp, humanDuration } from '../runtime/time'

/** One table as `kubectl get` prints it: upper-case headers, then one row per object. */
export interface PrintedTable {
  readonly headers: readonly string[]
  readonly rows: readonly (readonly string[])[]
}

const age = (o: KubeObject, now: number) => humanDuration(now - fromTimestamp(o.metadata.creationTimestamp!))

/** STATUS as kubectl's pod printer derives it (Terminating, a waiting reason such as ContainerCreating, or the phase). */
export function podStatus(pod: Pod): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating'
  for (const c of pod.status.containerStatuses ?? []) {
    const waiting = c.state['waiting']
    if (waiting?.['reason']) return String(waiting['reason'])
  }
  if (pod.status.phase === 'Pending' && pod.spec.nodeName) return 'ContainerCreating'
  return pod.status.reason ?? pod.status.phase
}

function podRow(pod: Pod, now: number, wide: boolean): string[] {
  const statuses = pod.status.containerStatuses ?? []
  const ready = `${statuses.filter((c) => c.ready).length}/${pod.spec.containers.length}`
  // printPod: "3 (15s ago)", counted from the last container termination the kubelet reported.
  const count = statuses.reduce((n, c) => n + c.restartCount, 0)
  const lastExit = Math.max(-Infinity, ...statuses.map((c) => (c.lastState?.['terminated'] as { finishedAt?: string } | undefined)?.finishedAt).filter((t): t is string => t !== undefined).map(fromTimestamp))
  const restarts = count > 0 && lastExit > -Infinity ? `${count} (${humanDuration(now - lastExit)} ago)` : String(count)
  const row = [pod.metadata.name, ready, podStatus(pod), restarts, age(pod, now)]
  return wide ? [...row, pod.status.podIP ?? '<none>', pod.spec.nodeName ?? '<none>', '<none>', '<none>'] : row
}

/** PORT(S): 80/TCP, or 80:31234/TCP with a NodePort; several joined by commas. */
export function servicePorts(svc: Service): string {
  const ports = svc.spec.ports ?? []
  if (ports.length === 0) return '<none>'
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol}`).join(',')
}

export function externalIP(svc: Service): string {
  if (svc.spec.type === 'ExternalName') return svc.spec.externalName ?? '<none>'
  const ips = [...(svc.status.loadBalancer.ingress ?? []).map((i) => i.ip), ...(svc.spec.externalIPs ?? [])]
  if (ips.length) return ips.join(',')
  return svc.spec.type === 'LoadBalancer' ? '<pending>' : '<none>'
}

/** labels.FormatLabels / metav1.FormatLabelSelector: "k=v" pairs sorted by key, "<none>" when there are none. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined): string {
  const pairs = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return pairs.length ? pairs.map(([k, v]) => `${k}=${v}`).join(',') : '<none>'
}

/** metav1.FormatLabelSelector: requirements sorted by key ("app=web", "tier in (a,b)", "canary", "!legacy"). */
export function formatSelector(selector: LabelSelector): string {
  const reqs: [string, string][] = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`])
  for (const r of selector.matchExpressions ?? []) {
    const values = [...(r.values ?? [])].sort().join(',')
    const text = r.operator === 'In' ? `${r.key} in (${values})` : r.operator === 'NotIn' ? `${r.key} notin (${values})` : r.operator === 'Exists' ? r.key : `!${r.key}`
    reqs.push([r.key, text])
  }
  reqs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return reqs.length ? reqs.map(([, t]) => t).join(',') : '<none>'
}

/** -o wide for a workload: its containers' names, their images, and its selector. */
function workloadWide(w: Deployment | ReplicaSet): string[] {
  const containers = w.spec.template.spec.containers
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(','), formatSelector(w.spec.selector)]
}

/** PORTS of an EndpointSlice (formatDiscoveryPorts): up to three port numbers, then "+ N more...". */
function slicePorts(s: EndpointSlice): string {
  const ports = (s.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : (p.name ?? '*')))
  if (ports.length === 0) return '<unset>'
  return ports.length > 3 ? `${ports.slice(0, 3).join(',')} + ${ports.length - 3} more...` : ports.join(',')
}

/** ENDPOINTS: up to three addresses, then "+ N more...". */
function firstThree(addresses: string[]): string {
  if (addresses.length === 0) return '<unset>'
  return addresses.length > 3 ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...` : addresses.join(',')
}

const PRINTERS: Record<string, { headers: string[]; wideHeaders?: string[]; row: (o: never, now: number, wide: boolean) => string[] }> = {
  Pod: { headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], wideHeaders: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'], row: podRow },
  Service: {
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wideHeaders: ['SELECTOR'],
    row: (s: Service, now, wide) => {
      const row = [s.metadata.name, s.spec.type, s.spec.type === 'ExternalName' ? '<none>' : (s.spec.clusterIP ?? '<none>'), externalIP(s), servicePorts(s), age(s, now)]
      return wide ? [...row, formatLabels(s.spec.selector)] : row
    },
  },
  EndpointSlice: {
    headers: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    row: (s: EndpointSlice, now) => [
      s.metadata.name,
      s.addressType,
      slicePorts(s),
      firstThree((s.endpoints ?? []).flatMap((e) => e.addresses)),
      age(s, now),
    ],
  },
  Endpoints: {
    headers: ['NAME', 'ENDPOINTS', 'AGE'],
    // formatEndpoints: ports outside, addresses inside; ready addresses only; "<none>" only when there are no subsets.
    row: (e: Endpoints, now) => {
      const addrs = (e.subsets ?? []).flatMap((s) => (s.ports?.length ? s.ports.flatMap((p) => (s.addresses ?? []).map((a) => `${a.ip}:${p.port}`)) : (s.addresses ?? []).map((a) => a.ip)))
      const cell = (e.subsets ?? []).length === 0 ? '<none>' : addrs.length === 0 ? '' : firstThree(addrs)
      return [e.metadata.name, cell, age(e, now)]
    },
  },
  Deployment: {
    headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (d: Deployment, now, wide) => {
      const row = [d.metadata.name, `${d.status.readyReplicas ?? 0}/${d.spec.replicas}`, String(d.status.updatedReplicas ?? 0), String(d.status.availableReplicas ?? 0), age(d, now)]
      return wide ? [...row, ...workloadWide(d)] : row
    },
  },
  ReplicaSet: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (r: ReplicaSet, now, wide) => {
      const row = [r.metadata.name, String(r.spec.replicas), String(r.status.replicas ?? 0), String(r.status.readyReplicas ?? 0), age(r, now)]
      return wide ? [...row, ...workloadWide(r)] : row
    },
  },
  Node: {
    headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wideHeaders: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    row: (n: Node, now, wide) => {
      // printNode: the Ready condition (Unknown without one), then SchedulingDisabled for a cordoned node.
      const ready = n.status.conditions.find((c) => c.type === 'Ready')
      const status = `${!ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady'}${n.spec.unschedulable ? ',SchedulingDisabled' : ''}`
      const row = [n.metadata.name, status, isControlPlane(n) ? 'control-plane' : '<none>', age(n, now), n.status.nodeInfo['kubeletVersion'] ?? '']
      return wide ? [...row, nodeInternalIP(n), '<none>', n.status.nodeInfo['osImage'] ?? '', n.status.nodeInfo['kernelVersion'] ?? '', n.status.nodeInfo['containerRuntimeVersion'] ?? ''] : row
    },
  },
  Namespace: { headers: ['NAME', 'STATUS', 'AGE'], row: (n: Namespace, now) => [n.metadata.name, n.status.phase, age(n, now)] },
  ServiceAccount: {
    headers: ['NAME', 'SECRETS', 'AGE'],
    row: (sa: KubeObject, now) => [sa.metadata.name, String(Array.isArray(sa['secrets']) ? (sa['secrets'] as unknown[]).length : 0), age(sa, now)],
  },
  ConfigMap: {
    headers: ['NAME', 'DATA', 'AGE'],
    row: (cm: KubeObject, now) => {
      const count = (v: unknown) => (v && typeof v === 'object' ? Object.keys(v).length : 0)
      return [cm.metadata.name, String(count(cm['data']) + count(cm['binaryData'])), age(cm, now)]
    },
  },
  DaemonSet: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row: (d: DaemonSet, now, wide) => {
      const n = (k: string) => String(d.status?.[k] ?? 0)
      const row = [d.metadata.name, n('desiredNumberScheduled'), n('currentNumberScheduled'), n('numberReady'), n('updatedNumberScheduled'), n('numberAvailable'), formatLabels(d.spec.template.spec.nodeSelector), age(d, now)]
      const containers = d.spec.template.spec.containers
      return wide ? [...row, containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(','), formatSelector(d.spec.selector)] : row
    },
  },
}

/** Options of `kubectl get`'s table: `-o wide`, `-A`, `--show-labels`, and the "kind/" prefix of several kinds at once. */
export interface TableOptions {
  readonly wide?: boolean
  readonly allNamespaces?: boolean
  readonly showLabels?: boolean
  /** "deployment.apps": names print as "deployment.apps/web", as when kubectl gets several kinds at once. */
  readonly kindPrefix?: string
}

/** Builds the table for objects of one kind. Unsimulated kinds get NAME and AGE, as kubectl's default printer does. */
export function printTable(kind: string, objects: readonly KubeObject[], now: number, options: TableOptions = {}): PrintedTable {
  const printer = PRINTERS[kind] ?? { headers: ['NAME', 'AGE'], row: (o: KubeObject, n: number) => [o.metadata.name, age(o, n)] }
  const wide = options.wide === true
  const headers = [...(options.allNamespaces ? ['NAMESPACE'] : []), ...printer.headers, ...(wide ? (printer.wideHeaders ?? []) : []), ...(options.showLabels ? ['LABELS'] : [])]
  const rows = objects.map((o) => {
    const cells = printer.row(o as never, now, wide)
    if (options.kindPrefix) cells[0] = `${options.kindPrefix}/${cells[0]}`
    return [...(options.allNamespaces ? [o.metadata.namespace ?? ''] : []), ...cells, ...(options.showLabels ? [formatLabels(o.metadata.labels)] : [])]
  })
  return { headers, rows }
}

/** tabwriter with kubectl's settings: columns padded to their widest cell plus three spaces. `noHeaders`: rows only. */
export function formatTable(table: PrintedTable, noHeaders = false): string {
  const all = noHeaders ? table.rows : [table.headers, ...table.rows]
  const widths = table.headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  return `${all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('')).join('\n')}\n`
}
