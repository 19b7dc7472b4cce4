import type { StoreApi } from 'zustand/vanilla'
import { parseSaved, STORAGE_KEY } from '../../store/persistence'
import { createSimulationStore, openScenario, type SimulationStore } from '../../store/simulationStore'
import { DEFAULT_SCENARIO, seedFromLocation, workersFromLocation } from '../defaultScenario'

/** One cluster the app shows: its store, and, on the first, why the saved cluster was not restored. */
export interface Session {
  /** Changes when the cluster is replaced (an import), so everything showing it starts afresh. */
  readonly id: number
  readonly store: StoreApi<SimulationStore>
  /** Why the saved scenario was not restored, with its data to download. */
  readonly notice?: { readonly reason: string; readonly raw: string }
}

/** The browser's storage, or undefined where it is turned off (reading `localStorage` itself throws there). */
export function browserStorage(): Storage | undefined {
  try {
    return window.localStorage
  } catch {
    return undefined
  }
}

/**
 * The saved scenario when there is one (and no other seed was asked for in the address), else a fresh cluster. A save
 * that cannot be used is never half-restored: the app starts fresh and says why, in plain words.
 */
export function boot(): Session {
  performance.mark('boot')
  try {
    return restoreOrFresh()
  } finally {
    // How long the saved cluster took to come back (read it in the browser's performance panel, or from a bench).
    performance.measure('restore the saved cluster', 'boot')
  }
}

function restoreOrFresh(): Session {
  const params = new URLSearchParams(window.location.search)
  const asked = params.has('seed') || params.has('workers')
  const seed = seedFromLocation(window.location.search)
  const workers = workersFromLocation(window.location.search)
  const fresh = () => createSimulationStore({ seed, workers, manifest: DEFAULT_SCENARIO })
  let raw: string | null = null
  try {
    raw = browserStorage()?.getItem(STORAGE_KEY) ?? null
  } catch {
    raw = null
  }
  const saved = parseSaved(raw)
  if (saved.kind === 'invalid') return { id: 0, store: fresh(), notice: { reason: saved.reason, raw: saved.raw } }
  if (saved.kind === 'ok' && (!asked || (saved.scenario.seed === seed && saved.scenario.workers === workers))) {
    const opened = openScenario(saved.scenario)
    if (opened.ok) return { id: 0, store: opened.store }
    return { id: 0, store: fresh(), notice: { reason: opened.reason, raw: raw! } }
  }
  return { id: 0, store: fresh() }
}
