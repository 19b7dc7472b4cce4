import { describe, expect, it } from 'vitest'
import { webScenario } from '../scenarios/webScenario'
import { createSimulationStore } from './simulationStore'
import { REQUEST_SPACING_MS, createTrafficStore, histogram, visibleHops } from './trafficStore'

function setup(replicas = 3) {
  const sims = createSimulationStore({ seed: 4, manifest: webScenario(replicas) })
  const traffic = createTrafficStore(sims)
  /** Lets virtual time run as the frame clock would. */
  const run = (ms: number) => {
    for (let t = 0; t < ms; t += 50) sims.getState().step(50)
  }
  return { sims, traffic, run }
}

describe('sending requests', () => {
  it('100 new connections land on exactly the ready pods, spread by the dice, one every 100 ms of cluster time', () => {
    const { sims, traffic, run } = setup(3)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 100, keepAlive: false })
    expect(traffic.getState().batch!.sent).toHaveLength(1)
    run(REQUEST_SPACING_MS * 100)
    const { batch } = traffic.getState()
    expect(batch!.sent).toHaveLength(100)
    const { served, failed, reused } = histogram(batch!.sent)
    expect([...served.values()].reduce((a, b) => a + b, 0)).toBe(100)
    expect(failed.size).toBe(0)
    expect(reused).toBe(0)
    expect([...served.keys()].sort()).toEqual(batch!.backends!.pods)
    expect(batch!.backends!.pods).toHaveLength(3)
    // Each request was recorded, so a reload replays the same draws.
    expect(sims.getState().actions.filter((a) => a.type === 'connect')).toHaveLength(100)
  })

  it('keep-alive: one connection, one pod; later requests skip DNS and the rules, conntrack alone rewrites them', () => {
    const { traffic, run } = setup(3)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 10, keepAlive: true })
    run(REQUEST_SPACING_MS * 10)
    const sent = traffic.getState().batch!.sent
    expect(new Set(sent.map((r) => r.result.pod)).size).toBe(1)
    expect(sent.filter((r) => r.reused)).toHaveLength(9)
    for (const r of sent.slice(1)) {
      expect(r.result.hops.some((h) => h.phase === 'dns')).toBe(false)
      expect(r.result.hops.some((h) => h.step === 'netfilter' && h.phase === 'request')).toBe(false)
      expect(r.result.hops.some((h) => h.step === 'conntrack')).toBe(true)
    }
  })

  it('keep-alive through a scale-down: the connection to a deleted pod times out, the next request opens a new one to a live pod', () => {
    const { sims, traffic, run } = setup(3)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 100, keepAlive: true })
    run(REQUEST_SPACING_MS * 5)
    const first = traffic.getState().batch!.sent[0]!.result.pod!
    sims.getState().deletePod('default', first.split('/')[1]!)
    run(REQUEST_SPACING_MS * 95 + 60_000)
    const sent = traffic.getState().batch!.sent
    expect(sent).toHaveLength(100)
    const failedAt = sent.findIndex((r) => !r.result.ok)
    expect(failedAt).toBeGreaterThan(0)
    const after = sent.slice(failedAt + 1)
    expect(after.length).toBeGreaterThan(0)
    expect(after[0]!.reused).toBe(false)
    for (const r of after.filter((x) => x.result.ok)) expect(r.result.pod).not.toBe(first)
  })
})

describe('stepping through a request', () => {
  it('walks forward and back over the shown hops; filters hide DNS, NAT or routing hops', () => {
    const { sims, traffic } = setup(3)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 1, keepAlive: false })
    // Inspecting a packet freezes the cluster's clock by default.
    expect(sims.getState().playing).toBe(false)
    const hops = traffic.getState().batch!.sent[0]!.result.hops
    expect(traffic.getState().hop).toBe(0)
    traffic.getState().forward()
    expect(traffic.getState().hop).toBe(1)
    traffic.getState().back()
    expect(traffic.getState().hop).toBe(0)
    traffic.getState().setFilter('dns', false)
    const shown = visibleHops(hops, traffic.getState().filters)
    expect(shown.every((i) => hops[i]!.phase !== 'dns')).toBe(true)
    expect(traffic.getState().hop).toBe(shown[0])
    traffic.getState().forward()
    expect(traffic.getState().hop).toBe(shown[1])
    traffic.getState().jump(hops.length - 1)
    expect(traffic.getState().hop).toBe(hops.length - 1)
    traffic.getState().forward()
    expect(traffic.getState().playing).toBe(false)
  })

  it('freezes the cluster while one request is watched, and lets it run again for a batch, which needs its time', () => {
    const { sims, traffic } = setup(3)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 1, keepAlive: false })
    expect(sims.getState().playing).toBe(false)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 10, keepAlive: false })
    expect(sims.getState().playing).toBe(true)
    for (let t = 0; t < REQUEST_SPACING_MS * 10; t += 50) sims.getState().tick(50)
    expect(traffic.getState().batch!.sent).toHaveLength(10)
  })

  it('lets a cluster frozen for a packet run on once the packet has arrived, and forgets the freeze when the user plays', () => {
    const { sims, traffic } = setup(3)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 1, keepAlive: false })
    expect(sims.getState().playing).toBe(false)
    expect(traffic.getState().frozeCluster).toBe(true)
    const hops = traffic.getState().batch!.sent[0]!.result.hops
    for (let i = 0; i < hops.length; i++) traffic.getState().forward()
    expect(sims.getState().playing).toBe(true)
    expect(traffic.getState().frozeCluster).toBe(false)
    // Frozen again by inspecting a hop, then the user plays the cluster: the freeze is over.
    traffic.getState().jump(2)
    expect(traffic.getState().frozeCluster).toBe(true)
    sims.getState().play()
    expect(traffic.getState().frozeCluster).toBe(false)
  })

  it('never stops the cluster for a request refused before it left: there is no packet whose arrival would start it again', () => {
    const { sims, traffic } = setup(3)
    sims.getState().play()
    traffic.getState().send({ from: 'default/no-such-pod', target: 'web:80', count: 1, keepAlive: false })
    const result = traffic.getState().batch!.sent[0]!.result
    expect(result.ok).toBe(false)
    expect(result.hops).toHaveLength(0)
    expect(sims.getState().playing).toBe(true)
    expect(traffic.getState().frozeCluster).toBe(false)
    expect(traffic.getState().arrived).toBe(true)
    // Nor does inspecting a hop it does not have.
    traffic.getState().jump(0)
    expect(sims.getState().playing).toBe(true)
  })
})

describe('the watched packet', () => {
  it('is shown from its send until it has arrived or its details are closed; replaying or stepping back shows it again', () => {
    const { traffic } = setup(3)
    expect(traffic.getState().watching).toBe(false)
    traffic.getState().send({ from: 'default/client', target: 'web:80', count: 1, keepAlive: false })
    expect(traffic.getState()).toMatchObject({ watching: true, arrived: false })
    const hops = traffic.getState().batch!.sent[0]!.result.hops.length
    for (let i = 0; i < hops; i++) traffic.getState().forward()
    // Past its last hop the journey is over: the marker leaves, the details stay.
    expect(traffic.getState()).toMatchObject({ watching: true, arrived: true, playing: false })
    traffic.getState().back()
    expect(traffic.getState().arrived).toBe(false)
    traffic.getState().setWatching(false)
    expect(traffic.getState().watching).toBe(false)
    traffic.getState().select(0)
    expect(traffic.getState()).toMatchObject({ watching: true, arrived: false, hop: 0 })
  })
})
