import { describe, expect, it } from 'vitest'
import { webScenario } from '../scenarios/webScenario'
import { MAX_VIRTUAL_MS } from '../sim'
import { parseSaved, SAVE_BOUNDS, saveScenario, serialize, STORAGE_KEY, type SavedScenario } from './persistence'
import { createSimulationStore, openScenario, type SimulationStore } from './simulationStore'
import { createTrafficStore } from './trafficStore'
import type { StoreApi } from 'zustand/vanilla'

/** A storage like the browser's: a quota in characters (key and value), QuotaExceededError past it. */
function fakeStorage(quota = Infinity) {
  const items = new Map<string, string>()
  return {
    items,
    setItem(key: string, value: string) {
      let used = key.length + value.length
      for (const [k, v] of items) if (k !== key) used += k.length + v.length
      if (used > quota) throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' })
      items.set(key, value)
    },
  }
}

/** Opens what was saved, as a reload does. */
function reload(text: string): StoreApi<SimulationStore> {
  const loaded = parseSaved(text)
  if (loaded.kind !== 'ok') throw new Error(loaded.kind === 'invalid' ? loaded.reason : 'nothing saved')
  const opened = openScenario(loaded.scenario)
  if (!opened.ok) throw new Error(opened.reason)
  return opened.store
}

const web = () => createSimulationStore({ seed: 7, manifest: webScenario() })

