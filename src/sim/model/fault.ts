/**
 * Faults a user injects on purpose (a lesson, the Faults menu, `systemctl stop kubelet`), as the cluster holds them:
 * what broke, where, and since when. Only what breaks is here; how the cluster reacts is its controllers' business.
 */
export const FAULT_KINDS = ['node-down', 'readiness-failing', 'container-crash', 'kube-proxy-stalled', 'partition'] as const

export type FaultKind = (typeof FAULT_KINDS)[number]

/** What each fault is aimed at: a node, a pod ("namespace/name"), or two nodes ("nodeA,nodeB"). */
export const FAULT_TARGETS: Readonly<Record<FaultKind, 'node' | 'pod' | 'nodes'>> = {
  'node-down': 'node',
  'readiness-failing': 'pod',
  'container-crash': 'pod',
  'kube-proxy-stalled': 'node',
  partition: 'nodes',
}

/** What a student reads on the badge and in the list of active faults. */
export const FAULT_TITLES: Readonly<Record<FaultKind, string>> = {
  'node-down': 'Node down (kubelet stopped, cut off)',
  'readiness-failing': 'Readiness probe failing',
  'container-crash': 'Container crashing',
  'kube-proxy-stalled': 'kube-proxy stalled',
  partition: 'Network partition',
}

export interface Fault {
  readonly fault: FaultKind
  /** A node name, "namespace/name" of a pod, or "nodeA,nodeB" (sorted) for a partition. */
  readonly target: string
  /** Virtual ms at which it began. */
  readonly since: number
}

export const faultKey = (fault: FaultKind, target: string): string => `${fault}|${target}`

export function isFaultKind(v: unknown): v is FaultKind {
  return typeof v === 'string' && (FAULT_KINDS as readonly string[]).includes(v)
}
