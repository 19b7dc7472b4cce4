import { describe, expect, it } from 'vitest'
import type { ActionResult, ConnectResult, SimAction } from '../sim'
import { followLesson } from './followLesson'
import { threeWaysToProxy as lesson } from './threeWaysToProxy'

const follow = () => followLesson(lesson)

const requests = (mine: { action: SimAction; result: ActionResult }[]) => mine.filter((s) => s.action.type === 'connect').map((s) => s.result as ConnectResult)

describe('lesson "Three ways to proxy", with "Do it for me"', () => {
  it('sends the same request through iptables, IPVS and nftables, and shows what each node tool prints', () => {
    const { sim: store, doStep } = follow()
    const sim = () => store.getState().sim
    const first = doStep()
    expect(first.exhibit!.text).toContain('KUBE-SVC-')
    const iptablesWalk = requests(first.mine)[0]!.hops.find((h) => h.phase === 'request' && h.kernel?.verdict === 'dnat')!
    expect(iptablesWalk.kernel!.facility).toBe('iptables')

    const ipvs = doStep()
    expect(ipvs.mine[0]!.action).toEqual({ type: 'setProxyMode', mode: 'ipvs' })
    expect(sim().proxyMode).toBe('ipvs')
    expect(ipvs.exhibit!.text).toMatch(/TCP {2}\S+:80 rr/)
    expect(doStep().exhibit!.text).toContain('kube-ipvs0')

    const rr = requests(doStep().mine)
    expect(rr).toHaveLength(6)
    expect(rr.every((r) => r.ok)).toBe(true)
    // Round robin over web's three pods from one node: each pod twice, in a repeating order.
    expect(rr.slice(3).map((r) => r.pod)).toEqual(rr.slice(0, 3).map((r) => r.pod))
    expect(new Set(rr.map((r) => r.pod)).size).toBe(3)

    const nft = doStep()
    expect(sim().proxyMode).toBe('nftables')
    expect(nft.exhibit!.text).toContain('map service-ips')
    const last = doStep()
    const hop = requests(last.mine)[0]!.hops.find((h) => h.phase === 'request' && h.kernel?.verdict === 'dnat')!
    expect(hop.kernel!.lookups!.some((l) => l.in === 'map service-ips')).toBe(true)
    expect(last.exhibit!.text).toContain('numgen random mod 3 vmap')
    // With five Services the two walks are alike in length; the chart in Compare modes shows them part as Services grow.
    expect(hop.kernel!.rulesEvaluated!).toBeLessThan(15)
  })
})
