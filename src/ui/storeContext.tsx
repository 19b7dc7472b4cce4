import { createContext, useContext } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { useSimulation, type SimulationStore } from '../store/simulationStore'

/** The one simulation store of the app, provided at the root. */
export const StoreContext = createContext<StoreApi<SimulationStore> | null>(null)

export function useStoreApi(): StoreApi<SimulationStore> {
  const store = useContext(StoreContext)
  if (!store) throw new Error('StoreContext is missing')
  return store
}

/** Selects from the app's store; pass a selector defined at module scope. */
export function useSim<T>(selector: (s: SimulationStore) => T): T {
  return useSimulation(useStoreApi(), selector)
}
