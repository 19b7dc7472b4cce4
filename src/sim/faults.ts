import { faultKey, type Fault, type FaultKind } from './model/fault'
import type { ClusterState } from './state'

/** What the controllers and the dataplane ask of the faults a user injected: pure reads of the state. */

export function hasFault(state: ClusterState, fault: FaultKind, target: string): boolean {
  return state.faults.has(faultKey(fault, target))
}

export function faultOf(state: ClusterState, fault: FaultKind, target: string): Fault | undefined {
  return state.faults.get(faultKey(fault, target))
}

/** The node's kubelet has stopped, or the node is cut off: no heartbeats, no pod syncs, its packets are lost. */
export function isNodeDown(state: ClusterState, node: string | undefined): boolean {
  return node !== undefined && state.faults.size > 0 && hasFault(state, 'node-down', node)
}

/** kube-proxy on the node takes in no change: stalled on purpose, or its node is down (it cannot reach the API server). */
export function isKubeProxyStalled(state: ClusterState, node: string): boolean {
  return state.faults.size > 0 && (hasFault(state, 'kube-proxy-stalled', node) || hasFault(state, 'node-down', node))
}

/** The partition's target: the two nodes, in sorted order, joined by a comma. */
export const partitionTarget = (a: string, b: string): string => (a < b ? `${a},${b}` : `${b},${a}`)

/** Whether packets between the two nodes are dropped (a partition between them, or either one is down). */
export function isCutOff(state: ClusterState, from: string, to: string): boolean {
  if (state.faults.size === 0 || from === to) return false
  return hasFault(state, 'partition', partitionTarget(from, to)) || isNodeDown(state, from) || isNodeDown(state, to)
}

/** A pod or node that is gone takes its faults with it (a new pod of the same name is another pod). */
export function withoutFaultsOf(state: ClusterState, target: string): ClusterState {
  if (state.faults.size === 0) return state
  const faults = state.faults.filter((f) => f.target !== target && !(f.fault === 'partition' && f.target.split(',').includes(target)))
  return faults.size === state.faults.size ? state : { ...state, faults }
}
