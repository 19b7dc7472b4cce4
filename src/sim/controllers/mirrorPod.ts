import type { Pod } from '../model/pod'
import type { ControllerContext } from '../runtime/runtime'
import type { ClusterState } from '../state'

/** kubernetes.io/config.mirror: the API object the kubelet posts for a static pod it runs from a manifest file. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror'

/** A mirror pod: the API's copy of a static pod, which lives in the kubelet's manifest directory, not in the API. */
export const isMirrorPod = (pod: Pod): boolean => pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined

/**
 * A mirror pod was deleted through the API: the static pod it stands for keeps running (its manifest is still on the
 * node), so the kubelet removes the deleted copy at once and posts a new one, with a new uid and the same status.
 */
export function recreateMirrorPod(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string): ClusterState {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, deletionTimestamp: _d, deletionGracePeriodSeconds: _g, ...metadata } = pod.metadata
  state = ctx.api.remove(state, 'Pod', key)
  const created = ctx.api.create<Pod>(state, { ...pod, metadata })
  state = created.state
  // The static pod under the new copy is the one the kubelet already runs: its plan follows the new uid.
  const plan = state.containers.get(key)
  if (plan) state = { ...state, containers: state.containers.set(key, { ...plan, uid: created.object.metadata.uid }) }
  ctx.record({
    actor: `kubelet/${pod.spec.nodeName}`,
    action: 'create',
    object: `Pod ${key}`,
    message: `Deleted mirror pod and created it again: the static pod (/etc/kubernetes/manifests/${pod.metadata.labels?.['component'] ?? pod.metadata.name}.yaml) keeps running`,
  })
  return state
}
