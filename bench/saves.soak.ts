/**
 * Save soak: a cluster played at 8x for three virtual hours with batches of 1000 requests back to back, saved once a
 * real second as the app does. Prints the largest save and the reload time, for today's saves (a checkpoint and the
 * actions since) and for the old format (seed, manifest and every action since the cluster was created); then the
 * same for a cluster scaled to 10,000 replicas. Asserts nothing.
 *
 *   npm run bench:saves            three virtual hours
 *   npm run bench:saves -- 30      thirty virtual minutes (0: only the 10,000 replicas)
 */
import { webScenario } from '../src/scenarios/webScenario'
import { parseSaved, saveScenario, serialize, STORAGE_KEY } from '../src/store/persistence'
import { createSimulationStore, openScenario, type RecordedAction } from '../src/store/simulationStore'
import { createTrafficStore } from '../src/store/trafficStore'

const minutes = Number(process.argv[2] ?? 180)
const FRAME_MS = 1000 / 60
const kb = (chars: number) => `${(chars / 1024).toFixed(0)} K characters`
const ms = (t: number) => `${t.toFixed(0)} ms`

function storage() {
  const items = new Map<string, string>()
  return { items, setItem: (k: string, v: string) => void items.set(k, v) }
}

/** Parses and opens a save, as a reload does; returns how long that took. */
function reload(text: string): number {
  const t = performance.now()
  const loaded = parseSaved(text)
  if (loaded.kind !== 'ok') throw new Error(loaded.kind === 'invalid' ? loaded.reason : 'nothing saved')
  const opened = openScenario(loaded.scenario)
  if (!opened.ok) throw new Error(opened.reason)
  return performance.now() - t
}

function soak(): void {
  const store = createSimulationStore({ seed: 1, manifest: webScenario() })
  const traffic = createTrafficStore(store)
  const all: RecordedAction[] = []
  const seen = new Set<RecordedAction>()
  const disk = storage()
  store.getState().setSpeed(8)
  let largest = 0
  let slowestSave = 0
  let saves = 0
  let checkpoints = 0
  for (let frame = 0; store.getState().sim.now < minutes * 60_000; frame++) {
    const batch = traffic.getState().batch
    if (!batch || batch.sent.length >= batch.spec.count) traffic.getState().send({ from: 'default/client', target: 'web:80', count: 1000, keepAlive: frame % 2 === 0 })
    if (frame % 36_000 === 18_000) store.getState().scale('default', 'web', frame % 72_000 === 18_000 ? 5 : 3)
    store.getState().tick(FRAME_MS)
    for (const a of store.getState().actions) {
      if (seen.has(a)) continue
      seen.add(a)
      all.push(a)
    }
    if (frame % 60 === 0) {
      const start = store.getState().start
      const t = performance.now()
      const outcome = saveScenario(store, disk)
      slowestSave = Math.max(slowestSave, performance.now() - t)
      if (store.getState().start !== start) checkpoints++
      saves++
      if (outcome.ok) largest = Math.max(largest, outcome.chars)
    }
  }
  const now = store.getState().sim.now
  const old = JSON.stringify({ version: 1, seed: 1, workers: 2, manifest: webScenario(), actions: all, now })
  console.log(`${minutes} virtual minutes at 8x: ${all.length} actions, ${saves} saves, ${checkpoints} checkpoints`)
  console.log(`  old format (every action): ${kb(old.length)}, reload ${ms(reload(old))}`)
  console.log(`  checkpoint + actions since: largest ${kb(largest)}, last ${kb(disk.items.get(STORAGE_KEY)!.length)}, slowest save ${ms(slowestSave)}, reload ${ms(reload(disk.items.get(STORAGE_KEY)!))}`)
}

function tenThousand(): void {
  const store = createSimulationStore({ seed: 1, manifest: webScenario() })
  store.getState().scale('default', 'web', 10_000)
  store.getState().step(60_000)
  const { seed, workers, actions, sim } = store.getState()
  const old = JSON.stringify({ version: 1, seed, workers, manifest: webScenario(), actions, now: sim.now })
  console.log(`web scaled to 10,000 (${sim.list('Pod').length} pods), a minute later:`)
  console.log(`  old format (the scale replayed): ${kb(old.length)}, reload ${ms(reload(old))}`)
  const disk = storage()
  const t = performance.now()
  saveScenario(store, disk)
  const text = disk.items.get(STORAGE_KEY)!
  console.log(`  saved as a ${store.getState().start.kind} start: ${kb(text.length)} (${kb(serialize(store.getState().scenario()).length)} unpacked), written in ${ms(performance.now() - t)}, reload ${ms(reload(text))}`)
}

if (minutes > 0) soak()
tenThousand()
