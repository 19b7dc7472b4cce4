import { describe, expect, it } from 'vitest'
import type { ClusterState } from '../sim'
import { webScenario } from '../scenarios/webScenario'
import { createSimulationStore, openScenario } from './simulationStore'

/** The state's fields as plain JSON, so that two states made apart compare by content. */
const content = (state: ClusterState) => JSON.stringify(Object.fromEntries(Object.entries(state)))
const webPods = (state: ClusterState) => [...state.pods.keys()].filter((k) => k.startsWith('default/web-')).length

/** A web cluster scaled from 3 to 1 at t0 + 20 s, and run on a minute: the past has three web pods, now has one. */
function scaledDown() {
  const store = createSimulationStore({ seed: 1, manifest: webScenario() })
  store.getState().step(20_000)
  const before = store.getState().sim.now
  store.getState().scale('default', 'web', 1)
  store.getState().step(60_000)
  return { store, before }
}

describe('the cluster shown at a past moment', () => {
  it('shows the whole cluster as it was then, with its rules and events up to then, and comes back to live', () => {
    const { store, before } = scaledDown()
    const liveRules = store.getState().sim.iptablesSave('worker-1')
    expect(webPods(store.getState().state)).toBe(1)
    store.getState().setViewAt(before - 1)
    const { state, reader, viewAt } = store.getState()
    expect(viewAt).toBe(before - 1)
    expect(webPods(state)).toBe(3)
    expect(reader.state).toBe(state)
    expect(reader.iptablesSave('worker-1')).not.toBe(liveRules)
    expect(reader.events().every((e) => e.time <= before - 1)).toBe(true)
    store.getState().live()
    expect(store.getState().viewAt).toBeUndefined()
    expect(store.getState().reader).toBe(store.getState().sim)
    expect(webPods(store.getState().state)).toBe(1)
  })

  it('pauses the live cluster while the past is shown; Play moves the moment shown on, and reaching now is live again', () => {
    const { store, before } = scaledDown()
    const now = store.getState().sim.now
    store.getState().setViewAt(now - 1000)
    expect(store.getState().playing).toBe(false)
    store.getState().tick(16)
    expect(store.getState().sim.now).toBe(now)
    expect(store.getState().viewAt).toBe(now - 1000)
    store.getState().play()
    store.getState().setSpeed(8)
    store.getState().tick(50)
    expect(store.getState().viewAt).toBe(now - 600)
    expect(store.getState().sim.now).toBe(now)
    store.getState().tick(100)
    expect(store.getState().viewAt).toBeUndefined()
    expect(store.getState().playing).toBe(true)
    // "Live" puts the clock back as it was: here, running.
    store.getState().setViewAt(before)
    store.getState().live()
    expect(store.getState().playing).toBe(true)
  })

  it('clamps the moment to the history kept, and treats now (or later) as live', () => {
    const { store } = scaledDown()
    const start = store.getState().sim.historyStart!
    store.getState().setViewAt(-5)
    expect(store.getState().viewAt).toBe(start)
    store.getState().setViewAt(store.getState().sim.now + 10_000)
    expect(store.getState().viewAt).toBeUndefined()
  })

  it('refuses every change while the past is shown, records nothing, and leaves the live cluster as it was', () => {
    const { store, before } = scaledDown()
    const live = store.getState().sim.state
    const actions = store.getState().actions
    store.getState().setViewAt(before - 1)
    const shown = store.getState().state
    const scaled = store.getState().scale('default', 'web', 4)
    expect(scaled.ok).toBe(false)
    expect(scaled.errors[0]?.message).toContain('Continue from here')
    expect(store.getState().connect('default/client', 'web:80').ok).toBe(false)
    const typed = store.getState().run('kubectl delete deploy web')
    expect(typed.exitCode).not.toBe(0)
    expect(typed.stderr).toContain('Continue from here')
    // Reads print what was.
    expect(store.getState().run('kubectl get deploy web -o jsonpath={.spec.replicas}').stdout).toBe('3')
    expect(store.getState().actions).toBe(actions)
    expect(store.getState().sim.state).toBe(live)
    expect(store.getState().state).toBe(shown)
  })
})