describe('saving and restoring a scenario', () => {
  it('a reload restores the same cluster, from a checkpoint and the actions after it, and it goes on the same', () => {
    const store = web()
    store.getState().step(2000)
    store.getState().scale('default', 'web', 5)
    store.getState().connect('default/client', 'web:80')
    store.getState().checkpoint()
    store.getState().step(3000)
    const victim = store.getState().sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    store.getState().deletePod('default', victim)
    store.getState().connect('default/client', 'web:80', { keepAlive: true })
    store.getState().step(4000)
    const storage = fakeStorage()
    expect(saveScenario(store, storage).ok).toBe(true)
    const saved = JSON.parse(storage.items.get(STORAGE_KEY)!)
    expect(saved).toMatchObject({ version: 3, start: { kind: 'checkpoint', packed: expect.any(String) } })
    expect(saved.actions.map((a: { type: string }) => a.type)).toEqual(['delete', 'connect'])
    const again = reload(storage.items.get(STORAGE_KEY)!)
    const { sim } = store.getState()
    expect(again.getState().sim.list('Pod')).toEqual(sim.list('Pod'))
    expect(again.getState().sim.kubeProxyRules('worker-1')).toBe(sim.kubeProxyRules('worker-1'))
    for (const s of [store, again]) {
      s.getState().scale('default', 'web', 2)
      s.getState().step(9000)
    }
    expect(JSON.stringify(again.getState().sim.snapshot())).toBe(JSON.stringify(sim.snapshot()))
  })

  it('stays bounded: past 1,000 actions since the start the cluster becomes a new checkpoint, and the list starts over', () => {
    const store = web()
    const storage = fakeStorage()
    for (let i = 0; i < SAVE_BOUNDS.actions; i++) store.getState().connect('default/client', 'web:80')
    saveScenario(store, storage)
    expect(store.getState().actions.length).toBe(SAVE_BOUNDS.actions)
    store.getState().connect('default/client', 'web:80')
    saveScenario(store, storage)
    expect(store.getState().actions).toEqual([])
    expect(store.getState().start.kind).toBe('checkpoint')
    expect(JSON.parse(storage.items.get(STORAGE_KEY)!).actions).toEqual([])
  })

  it('also by size: one big apply is folded into a checkpoint at the next save', () => {
    const store = web()
    const big = Array.from({ length: 400 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}` }, data: { text: 'x'.repeat(600) } }))
    expect(store.getState().apply(big).ok).toBe(true)
    const storage = fakeStorage()
    const outcome = saveScenario(store, storage)
    expect(store.getState().actions).toEqual([])
    expect(outcome.ok && outcome.chars).toBeLessThan(SAVE_BOUNDS.actionChars)
    expect(reload(storage.items.get(STORAGE_KEY)!).getState().sim.unsimulated().filter((o) => o.metadata.name.startsWith('settings-')).length).toBe(400)
  })

  it('and by work: a scale that makes the API server write thousands of times is folded in, so a reload does not redo it', () => {
    const store = web()
    const storage = fakeStorage()
    store.getState().scale('default', 'web', 3000)
    store.getState().step(30_000)
    expect(store.getState().sim.state.resourceVersion - store.getState().startVersion).toBeGreaterThan(SAVE_BOUNDS.writes)
    saveScenario(store, storage)
    expect(store.getState().start.kind).toBe('checkpoint')
    expect(store.getState().actions).toEqual([])
    const saved = storage.items.get(STORAGE_KEY)!
    expect(saved.length).toBeLessThan(1_000_000)
    expect(reload(saved).getState().sim.list('Pod')).toEqual(store.getState().sim.list('Pod'))
  }, 60_000)

  it('through fifteen virtual minutes at 8x with batches of requests, no save grows past half a megabyte', () => {
    const store = web()
    const traffic = createTrafficStore(store)
    const storage = fakeStorage()
    store.getState().setSpeed(8)
    let largest = 0
    for (let frame = 0; store.getState().sim.now < 15 * 60_000; frame++) {
      if (!traffic.getState().batch || traffic.getState().batch!.sent.length >= traffic.getState().batch!.spec.count) traffic.getState().send({ from: 'default/client', target: 'web:80', count: 1000, keepAlive: frame % 2 === 0 })
      store.getState().tick(1000 / 60)
      if (frame % 60 === 0) {
        const outcome = saveScenario(store, storage)
        if (outcome.ok) largest = Math.max(largest, outcome.chars)
      }
    }
    expect(largest).toBeGreaterThan(0)
    // The checkpoint (conntrack holds thousands of flows by then, about 200,000 characters packed) plus the actions.
    expect(largest).toBeLessThan(500_000)
    const again = reload(storage.items.get(STORAGE_KEY)!)
    expect(again.getState().sim.list('Pod')).toEqual(store.getState().sim.list('Pod'))
  }, 60_000)

  it('says when the storage is full, after trying a checkpoint to make the save smaller', () => {
    const store = web()
    // Many actions that leave the cluster as it was: the checkpoint is far smaller than they are.
    for (let i = 0; i < 900; i++) store.getState().scale('default', 'web', 3 + (i % 2))
    const roomy = fakeStorage(50_000)
    expect(saveScenario(store, roomy)).toMatchObject({ ok: true })
    expect(store.getState().actions).toEqual([])
    expect(saveScenario(web(), fakeStorage(500))).toEqual({ ok: false, problem: 'full' })
    const disabled = { setItem: () => { throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' }) } }
    expect(saveScenario(web(), disabled)).toEqual({ ok: false, problem: 'unavailable' })
  })

  it('reads a version-1 save (every action since the cluster was created) into the same cluster, and saves it as version 3', () => {
    const store = web()
    store.getState().step(1500)
    store.getState().scale('default', 'web', 4)
    for (let i = 0; i < 5; i++) store.getState().connect('default/client', 'web:80')
    store.getState().step(6000)
    const { seed, actions, sim } = store.getState()
    const v1 = JSON.stringify({ version: 1, seed, workers: 2, manifest: webScenario(), actions, now: sim.now })
    const migrated = reload(v1)
    expect(migrated.getState().sim.list('Pod')).toEqual(sim.list('Pod'))
    expect(JSON.stringify(migrated.getState().sim.snapshot())).toBe(JSON.stringify(sim.snapshot()))
    const storage = fakeStorage()
    saveScenario(migrated, storage)
    expect(JSON.parse(storage.items.get(STORAGE_KEY)!)).toMatchObject({ version: 3, start: { kind: 'created' } })
    // A version-1 save without workers meant 2.
    const { workers: _, ...old } = JSON.parse(v1)
    expect(parseSaved(JSON.stringify(old))).toMatchObject({ kind: 'ok', scenario: { workers: 2 } })
  })

  it('reads a version-2 save, whose pod deletions were deletePod actions, into the same cluster', () => {
    const store = web()
    store.getState().step(8000)
    const victim = store.getState().sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    store.getState().deletePod('default', victim)
    store.getState().step(3000)
    const current = JSON.parse(serialize(store.getState().scenario()))
    const v2 = { ...current, version: 2, actions: current.actions.map((a: { type: string }) => (a.type === 'delete' ? { type: 'deletePod', namespace: 'default', name: victim, at: (a as unknown as { at: number }).at } : a)) }
    expect(v2.actions.map((a: { type: string }) => a.type)).toEqual(['deletePod'])
    const migrated = reload(JSON.stringify(v2))
    expect(migrated.getState().actions).toEqual(store.getState().actions)
    expect(JSON.stringify(migrated.getState().sim.snapshot())).toBe(JSON.stringify(store.getState().sim.snapshot()))
  })

  it('a scenario file keeps the checkpoint readable, and reads back like the stored save', () => {
    const store = web()
    store.getState().checkpoint()
    const file = serialize(store.getState().scenario())
    expect(JSON.parse(file).start.snapshot.format).toBe('service-discovery-simulator/snapshot')
    expect(reload(file).getState().sim.list('Pod')).toEqual(store.getState().sim.list('Pod'))
  })
})

describe("kube-proxy's mode in a save", () => {
  const ipvsadm = (store: StoreApi<SimulationStore>) => store.getState().sim.run('ipvsadm -Ln', { node: 'worker-1' }).stdout

  it('a cluster created in IPVS mode is saved with its mode and reloads in IPVS mode, with the same virtual servers', () => {
    const store = createSimulationStore({ seed: 7, proxyMode: 'ipvs', manifest: webScenario() })
    store.getState().connect('default/client', 'web:80')
    store.getState().step(2000)
    const text = serialize(store.getState().scenario())
    expect(JSON.parse(text)).toMatchObject({ version: 3, proxyMode: 'ipvs', start: { kind: 'created' } })
    const again = reload(text)
    expect(again.getState().proxyMode).toBe('ipvs')
    expect(again.getState().sim.proxyMode).toBe('ipvs')
    expect(again.getState().sim.proxyRules('worker-1')?.mode).toBe('ipvs')
    expect(ipvsadm(again)).toBe(ipvsadm(store))
    expect(ipvsadm(again)).toContain(' rr')
  })

  it('a switch on the running cluster is a recorded action: a reload replays it, and goes on the same', () => {
    const store = web()
    store.getState().step(1000)
    expect(store.getState().dispatch({ type: 'setProxyMode', mode: 'nftables' })).toMatchObject({ ok: true })
    store.getState().step(2000)
    store.getState().connect('default/client', 'web:80')
    expect(store.getState().actions.map((a) => a.type)).toEqual(['setProxyMode', 'connect'])
    const again = reload(serialize(store.getState().scenario()))
    // Created in iptables mode, switched since: the save says both.
    expect(again.getState().proxyMode).toBe('iptables')
    expect(again.getState().sim.proxyMode).toBe('nftables')
    expect(again.getState().sim.run('nft list ruleset', { node: 'worker-1' }).stdout).toBe(store.getState().sim.run('nft list ruleset', { node: 'worker-1' }).stdout)
    expect(JSON.stringify(again.getState().sim.snapshot())).toBe(JSON.stringify(store.getState().sim.snapshot()))
  })

  it('a checkpoint after a switch starts in the mode the cluster ran in then', () => {
    const store = web()
    store.getState().dispatch({ type: 'setProxyMode', mode: 'ipvs' })
    store.getState().step(2000)
    store.getState().checkpoint()
    expect(store.getState().scenario()).toMatchObject({ proxyMode: 'ipvs', start: { kind: 'checkpoint' }, actions: [] })
    const again = reload(serialize(store.getState().scenario(), { packed: true }))
    expect(again.getState().sim.proxyMode).toBe('ipvs')
    expect(ipvsadm(again)).toBe(ipvsadm(store))
  })

  it('a save from before the modes (no proxyMode) is in iptables mode', () => {
    const { proxyMode: _, ...old } = JSON.parse(serialize(web().getState().scenario()))
    const loaded = parseSaved(JSON.stringify(old))
    expect(loaded).toMatchObject({ kind: 'ok', scenario: { proxyMode: 'iptables' } })
    expect(reload(JSON.stringify(old)).getState().sim.proxyMode).toBe('iptables')
  })

  it('a bad mode is refused, naming the field, and leaves the cluster running as it was', () => {
    const store = web()
    store.getState().step(1000)
    const before = store.getState().sim.state
    const saved = JSON.parse(serialize(store.getState().scenario()))
    const raw = JSON.stringify({ ...saved, proxyMode: 'bogus' })
    expect(parseSaved(raw)).toEqual({ kind: 'invalid', raw, reason: 'proxyMode: must be one of iptables, ipvs, nftables (kube-proxy\'s mode); it is "bogus"' })
    const badAction = JSON.stringify({ ...saved, actions: [{ type: 'setProxyMode', mode: 'userspace', at: 500 }] })
    expect(parseSaved(badAction)).toMatchObject({ kind: 'invalid', reason: 'actions[0]: mode: must be one of iptables, ipvs, nftables; it is "userspace"' })
    expect(store.getState().sim.state).toBe(before)
    expect(store.getState().actions).toEqual([])
  })
})

describe('a corrupt save', () => {
  const store = web()
  store.getState().connect('default/client', 'web:80')
  const valid = JSON.parse(serialize(store.getState().scenario())) as SavedScenario
  const checkpointed = web()
  checkpointed.getState().checkpoint()
  const withCheckpoint = JSON.parse(serialize(checkpointed.getState().scenario(), { packed: true }))
  const v = (change: Record<string, unknown>) => JSON.stringify({ ...valid, ...change })
  const cases: [string, string, string][] = [
    ['cut short', serialize(store.getState().scenario()).slice(0, 80), 'the saved data is not valid JSON (it may have been cut short or edited by hand)'],
    ['not an object', '[1, 2]', 'not an object with the fields of a saved cluster'],
    ['a newer schema', v({ version: 4 }), 'saved by a newer version of the simulator (schema 4; this one reads 1 to 3)'],
    ['an unknown schema', v({ version: 'beta' }), 'not a save this simulator knows (version: "beta"'],
    ['no version at all (some other JSON file)', JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [] }), 'it is not a save of this simulator: it has no "version" field (a save from Export has one)'],
    ['a clock of 1e300', v({ now: 1e300 }), `now: must be a virtual time from 0 to ${MAX_VIRTUAL_MS.toLocaleString('en-US')} ms (100 years); it is 1e+300`],
    ['a negative clock', v({ now: -1 }), 'now: must be a virtual time from 0'],
    ['a clock of NaN (JSON null)', v({ now: null }), 'it is null'],
    ['a clock before the last action', v({ now: 1 }), 'is before the last thing that happened'],
    ['a negative seed', v({ seed: -3 }), 'seed: must be a whole number from 0 up; it is -3'],
    ['a seed as text', v({ seed: 'x' }), 'seed: must be a whole number from 0 up; it is "x"'],
    ['half a worker', v({ workers: 1.5 }), 'workers: must be a whole number from 0 to 50; it is 1.5'],
    ['too many workers', v({ workers: 5000 }), 'workers: must be a whole number from 0 to 50; it is 5000'],
    ['actions that are not a list', v({ actions: 'all' }), 'actions: must be a list'],
    ['an unknown action', v({ actions: [{ type: 'rm -rf', at: 0 }] }), 'actions[0]: not an action this simulator knows (type: "rm -rf")'],
    ['an action at no time', v({ actions: [{ type: 'scale', namespace: 'default', name: 'web', replicas: 2, at: null }] }), 'actions[0]: at: must be a virtual time'],
    ['actions out of order', v({ actions: [{ type: 'scale', namespace: 'default', name: 'web', replicas: 2, at: 5000 }, { type: 'scale', namespace: 'default', name: 'web', replicas: 3, at: 10 }] }), 'actions[1]: at: 10 ms is before'],
    ['negative replicas', v({ actions: [{ type: 'scale', namespace: 'default', name: 'web', replicas: -1, at: 0 }] }), 'actions[0]: replicas: must be a whole number from 0 up; it is -1'],
    ['a request with a bad option', v({ actions: [{ type: 'connect', from: 'default/client', target: 'web:80', options: { protocol: 'icmp' }, at: 0 }] }), 'actions[0]: options.protocol: must be tcp or udp'],
    ['a manifest that is a number', v({ start: { kind: 'created', manifest: 5 } }), 'manifest: must be YAML text or a list of objects'],
    ['an unknown start', v({ start: { kind: 'rocket' } }), 'start: must be a created cluster or a checkpoint; it is "rocket"'],
    ['a packed checkpoint that is garbage', JSON.stringify({ ...withCheckpoint, start: { kind: 'checkpoint', packed: 'bm90IGRlZmxhdGU=' } }), 'the checkpoint is damaged: its packed data cannot be unpacked'],
  ]
  it.each(cases)('is refused with the reason in plain words: %s', (_, raw, reason) => {
    const r = parseSaved(raw)
    expect(r).toMatchObject({ kind: 'invalid', raw })
    if (r.kind === 'invalid') {
      expect(r.reason).toContain(reason)
      expect(r.reason).not.toMatch(/TypeError|SyntaxError|Unexpected token|is not a function|Cannot read/)
    }
  })

  const opened: [string, unknown, string][] = [
    ['a manifest the engine refuses (it was an empty cluster before)', { ...valid, start: { kind: 'created', manifest: 'kind: Service\napiVersion: v1\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 70000\n' } }, 'its starting manifest is refused: The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000'],
    ['a checkpoint the engine refuses', { ...withCheckpoint, start: { kind: 'checkpoint', snapshot: { ...(checkpointed.getState().start as { snapshot: object }).snapshot, rng: [1] } } }, 'its checkpoint cannot be used: its random generator state is damaged'],
    ['an action that no longer applies', { ...valid, actions: [{ type: 'delete', kind: 'pod', namespace: 'default', name: 'nobody', at: 0 }] }, 'actions[0] (delete pod default/nobody at t=0.0 s) no longer applies: Error from server (NotFound): pods "nobody" not found'],
  ]
  it.each(opened)('parses, but opening it says what the engine refused: %s', (_, save, reason) => {
    const loaded = parseSaved(JSON.stringify(save))
    expect(loaded.kind).toBe('ok')
    if (loaded.kind !== 'ok') return
    const r = openScenario(loaded.scenario)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.reason).toContain(reason)
      expect(r.reason).not.toMatch(/TypeError|is not a function|Cannot read/)
    }
  })

  it('nothing saved is nothing to restore', () => {
    expect(parseSaved(null)).toEqual({ kind: 'none' })
  })
})
