import { describe, expect, it } from 'vitest'
import { webScenario } from '../scenarios/webScenario'
import { parseSaved, serialize } from './persistence'
import { createSimulationStore } from './simulationStore'

describe('saving and restoring a scenario', () => {
  it('replays the same cluster from the seed and the recorded actions', () => {
    const store = createSimulationStore({ seed: 7, manifest: webScenario() })
    store.getState().step(2000)
    store.getState().scale('default', 'web', 5)
    store.getState().step(3000)
    const victim = store.getState().sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    store.getState().deletePod('default', victim)
    store.getState().step(4000)
    const { seed, actions, sim } = store.getState()
    const loaded = parseSaved(serialize({ seed, manifest: webScenario(), actions, now: sim.now }))
    expect(loaded.kind).toBe('ok')
    if (loaded.kind !== 'ok') return
    const again = createSimulationStore({ ...loaded.scenario })
    expect(again.getState().sim.list('Pod')).toEqual(sim.list('Pod'))
    expect(again.getState().sim.iptablesSave('worker-1')).toBe(sim.iptablesSave('worker-1'))
  })

  it('refuses corrupt, foreign and older saves with the reason', () => {
    expect(parseSaved('{nope')).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('not valid JSON') })
    expect(parseSaved(JSON.stringify({ version: 0, seed: 1 }))).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('schema 0') })
    expect(parseSaved(JSON.stringify({ version: 1, seed: -3, actions: [], now: 0, manifest: '' }))).toMatchObject({ kind: 'invalid', reason: 'seed: must be a non-negative integer' })
    expect(parseSaved(JSON.stringify({ version: 1, seed: 1, actions: [{ type: 'rm -rf' }], now: 0, manifest: '' }))).toMatchObject({ kind: 'invalid', reason: 'actions[0]: not an action this simulator knows' })
    expect(parseSaved(null)).toEqual({ kind: 'none' })
  })
})
