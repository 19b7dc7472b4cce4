import { describe, expect, it } from 'vitest'
import { webCluster } from '../testing/scenarios'
import { compareModes, spreadByMode, type ModeRun } from './compareModes'

const byMode = (runs: readonly ModeRun[]) => Object.fromEntries(runs.map((r) => [r.mode, r]))
const readyWebPods = (sim: ReturnType<typeof webCluster>) =>
  sim.list('Pod', 'default').map((p) => `default/${p.metadata.name}`).filter((p) => p.startsWith('default/web-')).sort()

describe('one Service, three modes', () => {
  const sim = webCluster()
  const before = { state: sim.state, now: sim.now, snapshot: JSON.stringify(sim.snapshot()) }
  const cmp = compareModes(sim, 'default/web', 'default/client')
  if (!cmp.ok) throw new Error(cmp.error)
  const runs = byMode(cmp.modes)
  const node = (sim.get('Pod', 'default', 'client') as { spec: { nodeName: string } }).spec.nodeName

  it('sends the request from the client, in each mode, to one of the web pods, decided on the client node', () => {
    expect(cmp.modes.map((r) => r.mode)).toEqual(['iptables', 'ipvs', 'nftables'])
    for (const r of cmp.modes) {
      expect(r.ok, `${r.mode}: ${r.reason}`).toBe(true)
      expect(r.node).toBe(node)
      expect(readyWebPods(sim)).toContain(r.pod)
      expect(r.hops.every((h) => h.phase === 'request')).toBe(true)
      expect(r.hops.some((h) => h.at === node && h.kernel)).toBe(true)
    }
  })

  it('walks KUBE-SERVICES in iptables mode, so its first packet is tested against more rules than in IPVS or nftables mode', () => {
    expect(runs['iptables']!.rulesWalked).toBeGreaterThan(runs['ipvs']!.rulesWalked)
    expect(runs['iptables']!.rulesWalked).toBeGreaterThan(runs['nftables']!.rulesWalked)
    expect(runs['ipvs']!.rulesWalked).toBeGreaterThan(0)
    expect(runs['nftables']!.rulesWalked).toBeGreaterThan(0)
  })

  it("lists each node tool's lines about the Service, with what decided marked", () => {
    const text = (r: ModeRun, command: string) => r.rules.find((l) => l.command === command)?.lines ?? []
    const ipt = text(runs['iptables']!, 'iptables-save')
    expect(ipt.some((l) => l.text.startsWith('-A KUBE-SERVICES ') && l.text.includes('default/web:http cluster IP') && l.decides)).toBe(true)
    expect(ipt.some((l) => l.text.includes('-j DNAT') && l.decides)).toBe(true)
    expect(ipt.every((l) => !l.text.includes('kube-dns'))).toBe(true)

    const cip = sim.get('Service', 'default', 'web')!.spec as { clusterIP: string }
    const vs = text(runs['ipvs']!, 'ipvsadm -Ln')
    expect(vs.some((l) => l.text.startsWith('TCP') && l.text.includes(`${cip.clusterIP}:80`) && l.decides)).toBe(true)
    expect(vs.filter((l) => l.decides && l.text.includes('->'))).toHaveLength(1)
    expect(text(runs['ipvs']!, 'ipset list').some((l) => l.text === `${cip.clusterIP},tcp:80`)).toBe(true)

    const nft = text(runs['nftables']!, 'nft list ruleset')
    expect(nft.some((l) => l.text.includes(`${cip.clusterIP} . tcp . 80`) && l.decides)).toBe(true)
    expect(nft.some((l) => /chain service-\S+-default\/web\/tcp\/http \{/.test(l.text))).toBe(true)
    expect(nft.some((l) => /\bdnat\b/.test(l.text) && l.decides)).toBe(true)
  })

  it('gives the same comparison for the same cluster, and leaves that cluster as it was', () => {
    expect(compareModes(sim, 'default/web', 'default/client')).toEqual(cmp)
    expect(sim.state).toBe(before.state)
    expect(sim.now).toBe(before.now)
    expect(JSON.stringify(sim.snapshot())).toBe(before.snapshot)
  })

  it('reaches the same pods in every mode over 30 new connections, and IPVS round robin spreads them exactly evenly', () => {
    const spread = spreadByMode(sim, 'default/web', 'default/client', 30)
    if (!spread.ok) throw new Error(spread.error)
    for (const m of spread.modes) {
      expect(m.failed, m.mode).toBe(0)
      expect(m.counts.filter(([, n]) => n > 0).map(([p]) => p), m.mode).toEqual(readyWebPods(sim))
    }
    expect(spread.modes.find((m) => m.mode === 'ipvs')!.counts.map(([, n]) => n)).toEqual([10, 10, 10])
    expect(sim.state).toBe(before.state)
  })

  it('says why when there is nothing to compare', () => {
    expect(compareModes(sim, 'default/nope', 'default/client')).toEqual({ ok: false, error: 'Error from server (NotFound): services "nope" not found' })
    expect(compareModes(sim, 'default/web', 'default/nope').ok).toBe(false)
  })
})
