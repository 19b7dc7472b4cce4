import type { Endpoints, EndpointSlice } from '../../model/endpointSlice'
import type { KubeObject } from '../../model/meta'
import type { Namespace } from '../../model/namespace'
import type { Node } from '../../model/node'
import type { Pod } from '../../model/pod'
import type { Service } from '../../model/service'
import type { Deployment, ReplicaSet } from '../../model/workloads'
import type { SimEvent } from '../../runtime/events'
import type { ClusterState } from '../../state'
import { describeDeployment } from './describeDeployment'
import { describeEndpoints } from './describeEndpoints'
import { describeEndpointSlice } from './describeEndpointSlice'
import { describeNamespace } from './describeNamespace'
import { describeNode } from './describeNode'
import { describePod } from './describePod'
import { describeReplicaSet } from './describeReplicaSet'
import { describeService } from './describeService'

type Describer = (state: ClusterState, events: readonly SimEvent[], obj: never, now: number) => string

/** One describer per kind, each following its function in kubectl's describe.go. */
const DESCRIBERS: Record<string, Describer> = {
  Pod: (_s, events, pod: Pod, now) => describePod(pod, events, now),
  Service: (state, events, svc: Service, now) => describeService(state, svc, events, now),
  Endpoints: (_s, events, ep: Endpoints, now) => describeEndpoints(ep, events, now),
  EndpointSlice: (_s, events, slice: EndpointSlice, now) => describeEndpointSlice(slice, events, now),
  Deployment: (state, events, d: Deployment, now) => describeDeployment(state, d, events, now),
  ReplicaSet: (state, events, rs: ReplicaSet, now) => describeReplicaSet(state, rs, events, now),
  Node: (state, events, node: Node, now) => describeNode(state, node, events, now),
  Namespace: (_s, _e, ns: Namespace) => describeNamespace(ns),
}

/** The canonical kinds `describeObject` can describe. */
export const DESCRIBED_KINDS: readonly string[] = Object.keys(DESCRIBERS)

/**
 * `kubectl describe <kind> <name>` for one object, byte for byte as kubectl 1.33 prints it: `kind` is the canonical
 * Kind ("Service"), `obj` the stored object, `events` the simulation's story (its SimEvents with a reason about `obj`
 * become the Events section), `now` virtual ms (for ages). A kind not in DESCRIBED_KINDS throws: callers check first.
 * Several objects print separated by "\n\n", as kubectl's describe command joins them.
 */
export function describeObject(state: ClusterState, events: readonly SimEvent[], kind: string, obj: KubeObject, now: number): string {
  const describer = DESCRIBERS[kind]
  if (!describer) throw new Error(`describeObject: no describer for kind ${kind}`)
  return describer(state, events, obj as never, now)
}
