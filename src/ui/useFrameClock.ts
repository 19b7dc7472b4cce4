import { useEffect } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { SimulationStore } from '../store/simulationStore'
import { userMessage } from './userMessage'

/**
 * One frame of the clock: virtual time advances by the real time elapsed. If the engine throws (a bug), the clock is
 * paused rather than left to throw sixty times a second, whatever state the engine reached is shown, and `onStop`
 * says why in words; Play tries again.
 */
export function advanceFrame(store: StoreApi<SimulationStore>, realMs: number, onStop: (message: string) => void): void {
  try {
    store.getState().tick(realMs)
  } catch (e) {
    console.error(e)
    store.getState().pause()
    store.setState({ state: store.getState().sim.state })
    onStop(`The cluster's clock stopped at t = ${(store.getState().sim.now / 1000).toFixed(1)} s: ${userMessage(e)}. Your cluster is kept as it was; Play tries again.`)
  }
}

/** Drives the simulation from requestAnimationFrame, a frame at a time (see advanceFrame). */
export function useFrameClock(store: StoreApi<SimulationStore>, onStop: (message: string) => void): void {
  useEffect(() => {
    let last = performance.now()
    let handle = 0
    const frame = (t: number) => {
      advanceFrame(store, t - last, onStop)
      last = t
      handle = requestAnimationFrame(frame)
    }
    handle = requestAnimationFrame(frame)
    return () => cancelAnimationFrame(handle)
  }, [store, onStop])
}
