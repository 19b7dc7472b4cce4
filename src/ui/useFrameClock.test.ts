import { describe, expect, it } from 'vitest'
import { webScenario } from '../scenarios/webScenario'
import { createSimulationStore } from '../store/simulationStore'
import { advanceFrame } from './useFrameClock'

describe('the frame clock', () => {
  it('advances the cluster by the frame, and stops with a sentence when the engine throws', () => {
    const store = createSimulationStore({ seed: 1, manifest: webScenario() })
    const before = store.getState().state.now
    const said: string[] = []
    advanceFrame(store, 16, (m) => said.push(m))
    expect(store.getState().state.now).toBe(before + 16)
    const sim = store.getState().sim
    sim.advance = () => {
      throw new TypeError('e.conditions is undefined')
    }
    const error = console.error
    console.error = () => undefined
    advanceFrame(store, 16, (m) => said.push(m))
    console.error = error
    expect(store.getState().playing).toBe(false)
    expect(said).toHaveLength(1)
    expect(said[0]).toMatch(/^The cluster's clock stopped at t = \d+\.\d s: the simulator met an internal error/)
    expect(said[0]).not.toMatch(/conditions is undefined/)
    // Paused, later frames do nothing (and say nothing more).
    advanceFrame(store, 16, (m) => said.push(m))
    expect(said).toHaveLength(1)
  })
})
