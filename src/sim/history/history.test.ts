import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'
import type { SimAction } from '../actions'
import type { Simulation } from '../simulation'
import type { ClusterState } from '../state'

/** The state's fields as plain JSON, so that two states made apart compare by content. */
const content = (state: ClusterState) => JSON.stringify(Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v])))

const STEPS: fc.Arbitrary<SimAction | { type: 'wait'; ms: number }> = fc.oneof(
  fc.record({ type: fc.constant('scale' as const), namespace: fc.constant('default'), name: fc.constant('web'), replicas: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ type: fc.constant('connect' as const), from: fc.constant('default/client'), target: fc.constant('web:80') }),
  fc.record({ type: fc.constant('fault' as const), fault: fc.constant('kube-proxy-stalled' as const), target: fc.constantFrom('worker-1', 'worker-2') }),
  fc.record({ type: fc.constant('heal' as const), fault: fc.constant('kube-proxy-stalled' as const), target: fc.constantFrom('worker-1', 'worker-2') }),
  fc.record({ type: fc.constant('setImage' as const), namespace: fc.constant('default'), name: fc.constant('web'), container: fc.constant('web'), image: fc.constantFrom('nginxinc/nginx-unprivileged:1.27', 'nginxinc/nginx-unprivileged:1.28') }),
  fc.record({ type: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 20_000 }) }),
)

function perform(sim: Simulation, step: SimAction | { type: 'wait'; ms: number }): void {
  if (step.type === 'wait') sim.advance(step.ms)
  else sim.dispatch(step)
}

describe('the history of a cluster', () => {
  it('shows any past moment as it was: sim.at(t) has the state the simulation had at t, and the story up to then', () => {
    fc.assert(
      fc.property(fc.array(STEPS, { minLength: 1, maxLength: 12 }), (steps) => {
        const sim = webCluster({ seed: 3 }).keepHistory()
        const seen: { t: number; state: string; events: number }[] = []
        for (const step of steps) {
          perform(sim, step)
          seen.push({ t: sim.now, state: content(sim.state), events: sim.events({ writes: true }).length })
        }
        // Several steps in one instant: the moment is the last of them.
        const last = new Map(seen.map((s) => [s.t, s]))
        for (const { t, state, events } of last.values()) {
          const view = sim.at(t)!
          expect(content(view.state)).toBe(state)
          expect(view.events({ writes: true }).length).toBe(events)
        }
      }),
      { numRuns: 15 },
    )
  })

  it('continues from a past moment as a replay of the actions up to it would: the same state, and the same future', () => {
    fc.assert(
      fc.property(fc.array(STEPS, { minLength: 2, maxLength: 10 }), fc.double({ min: 0, max: 1, noNaN: true }), (steps, where) => {
        const sim = webCluster({ seed: 5 }).keepHistory()
        const start = sim.now
        for (const step of steps) perform(sim, step)
        const t = Math.round(start + (sim.now - start) * where)
        const fork = sim.continueFrom(t)
        expect(fork.ok).toBe(true)
        if (!fork.ok) return
        expect(fork.sim.now).toBe(t)
        expect(content(fork.sim.state)).toBe(content(sim.at(t)!.state))
        // By hand: the same cluster, the same steps up to t.
        const again = webCluster({ seed: 5 })
        for (const step of steps) {
          if (step.type === 'wait') {
            if (again.now + step.ms > t) break
            again.advance(step.ms)
          } else if (again.now <= t) again.dispatch(step)
        }
        again.advance(t - again.now)
        expect(content(fork.sim.state)).toBe(content(again.state))
        // And both go on alike.
        fork.sim.dispatch({ type: 'scale', namespace: 'default', name: 'web', replicas: 4 })
        again.dispatch({ type: 'scale', namespace: 'default', name: 'web', replicas: 4 })
        fork.sim.advance(30_000)
        again.advance(30_000)
        expect(content(fork.sim.state)).toBe(content(again.state))
      }),
      { numRuns: 10 },
    )
  })

  it('lets old moments go past its budget and rebuilds them by replay, exactly', () => {
    const sim = webCluster({ seed: 3 }).keepHistory()
    sim.engine.history!.budget = 5000
    const seen: { t: number; state: string }[] = []
    for (let i = 0; i < 40; i++) {
      sim.dispatch({ type: 'scale', namespace: 'default', name: 'web', replicas: 1 + (i % 4) })
      // The last state of its instant (the advance moves on from it).
      seen.push({ t: sim.now, state: content(sim.state) })
      sim.advance(7000)
    }
    expect(sim.engine.history!.exactSince).toBeGreaterThan(sim.historyStart!)
    for (const { t, state } of seen.filter((_, i) => i % 5 === 0)) expect(content(sim.at(t)!.state)).toBe(state)
  })

  it('reads the past without changing it, and refuses what would change it', () => {
    const sim = webCluster({ seed: 3 }).keepHistory()
    const before = sim.now
    const pods = sim.kubectlGet('pods')
    const rules = sim.iptablesSave('worker-1')
    // A moment is the last state of its instant: the scale comes a second later.
    sim.advance(1000)
    sim.dispatch({ type: 'scale', namespace: 'default', name: 'web', replicas: 1 })
    sim.advance(60_000)
    expect(sim.kubectlGet('pods')).not.toBe(pods)
    const then = sim.at(before)!
    expect(then.kubectlGet('pods').replace(/\s+\d+[sm]\s*$/gm, '')).toBe(pods.replace(/\s+\d+[sm]\s*$/gm, ''))
    expect(then.iptablesSave('worker-1')).toBe(rules)
    const state = then.state
    const scaled = then.run('kubectl scale deploy web --replicas=3')
    expect(scaled.exitCode).not.toBe(0)
    expect(scaled.stderr).toContain('Continue from here')
    expect(then.state).toBe(state)
    expect(then.run('kubectl get deploy web -o jsonpath={.spec.replicas}').stdout).toBe('3')
    expect(sim.state.deployments.get('default/web')!.spec.replicas).toBe(1)
  })
})
