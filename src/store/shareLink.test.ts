import { describe, expect, it } from 'vitest'
import { LESSONS } from '../lessons'
import { webScenario } from '../scenarios/webScenario'
import { createLessonStore } from './lessonStore'
import { decodeShare, encodeShare, MAX_LINK_CHARS, SHARE_FORMAT } from './shareLink'
import { createSimulationStore, openScenario } from './simulationStore'

async function deflate(text: string): Promise<string> {
  const bytes = new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer())
  return `#share=${Buffer.from(bytes).toString('base64url')}`
}

describe('a share link', () => {
  it('round trip: opening it gives the very same cluster, lesson step and view', async () => {
    const store = createSimulationStore({ seed: 42, manifest: webScenario() })
    store.getState().scale('default', 'web', 5)
    store.getState().step(3000)
    for (let i = 0; i < 4; i++) store.getState().connect('default/client', 'web:80')
    store.getState().step(1500)
    const link = await encodeShare(store.getState().scenario(), { id: LESSONS[0]!.id, step: 3 }, { presenter: true, showSystem: false })
    expect(link.ok).toBe(true)
    if (!link.ok) return
    expect(link.hash).toMatch(/^#share=[A-Za-z0-9_-]+$/)
    const opened = await decodeShare(link.hash)
    if (!opened.ok) throw new Error(opened.reason)
    expect(opened.shared.lesson).toEqual({ lesson: LESSONS[0], step: 3 })
    expect(opened.shared.view).toEqual({ presenter: true, showSystem: false })
    const again = openScenario(opened.shared.scenario)
    if (!again.ok) throw new Error(again.reason)
    expect(JSON.stringify(again.store.getState().sim.snapshot())).toBe(JSON.stringify(store.getState().sim.snapshot()))
  })

  it('carries a lesson in progress: the cluster of a lesson at its step 7 comes back as it was', async () => {
    const lesson = LESSONS[0]!
    const store = createSimulationStore(lesson.start)
    const run = createLessonStore(store, lesson)
    for (let i = 0; i < 6; i++) {
      if (!run.getState().isDone()) run.getState().forward()
      run.getState().forward()
    }
    const link = await encodeShare(store.getState().scenario(), { id: lesson.id, step: run.getState().step }, {})
    if (!link.ok) throw new Error(link.reason)
    const opened = await decodeShare(link.hash)
    if (!opened.ok) throw new Error(opened.reason)
    const again = openScenario(opened.shared.scenario)
    if (!again.ok) throw new Error(again.reason)
    expect(again.store.getState().sim.state).toEqual(store.getState().sim.state)
    expect(opened.shared.lesson?.step).toBe(6)
  })

  it("carries kube-proxy's mode: a cluster made in nftables mode, switched to IPVS, opens the same", async () => {
    const store = createSimulationStore({ seed: 9, proxyMode: 'nftables', manifest: webScenario() })
    store.getState().step(1000)
    store.getState().dispatch({ type: 'setProxyMode', mode: 'ipvs' })
    store.getState().step(2000)
    store.getState().connect('default/client', 'web:80')
    const link = await encodeShare(store.getState().scenario(), undefined, {})
    if (!link.ok) throw new Error(link.reason)
    const opened = await decodeShare(link.hash)
    if (!opened.ok) throw new Error(opened.reason)
    expect(opened.shared.scenario.proxyMode).toBe('nftables')
    const again = openScenario(opened.shared.scenario)
    if (!again.ok) throw new Error(again.reason)
    expect(again.store.getState().sim.proxyMode).toBe('ipvs')
    expect(JSON.stringify(again.store.getState().sim.snapshot())).toBe(JSON.stringify(store.getState().sim.snapshot()))
  })

  const good = async () => {
    const r = await encodeShare(createSimulationStore({ seed: 1, manifest: webScenario() }).getState().scenario(), undefined, {})
    if (!r.ok) throw new Error(r.reason)
    return r.hash
  }
  const doc = (change: Record<string, unknown>) => JSON.stringify({ format: SHARE_FORMAT, version: 1, scenario: { version: 3, seed: 1, workers: 2, start: { kind: 'created', manifest: [] }, actions: [], now: 0 }, view: {}, ...change })
  const corpus: [string, () => Promise<string>, string][] = [
    ['empty', async () => '#share=', 'it holds no data'],
    ['truncated', async () => (await good()).slice(0, 60), 'cut short'],
    ['truncated by one character', async () => (await good()).slice(0, -1), 'cut short'],
    ['a character that is not base64url', async () => '#share=abc+def/==', 'characters a share link never has'],
    ['not deflate', async () => '#share=aGVsbG8gd29ybGQ', 'damaged or cut short'],
    ['oversized', async () => `#share=${'A'.repeat(MAX_LINK_CHARS + 1)}`, 'longer than a share link can be'],
    ['a deflate bomb', async () => deflate(' '.repeat(21 * 1024 * 1024)), 'unpacks to more than 20 MB'],
    ['not JSON', async () => deflate('{"format":'), 'not valid JSON'],
    ['foreign', async () => deflate(JSON.stringify({ hello: 'world' })), 'not made by this simulator'],
    ['a newer format', async () => deflate(doc({ version: 2 })), 'a newer version of the simulator (share format 2'],
    ['an invalid scenario', async () => deflate(doc({ scenario: { version: 3, seed: -4, workers: 2, start: { kind: 'created', manifest: [] }, actions: [], now: 0 } })), 'its scenario is invalid: seed: must be a whole number from 0 up; it is -4'],
    ['an unknown action', async () => deflate(doc({ scenario: { version: 3, seed: 1, workers: 2, start: { kind: 'created', manifest: [] }, actions: [{ type: 'rm -rf', at: 0 }], now: 0 } })), 'actions[0]: not an action this simulator knows (type: "rm -rf")'],
    ['an unknown kube-proxy mode', async () => deflate(doc({ scenario: { version: 3, seed: 1, workers: 2, proxyMode: 'userspace', start: { kind: 'created', manifest: [] }, actions: [], now: 0 } })), 'its scenario is invalid: proxyMode: must be one of iptables, ipvs, nftables'],
    ['an unknown lesson', async () => deflate(doc({ lesson: { id: 'nope', step: 0 } })), 'lesson.id: there is no lesson "nope"'],
    ['a step past the end', async () => deflate(doc({ lesson: { id: LESSONS[0]!.id, step: 99 } })), 'lesson.step: must be a whole number from 0 to'],
  ]
  it.each(corpus)('refuses a bad one with a clear message: %s', async (_, make, reason) => {
    const r = await decodeShare(await make())
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.reason).toContain(reason)
    expect(r.reason).toMatch(/^This share link cannot be opened: .*Nothing was changed\.$/)
  })
})
