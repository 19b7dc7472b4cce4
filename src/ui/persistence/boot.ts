import type { StoreApi } from 'zustand/vanilla'
import { lessonById, type Lesson } from '../../lessons'
import type { ProxyMode } from '../../sim'
import { prepareLesson } from '../../store/lessonStore'
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
  /** The lesson followed over this cluster, and the step to show first. */
  readonly lesson?: { readonly lesson: Lesson; readonly step: number }
  /** Whether the cluster is saved in the browser (the user's own: explore mode, or a shared one they chose to keep). */
  readonly persist: boolean
  /** Opened from a share link and not kept yet. */
  readonly shared?: boolean
  /** Presenter mode and kube-system shown, as a share link asks. */
  readonly view?: { readonly presenter?: boolean; readonly showSystem?: boolean }
}

/** What the page opens on: the first screen (lessons and Explore), a cluster, or a share link still to be read. */
export type Boot = { readonly kind: 'welcome'; readonly hasSave: boolean } | { readonly kind: 'session'; readonly session: Session } | { readonly kind: 'share'; readonly hash: string }

/** A lesson's cluster at a step: its start, with the steps before it done ("Do it for me"), not saved. */
export function lessonSession(id: number, lesson: Lesson, step: number): Session {
  const store = createSimulationStore(lesson.start)
  const at = prepareLesson(store, lesson, step)
  return { id, store, lesson: { lesson, step: at }, persist: false }
}

/**
 * Explore mode: the saved cluster when there is one, else a fresh one (`fresh` forces a fresh one, in `proxyMode`:
 * "New cluster" keeps the kube-proxy mode the student chose).
 */
export function exploreSession(id: number, fresh = false, proxyMode?: ProxyMode): Session {
  const s = fresh ? freshSession(proxyMode) : restoreOrFresh()
  return { ...s, id }
}

/**
 * Where the page starts: a share link (#share=), a lesson (?lesson=<id>&step=<n>, n counted from 1), explore mode
 * when a seed or workers count is asked for (?seed=N) or a cluster is saved (a returning user continues), else the
 * first screen.
 */
export function bootPage(): Boot {
  if (window.location.hash.startsWith('#share=')) return { kind: 'share', hash: window.location.hash }
  const params = new URLSearchParams(window.location.search)
  const lesson = params.get('lesson')
  if (lesson !== null) {
    const found = lessonById(lesson)
    const n = Number(params.get('step') ?? '1')
    if (found) return { kind: 'session', session: lessonSession(0, found, Number.isInteger(n) && n >= 1 ? n - 1 : 0) }
  }
  if (params.has('seed') || params.has('workers')) return { kind: 'session', session: boot() }
  let raw: string | null = null
  try {
    raw = browserStorage()?.getItem(STORAGE_KEY) ?? null
  } catch {
    raw = null
  }
  if (raw === null) return { kind: 'welcome', hasSave: false }
  return { kind: 'session', session: boot() }
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

function freshSession(proxyMode?: ProxyMode): Session {
  const store = createSimulationStore({ seed: seedFromLocation(window.location.search), workers: workersFromLocation(window.location.search), ...(proxyMode ? { proxyMode } : {}), manifest: DEFAULT_SCENARIO })
  return { id: 0, store, persist: true }
}

function restoreOrFresh(): Session {
  const params = new URLSearchParams(window.location.search)
  const asked = params.has('seed') || params.has('workers')
  const seed = seedFromLocation(window.location.search)
  const workers = workersFromLocation(window.location.search)
  const fresh = () => freshSession().store
  let raw: string | null = null
  try {
    raw = browserStorage()?.getItem(STORAGE_KEY) ?? null
  } catch {
    raw = null
  }
  const saved = parseSaved(raw)
  if (saved.kind === 'invalid') return { id: 0, store: fresh(), notice: { reason: saved.reason, raw: saved.raw }, persist: true }
  if (saved.kind === 'ok' && (!asked || (saved.scenario.seed === seed && saved.scenario.workers === workers))) {
    const opened = openScenario(saved.scenario)
    if (opened.ok) return { id: 0, store: opened.store, persist: true }
    return { id: 0, store: fresh(), notice: { reason: opened.reason, raw: raw! }, persist: true }
  }
  return { id: 0, store: fresh(), persist: true }
}
