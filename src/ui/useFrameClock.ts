import { useEffect } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { SimulationStore } from '../store/simulationStore'

/** Drives the simulation from requestAnimationFrame: each frame advances virtual time by the real time elapsed. */
export function useFrameClock(store: StoreApi<SimulationStore>): void {
  useEffect(() => {
    let last = performance.now()
    let handle = 0
    const frame = (t: number) => {
      store.getState().tick(t - last)
      last = t
      handle = requestAnimationFrame(frame)
    }
    handle = requestAnimationFrame(frame)
    return () => cancelAnimationFrame(handle)
  }, [store])
}
