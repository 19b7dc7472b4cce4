import type { Pod } from '../model/pod'
import type { Api } from '../runtime/api'
import { toTimestamp } from '../runtime/time'
import type { ClusterState } from '../state'

/**
 * A graceful delete, as the API server performs it: a pod never bound to a node goes at once; otherwise it gets a
 * deletionTimestamp `grace` seconds ahead and the kubelet finishes the job.
 */
export function deletePodGracefully(state: ClusterState, api: Api, pod: Pod, graceSeconds?: number): ClusterState {
  if (pod.metadata.deletionTimestamp) return state
  const grace = graceSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30
  if (!pod.spec.nodeName || grace === 0) return api.remove(state, 'Pod', `${pod.metadata.namespace}/${pod.metadata.name}`)
  return api.update(state, {
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: toTimestamp(state.now + grace * 1000), deletionGracePeriodSeconds: grace },
  })
}
