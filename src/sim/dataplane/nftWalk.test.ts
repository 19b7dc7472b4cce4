import { describe, expect, it } from 'vitest'
import { nftablesTable } from '../controllers/kubeProxy/nftables/nftablesTable'
import { nodeInternalIP } from '../model/node'
import type { NftTable } from '../model/nftables'
import type { Header } from '../model/packet'
import type { Service } from '../model/service'
import { createRng } from '../runtime/rng'
import type { Simulation } from '../simulation'
import { webCluster } from '../testing/scenarios'
import type { WalkContext } from './netfilter'
import { nftBaseChains, walkNft } from './nftWalk'

/** The web cluster, with a NodePort, a sticky Service and one whose selector matches nothing; seen from worker-1. */
function cluster(): { sim: Simulation; table: NftTable; nodeIP: string } {
  const sim = webCluster()
  const result = sim.apply([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sticky' }, spec: { sessionAffinity: 'ClientIP', selector: { app: 'web' }, ports: [{ port: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } },
  ])
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  sim.settle()
  const nodeIP = nodeInternalIP(sim.state.nodes.get('worker-1')!)
  const table = nftablesTable(sim.state.proxies.get('worker-1')!, { name: 'worker-1', ip: nodeIP }, sim.config.podCIDR.text, sim.config.serviceCIDR.text)
  return { sim, table, nodeIP }
}

const { sim, table, nodeIP } = cluster()
const svc = (name: string) => sim.state.services.get(`default/${name}`) as Service
const POD = '10.244.1.9'
const OUTSIDE = '198.51.100.7'

function context(seed = 1, mark = 0): WalkContext {
  return { localAddresses: new Set([nodeIP, '127.0.0.1']), rng: createRng(seed), now: 0, recent: new Map(), mark }
}

const to = (dst: string, dport: number, src = POD, proto: Header['proto'] = 'tcp'): Header => ({ proto, src, sport: 40000, dst, dport })

