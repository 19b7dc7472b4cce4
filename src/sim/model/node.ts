import type { KubeObject, ObjectMeta } from './meta'

/** core/v1 Node. */
export interface Taint {
  readonly key: string
  readonly value?: string
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute'
  /** When the node lifecycle controller added it (NoExecute and its own taints). */
  readonly timeAdded?: string
}

export interface Node extends KubeObject {
  readonly apiVersion: 'v1'
  readonly kind: 'Node'
  readonly metadata: ObjectMeta
  readonly spec: { readonly podCIDR: string; readonly podCIDRs: readonly string[]; readonly taints?: readonly Taint[]; readonly unschedulable?: boolean }
  readonly status: {
    readonly addresses: readonly { readonly type: 'InternalIP' | 'Hostname' | 'ExternalIP'; readonly address: string }[]
    readonly capacity: Readonly<Record<string, string>>
    readonly allocatable: Readonly<Record<string, string>>
    readonly conditions: readonly { readonly type: string; readonly status: string; readonly reason: string; readonly message: string; readonly lastHeartbeatTime: string; readonly lastTransitionTime: string }[]
    readonly nodeInfo: Readonly<Record<string, string>>
  }
}

export function nodeInternalIP(node: Node): string {
  return node.status.addresses.find((a) => a.type === 'InternalIP')!.address
}

export function isControlPlane(node: Node): boolean {
  return node.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined
}
