import { useCallback } from 'react'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'

const selectPods = (s: SimulationStore) => s.state.pods

/** Which Node a pod ("namespace/name") runs on: where a packet to a pod that is not drawn is shown. */
export function usePodNodes(): (pod: string) => string | undefined {
  const pods = useSim(selectPods)
  return useCallback((pod: string) => pods.get(pod)?.spec.nodeName, [pods])
}
