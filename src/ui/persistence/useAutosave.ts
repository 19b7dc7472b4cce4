import { useEffect, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { saveScenario } from '../../store/persistence'
import type { SimulationStore } from '../../store/simulationStore'
import { browserStorage } from './boot'

/** Whether the last save reached the browser's storage, and if not, why. */
export type SaveStatus = 'saved' | 'full' | 'unavailable'

/**
 * Saves the scenario at most once a second: within a second of an action or of time passing, and when the page is
 * hidden. Each save is bounded (a checkpoint and the actions since, see store/persistence.ts). Returns how the last
 * save went, so the page can say when the cluster is not being saved.
 */
export function useAutosave(store: StoreApi<SimulationStore>, enabled = true): SaveStatus {
  const [status, setStatus] = useState<SaveStatus>('saved')
  useEffect(() => {
    // A lesson's cluster and an unkept shared one are not saved: the user's own cluster stays as it was.
    if (!enabled) return
    let last = 0
    let pending: ReturnType<typeof setTimeout> | undefined
    const save = () => {
      clearTimeout(pending)
      pending = undefined
      last = performance.now()
      const storage = browserStorage()
      const outcome = storage ? saveScenario(store, storage) : ({ ok: false, problem: 'unavailable' } as const)
      setStatus(outcome.ok ? 'saved' : outcome.problem)
    }
    const unsubscribe = store.subscribe(() => {
      if (pending !== undefined) return
      const wait = 1000 - (performance.now() - last)
      if (wait <= 0) save()
      else pending = setTimeout(save, wait)
    })
    window.addEventListener('pagehide', save)
    return () => {
      unsubscribe()
      clearTimeout(pending)
      window.removeEventListener('pagehide', save)
    }
  }, [store, enabled])
  return status
}
