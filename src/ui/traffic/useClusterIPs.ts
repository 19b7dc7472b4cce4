import { useMemo } from 'react'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'

const selectServices = (s: SimulationStore) => s.state.services

/** Each ClusterIP and the Service ("namespace/name") it belongs to: addresses that exist on no interface. */
export function useClusterIPs(): ReadonlyMap<string, string> {
  const services = useSim(selectServices)
  return useMemo(
    () => new Map([...services.values()].filter((s) => s.spec.clusterIP && s.spec.clusterIP !== 'None').map((s) => [s.spec.clusterIP!, `${s.metadata.namespace}/${s.metadata.name}`])),
    [services],
  )
}

/** "10.96.0.10:53" -> "10.96.0.10" */
export const ipOf = (endpoint: string) => endpoint.slice(0, endpoint.lastIndexOf(':'))
