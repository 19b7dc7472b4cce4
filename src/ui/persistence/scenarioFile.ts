import type { StoreApi } from 'zustand/vanilla'
import { humanDuration } from '../../sim'
import { parseSaved, serialize } from '../../store/persistence'
import { openScenario, type SimulationStore } from '../../store/simulationStore'

/** Files larger than this are refused unread (a 10,000-pod cluster's scenario is a few megabytes). */
const MAX_FILE_BYTES = 64 * 2 ** 20

/** The current scenario as a file: the same start (its checkpoint readable) and actions as the browser's save. */
export function scenarioFile(store: StoreApi<SimulationStore>): { name: string; text: string } {
  const scenario = store.getState().scenario()
  return { name: `scenario-seed-${scenario.seed}-at-${humanDuration(scenario.now)}.json`, text: serialize(scenario) }
}

/** Offers the current scenario as a download. */
export function downloadScenario(store: StoreApi<SimulationStore>): void {
  const { name, text } = scenarioFile(store)
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

/** A scenario file read and replayed in full, ready to replace the cluster; or, in plain words, why it cannot be. */
export type ImportResult =
  | { readonly ok: true; readonly store: StoreApi<SimulationStore>; readonly summary: string }
  | { readonly ok: false; readonly reason: string }

/** Reads a chosen or dropped file: every field checked, the engine's verdict on its start and each action included. */
export async function readScenarioFile(file: File): Promise<ImportResult> {
  if (file.size > MAX_FILE_BYTES) return { ok: false, reason: `it is ${Math.round(file.size / 2 ** 20)} MB, larger than a scenario file can be (64 MB)` }
  let text: string
  try {
    text = await file.text()
  } catch {
    return { ok: false, reason: 'the browser could not read it' }
  }
  const parsed = parseSaved(text)
  if (parsed.kind !== 'ok') return { ok: false, reason: parsed.kind === 'invalid' ? parsed.reason : 'it is empty' }
  const opened = openScenario(parsed.scenario)
  if (!opened.ok) return { ok: false, reason: opened.reason }
  const s = opened.store.getState()
  const pods = s.sim.list('Pod').length
  const summary = `${s.sim.list('Node').length} nodes, ${pods} pod${pods === 1 ? '' : 's'}, ${humanDuration(s.sim.now)} of cluster time`
  return { ok: true, store: opened.store, summary }
}
