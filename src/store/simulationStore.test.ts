import { describe, expect, it } from 'vitest'
import { webScenario } from '../scenarios/webScenario'
import { createSimulationStore, openScenario } from './simulationStore'

describe('the simulation store', () => {
  it('records what a typed command changes, and replays it to the same cluster', () => {
    const store = createSimulationStore({ seed: 1, manifest: webScenario() })
    store.getState().step(20_000)
    expect(store.getState().run('kubectl get pods').exitCode).toBe(0)
    expect(store.getState().run('kubectl scale deploy web --replicas=4').stdout).toBe('deployment.apps/web scaled\n')
    expect(store.getState().run('kubectl apply -f guestbook.yaml').stdout).toMatch(/^namespace\/guestbook created\n/)
    expect(store.getState().actions.map((a) => a.type)).toEqual(['scale', 'apply'])
    expect(store.getState().typed.map((t) => t.line)).toEqual(['kubectl get pods', 'kubectl scale deploy web --replicas=4', 'kubectl apply -f guestbook.yaml'])
    store.getState().step(30_000)
    const replayed = openScenario(store.getState().scenario())
    expect(replayed.ok && replayed.store.getState().sim.run('kubectl get deploy -A -o name').stdout).toBe(store.getState().sim.run('kubectl get deploy -A -o name').stdout)
  })

  it('advances virtual time per frame only while playing, scaled by speed, and never leaps after a long pause', () => {
    const store = createSimulationStore({ seed: 1, manifest: webScenario() })
    const t0 = store.getState().sim.now
    store.getState().tick(16)
    expect(store.getState().sim.now).toBe(t0 + 16)
    store.getState().setSpeed(8)
    store.getState().tick(16)
    expect(store.getState().sim.now).toBe(t0 + 16 + 128)
    store.getState().pause()
    store.getState().tick(16)
    expect(store.getState().sim.now).toBe(t0 + 144)
    store.getState().play()
    store.getState().tick(60_000)
    expect(store.getState().sim.now).toBe(t0 + 144 + 800)
  })

  it('publishes a new state after a change and keeps the old one intact', () => {
    const store = createSimulationStore({ seed: 1, manifest: webScenario() })
    const before = store.getState().state
    const result = store.getState().scale('default', 'web', 5)
    expect(result.ok).toBe(true)
    const after = store.getState().state
    expect(after).not.toBe(before)
    expect(before.deployments.get('default/web')!.spec.replicas).toBe(3)
    expect(after.deployments.get('default/web')!.spec.replicas).toBe(5)
  })

  it('leaves the state untouched when a change is refused', () => {
    const store = createSimulationStore({ seed: 1, manifest: webScenario() })
    const before = store.getState().state
    expect(store.getState().scale('default', 'web', -1).ok).toBe(false)
    expect(store.getState().state).toBe(before)
  })

  it('records requests with the other actions, so a replay draws the same dice and names the same pods', () => {
    const store = createSimulationStore({ seed: 3, manifest: webScenario() })
    const served = [1, 2, 3, 4, 5].map(() => store.getState().connect('default/client', 'web:80').pod)
    store.getState().step(500)
    store.getState().scale('default', 'web', 5)
    store.getState().step(5000)
    const { seed, actions, sim } = store.getState()
    const replay = createSimulationStore({ seed, manifest: webScenario(), actions, now: sim.now })
    const names = (s: typeof store) => [...s.getState().state.pods.keys()].sort()
    expect(names(replay)).toEqual(names(store))
    expect(replay.getState().sim.connect('default/client', 'web:80').pod).toBe(store.getState().sim.connect('default/client', 'web:80').pod)
    expect(served.every((p) => p?.startsWith('default/web-'))).toBe(true)
  })
})