describe('a packet through kube-proxy\'s nftables table', () => {
  it('to a ClusterIP: nat-prerouting > services > service-… > endpoint-…, one lookup in service-ips, DNAT to an endpoint', () => {
    const web = svc('web')
    const w = walkNft(table, 'dstnat', 'prerouting', to(web.spec.clusterIP!, 80), context())
    expect(w.verdict).toBe('dnat')
    expect(w.path[0]).toBe('nat-prerouting')
    expect(w.path[1]).toBe('services')
    expect(w.path[2]).toMatch(/^service-\w{8}-default\/web\/tcp\/http$/)
    expect(w.path[3]).toMatch(/^endpoint-\w{8}-default\/web\/tcp\/http__10\.244\.\d+\.\d+\/8080$/)
    expect(w.lookups!.filter((l) => l.in === 'map service-ips')).toEqual([{ in: 'map service-ips', key: `${web.spec.clusterIP} . tcp . 80`, result: `goto ${w.path[2]}` }])
    // The firewall check before DNAT looked too, and found nothing: the Service has no source ranges.
    expect(w.lookups!.find((l) => l.in === 'map firewall-ips')!.result).toBe('no match')
    expect(w.dnat!.port).toBe(8080)
    expect(w.rule).toEqual({ line: `meta l4proto tcp dnat to ${w.dnat!.ip}:8080`, target: { kind: 'dnat', ip: w.dnat!.ip, port: 8080 } })
    // filter-prerouting, firewall-check, nat-prerouting, services, the service chain's two, the endpoint chain's two.
    expect(w.rulesEvaluated).toBe(8)
    expect(w.draws).toEqual([{ rule: expect.stringMatching(/^numgen random mod 3 vmap/), probability: 1 / 3, value: expect.any(Number), matched: true }])
    expect(w.trace.every((t) => t.table === 'ip kube-proxy')).toBe(true)
    expect(w.marks).toEqual([])
  })

  it('spreads new connections over every endpoint, each drawn about a third of the time', () => {
    const ctx = context(7)
    const counts = new Map<string, number>()
    for (let i = 0; i < 600; i++) {
      const w = walkNft(table, 'dstnat', 'prerouting', to(svc('web').spec.clusterIP!, 80), ctx)
      counts.set(w.dnat!.ip, (counts.get(w.dnat!.ip) ?? 0) + 1)
    }
    expect(counts.size).toBe(3)
    for (const n of counts.values()) expect(n).toBeGreaterThan(150)
  })

  it('marks a pod that reaches itself through its Service (hairpin), so that it is masqueraded', () => {
    const ctx = context(3)
    const first = walkNft(table, 'dstnat', 'prerouting', to(svc('web').spec.clusterIP!, 80), ctx)
    const self = first.dnat!.ip
    for (let seed = 0; seed < 50; seed++) {
      const c = context(seed)
      const w = walkNft(table, 'dstnat', 'prerouting', to(svc('web').spec.clusterIP!, 80, self), c)
      if (w.dnat!.ip !== self) continue
      expect(w.marks).toEqual([`ip saddr ${self} jump mark-for-masquerade`])
      expect(c.mark).toBe(0x4000)
      return
    }
    throw new Error('no draw picked the pod itself')
  })

  it('rejects a Service with no endpoints in the filter phase, through no-endpoint-services and reject-chain', () => {
    const ip = svc('empty').spec.clusterIP!
    const ctx = context()
    const nat = walkNft(table, 'dstnat', 'prerouting', to(ip, 80), ctx)
    expect(nat.verdict).toBe('accept')
    expect(nat.lookups!.find((l) => l.in === 'map service-ips')!.result).toBe('no match')
    const filter = walkNft(table, 'filter', 'forward', to(ip, 80), ctx)
    expect(filter.verdict).toBe('reject')
    expect(filter.path).toEqual(['filter-forward', 'service-endpoints-check', 'reject-chain'])
    expect(filter.rule).toEqual({ line: 'reject', target: { kind: 'reject' } })
    expect(filter.lookups).toEqual([{ in: 'map no-endpoint-services', key: `${ip} . tcp . 80`, result: 'goto reject-chain' }])
    // An established connection is not checked again.
    expect(walkNft(table, 'filter', 'forward', to(ip, 80), ctx, 'ESTABLISHED').verdict).toBe('accept')
  })

  it('rejects a ClusterIP\'s unknown port and drops an unallocated service address (cluster-ips-check)', () => {
    const w = walkNft(table, 'filter', 'forward', to(svc('web').spec.clusterIP!, 81), context())
    expect([w.verdict, w.rule!.line]).toEqual(['reject', 'ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"'])
    const d = walkNft(table, 'filter', 'forward', to('10.96.200.200', 80), context())
    expect([d.verdict, d.rule!.line]).toEqual(['drop', 'ip daddr 10.96.0.0/12 drop comment "Drop traffic to unallocated ClusterIPs"'])
  })

  it('takes a NodePort on the node\'s address from outside: service-nodeports, the external chain marks it, then DNAT', () => {
    const ctx = context()
    const w = walkNft(table, 'dstnat', 'prerouting', to(nodeIP, 30080, OUTSIDE), ctx)
    expect(w.verdict).toBe('dnat')
    expect(w.path.slice(0, 3)).toEqual(['nat-prerouting', 'services', expect.stringMatching(/^external-\w{8}-default\/np\/tcp\/http$/)])
    expect(w.lookups!.filter((l) => l.in.startsWith('map service'))).toEqual([
      { in: 'map service-ips', key: `${nodeIP} . tcp . 30080`, result: 'no match' },
      { in: 'map service-nodeports', key: 'tcp . 30080', result: `goto ${w.path[2]}` },
    ])
    expect(w.marks).toEqual(['jump mark-for-masquerade'])
    expect(ctx.mark).toBe(0x4000)
    // Only on the node's own address: the same port on another address is no NodePort.
    expect(walkNft(table, 'dstnat', 'prerouting', to('172.18.0.99', 30080, OUTSIDE), context()).verdict).toBe('accept')
  })

  it('masquerades in srcnat only what was marked, clearing the mark', () => {
    const unmarked = walkNft(table, 'srcnat', 'postrouting', to('10.244.2.2', 8080), context())
    expect(unmarked.verdict).toBe('accept')
    expect(unmarked.path).toEqual(['nat-postrouting'])
    const ctx = context(1, 0x4000)
    const marked = walkNft(table, 'srcnat', 'postrouting', to('10.244.2.2', 8080, OUTSIDE), ctx)
    expect(marked.verdict).toBe('masquerade')
    expect(marked.rule).toEqual({ line: 'masquerade fully-random', target: { kind: 'masquerade', randomFully: true } })
    expect(marked.path).toEqual(['nat-postrouting', 'masquerading'])
    expect(ctx.mark).toBe(0)
  })

  it('keeps a ClientIP client on its endpoint: the first connection is drawn and remembered, the next follows the set', () => {
    const ctx = context(5)
    const ip = svc('sticky').spec.clusterIP!
    const first = walkNft(table, 'dstnat', 'prerouting', to(ip, 8080), ctx)
    expect(first.draws).toHaveLength(1)
    for (let i = 0; i < 5; i++) {
      const again = walkNft(table, 'dstnat', 'prerouting', to(ip, 8080), ctx)
      expect(again.dnat).toEqual(first.dnat)
      expect(again.draws).toEqual([])
      expect(again.lookups!.some((l) => l.in.startsWith('set affinity-') && l.result === 'found')).toBe(true)
    }
    // After the timeout (10800 s) the client is forgotten and drawn again.
    const later = walkNft(table, 'dstnat', 'prerouting', to(ip, 8080), { ...ctx, now: 10801 * 1000 })
    expect(later.draws).toHaveLength(1)
  })

  it('runs the node\'s own traffic through filter-output before nat-output, and filter-output-post-dnat after', () => {
    expect(nftBaseChains(table, 'dstnat', 'output').map((c) => c.name)).toEqual(['filter-output', 'nat-output'])
    expect(nftBaseChains(table, 'filter', 'output').map((c) => c.name)).toEqual(['filter-output-post-dnat'])
    expect(nftBaseChains(table, 'filter', 'input').map((c) => c.name)).toEqual(['filter-input'])
    expect(nftBaseChains(table, 'srcnat', 'postrouting').map((c) => c.name)).toEqual(['nat-postrouting'])
    const w = walkNft(table, 'dstnat', 'output', to(svc('empty').spec.clusterIP!, 80, nodeIP), context())
    // Locally sent to a Service with no endpoints: refused before DNAT, from filter-output.
    expect([w.verdict, w.path]).toEqual(['reject', ['filter-output', 'service-endpoints-check', 'reject-chain']])
  })
})
