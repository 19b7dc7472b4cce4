import { createContext, useContext } from 'react'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { ClusterReads } from '../sim'
import { useSimulation, type SimulationStore } from '../store/simulationStore'
import type { TrafficStore } from '../store/trafficStore'

/** The one simulation store of the app, provided at the root. */
export const StoreContext = createContext<StoreApi<SimulationStore> | null>(null)

/** The traffic (requests sent and the one being watched) over that simulation. */
export const TrafficContext = createContext<StoreApi<TrafficStore> | null>(null)

export function useStoreApi(): StoreApi<SimulationStore> {
  const store = useContext(StoreContext)
  if (!store) throw new Error('StoreContext is missing')
  return store
}

/** Selects from the app's store; pass a selector defined at module scope. */
export function useSim<T>(selector: (s: SimulationStore) => T): T {
  return useSimulation(useStoreApi(), selector)
}

const selectReader = (s: SimulationStore) => s.reader

/**
 * What the page reads the cluster through: the live simulation, or the past moment shown on the "Cluster time" slider.
 * A new object for each moment shown (every frame while the past plays): a costly memo reads
 * `store.getState().reader` keyed on the parts of `state` it depends on instead.
 */
export function useReader(): ClusterReads {
  return useSim(selectReader)
}

export function useTrafficApi(): StoreApi<TrafficStore> {
  const store = useContext(TrafficContext)
  if (!store) throw new Error('TrafficContext is missing')
  return store
}

/** Selects from the traffic store; pass a selector defined at module scope. */
export function useTraffic<T>(selector: (s: TrafficStore) => T): T {
  return useStore(useTrafficApi(), selector)
}