describe('continuing from a past moment', () => {
  it('makes that moment the live cluster; the scenario is the start and the actions up to then, and replays to it', () => {
    const { store, before } = scaledDown()
    const old = store.getState().sim
    const start = store.getState().start
    store.getState().setViewAt(before - 1)
    const shown = content(store.getState().state)
    expect(store.getState().continueFromHere()).toEqual({ ok: true })
    const s = store.getState()
    expect(s.sim).not.toBe(old)
    expect(s.viewAt).toBeUndefined()
    expect(s.reader).toBe(s.sim)
    expect(s.sim.now).toBe(before - 1)
    expect(content(s.state)).toBe(shown)
    expect(s.start).toBe(start)
    expect(s.actions).toEqual([])
    expect(s.scenario()).toMatchObject({ now: before - 1, actions: [], start })
    expect(s.discarded).toEqual({ from: before - 1, to: old.now })
    // The new timeline goes on from there, and a save of it replays to the same cluster.
    expect(s.scale('default', 'web', 5).ok).toBe(true)
    s.step(30_000)
    const reopened = openScenario(store.getState().scenario())
    expect(reopened.ok).toBe(true)
    if (reopened.ok) expect(content(reopened.store.getState().state)).toBe(content(store.getState().state))
    expect(webPods(store.getState().state)).toBe(5)
  })

  it('keeps the actions up to the moment (those at that very moment too) and drops the later ones', () => {
    const { store, before } = scaledDown()
    store.getState().scale('default', 'web', 2)
    const [first, second] = store.getState().actions
    store.getState().setViewAt(before)
    store.getState().continueFromHere()
    expect(store.getState().actions).toEqual([first])
    expect(second).toBeDefined()
    expect(store.getState().sim.state.deployments.get('default/web')!.spec.replicas).toBe(1)
  })

  it('restores the discarded future once with Undo, showing the moment it left from', () => {
    const { store, before } = scaledDown()
    const old = store.getState().sim
    const actions = store.getState().actions
    store.getState().setViewAt(before - 1)
    store.getState().continueFromHere()
    store.getState().undoContinue()
    const s = store.getState()
    expect(s.sim).toBe(old)
    expect(s.actions).toBe(actions)
    expect(s.viewAt).toBe(before - 1)
    expect(s.discarded).toBeUndefined()
    store.getState().live()
    expect(webPods(store.getState().state)).toBe(1)
    // Once: a second Undo changes nothing.
    const again = store.getState()
    store.getState().undoContinue()
    expect(store.getState()).toBe(again)
  })

  it('starts the scenario from a snapshot of the moment when it comes before the latest checkpoint', () => {
    const { store, before } = scaledDown()
    store.getState().checkpoint()
    store.getState().step(5000)
    store.getState().setViewAt(before - 1)
    store.getState().continueFromHere()
    const scenario = store.getState().scenario()
    expect(scenario.start.kind).toBe('checkpoint')
    expect(scenario.actions).toEqual([])
    expect(scenario.now).toBe(before - 1)
    const reopened = openScenario(scenario)
    expect(reopened.ok && content(reopened.store.getState().state)).toBe(content(store.getState().state))
  })

  it("keeps kube-proxy's mode: a cluster made in IPVS mode goes on in IPVS mode, and a moment before a switch in the mode of then", () => {
    const store = createSimulationStore({ seed: 1, proxyMode: 'ipvs', manifest: webScenario() })
    store.getState().step(5000)
    const beforeSwitch = store.getState().sim.now
    store.getState().dispatch({ type: 'setProxyMode', mode: 'nftables' })
    store.getState().step(5000)
    // Viewed in the past, the mode read is the mode of then.
    store.getState().setViewAt(beforeSwitch - 1)
    expect(store.getState().reader.proxyMode).toBe('ipvs')
    expect(store.getState().dispatch({ type: 'setProxyMode', mode: 'iptables' })).toMatchObject({ ok: false })
    store.getState().continueFromHere()
    expect(store.getState().sim.proxyMode).toBe('ipvs')
    const scenario = store.getState().scenario()
    expect(scenario).toMatchObject({ proxyMode: 'ipvs', start: { kind: 'created' }, actions: [] })
    const reopened = openScenario(scenario)
    expect(reopened.ok && reopened.store.getState().sim.proxyMode).toBe('ipvs')
    expect(reopened.ok && content(reopened.store.getState().state)).toBe(content(store.getState().state))
    // And from a snapshot of a moment after the switch: the snapshot's mode, which the scenario says too.
    store.getState().undoContinue()
    store.getState().live()
    store.getState().checkpoint()
    store.getState().dispatch({ type: 'setProxyMode', mode: 'iptables' })
    store.getState().step(3000)
    store.getState().setViewAt(beforeSwitch + 2000)
    store.getState().continueFromHere()
    expect(store.getState().scenario()).toMatchObject({ proxyMode: 'nftables', start: { kind: 'checkpoint' } })
  })

  it('does nothing when the live cluster is shown', () => {
    const { store } = scaledDown()
    const sim = store.getState().sim
    expect(store.getState().continueFromHere()).toEqual({ ok: true })
    expect(store.getState().sim).toBe(sim)
    expect(store.getState().discarded).toBeUndefined()
  })
})
