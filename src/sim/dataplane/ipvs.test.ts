import { Map as IMap } from 'immutable'
import { describe, expect, it } from 'vitest'
import { ipvsNode } from '../controllers/kubeProxy/ipvs/ipvsNode'
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../model/endpointSlice'
import type { IpvsNode, IpvsServiceState, IpvsVirtualServer } from '../model/ipvs'
import type { Header } from '../model/packet'
import type { Service } from '../model/service'
import { defaultServiceSpec } from '../model/serviceAdmission'
import { createRng } from '../runtime/rng'
import { countPacket, findVirtualServer, ipvsSchedule } from './ipvs'
import { walk, type NodeRules, type WalkContext } from './netfilter'
import { parseRule } from './rules'

const vs = (servers: number, extra: Partial<IpvsVirtualServer> = {}): IpvsVirtualServer => ({
  protocol: 'TCP',
  ip: '10.96.0.50',
  port: 80,
  scheduler: 'rr',
  realServers: Array.from({ length: servers }, (_, i) => ({ ip: `10.244.1.${i + 10}`, port: 8080, weight: 1 })),
  servicePort: 'default/web',
  ...extra,
})

/** Connections from `clients` in turn, each a new one: the real servers they were sent to, and the last state. */
function picks(v: IpvsVirtualServer, clients: readonly string[], start?: IpvsServiceState, at = (i: number) => i * 1000) {
  let st = start
  const out: string[] = []
  clients.forEach((c, i) => {
    const p = ipvsSchedule(v, st, c, at(i))!
    out.push(p.real.ip)
    st = p.state
  })
  return { out, st: st! }
}

describe('the IPVS scheduler', () => {
  it('hands six connections over three real servers round robin: A B C A B C', () => {
    const { out, st } = picks(vs(3), ['10.244.2.5', '10.244.2.5', '10.244.2.6', '10.244.2.7', '10.244.2.5', '10.244.2.8'])
    expect(out).toEqual(['10.244.1.10', '10.244.1.11', '10.244.1.12', '10.244.1.10', '10.244.1.11', '10.244.1.12'])
    expect(st.conns).toBe(6)
    expect(st.perReal.get('10.244.1.10:8080')!.conns).toBe(2)
  })

  it('passes over a quiesced server (weight 0), and has nothing when all are', () => {
    const v = vs(3)
    const quiesced = { ...v, realServers: v.realServers.map((r, i) => (i === 1 ? { ...r, weight: 0 } : r)) }
    expect(picks(quiesced, ['a', 'b', 'c', 'd']).out).toEqual(['10.244.1.10', '10.244.1.12', '10.244.1.10', '10.244.1.12'])
    expect(ipvsSchedule({ ...v, realServers: v.realServers.map((r) => ({ ...r, weight: 0 })) }, undefined, 'a', 0)).toBeUndefined()
    expect(ipvsSchedule(vs(0), undefined, 'a', 0)).toBeUndefined()
  })

  it('goes on after the last server picked wherever it now stands, and from its place if it is gone', () => {
    const { st } = picks(vs(3), ['a', 'b']) // last: 10.244.1.11
    const grown = vs(4)
    expect(ipvsSchedule(grown, st, 'c', 0)!.real.ip).toBe('10.244.1.12')
    const without = { ...grown, realServers: grown.realServers.filter((r) => r.ip !== '10.244.1.11') }
    expect(ipvsSchedule(without, st, 'c', 0)!.real.ip).toBe('10.244.1.12')
  })

  it('keeps a client on one real server while its persistence template lives, and renews it with each connection', () => {
    const sticky = vs(3, { persistent: 10 })
    const { out, st } = picks(sticky, ['10.244.2.5', '10.244.2.6', '10.244.2.5', '10.244.2.5'], undefined, (i) => i * 4000)
    expect(out).toEqual(['10.244.1.10', '10.244.1.11', '10.244.1.10', '10.244.1.10'])
    expect(st.persistence!.get('10.244.2.5')).toEqual({ real: '10.244.1.10:8080', expiresAt: 22_000 })
    const later = ipvsSchedule(sticky, st, '10.244.2.5', 40_000)!
    expect([later.real.ip, later.persisted]).toEqual(['10.244.1.12', false])
    expect(ipvsSchedule(sticky, st, '10.244.2.5', 21_000)!.persisted).toBe(true)
  })

  it('counts packets and bytes per direction, for the service and the real server, without touching the old state', () => {
    const first = ipvsSchedule(vs(1), undefined, 'a', 0)!
    const st = countPacket(countPacket(first.state, first.real, 'in', 60), first.real, 'out', 1500)
    expect([st.inPkts, st.inBytes, st.outPkts, st.outBytes]).toEqual([1, 60, 1, 1500])
    expect(st.perReal.get('10.244.1.10:8080')).toEqual({ conns: 1, inPkts: 1, outPkts: 1, inBytes: 60, outBytes: 1500 })
    expect(first.state.inPkts).toBe(0)
  })
})

// A node in IPVS mode: a ClusterIP Service and a NodePort one, each with a pod on this node.
const NODE = { name: 'worker-1', ip: '172.18.0.3' }
const service = (name: string, ip: string, nodePort?: number): Service => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, status: { loadBalancer: {} },
  spec: defaultServiceSpec({ clusterIP: ip, ...(nodePort ? { type: 'NodePort' } : {}), ports: [{ port: 80, targetPort: 8080, protocol: 'TCP', ...(nodePort ? { nodePort } : {}) }] }),
})
const slice = (svc: string, ip: string): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc}-x`, namespace: 'default', labels: { [SERVICE_NAME_LABEL]: svc } },
  addressType: 'IPv4', endpoints: [{ addresses: [ip], conditions: { ready: true }, nodeName: 'worker-1' }], ports: [{ port: 8080, protocol: 'TCP' }],
})
const node: IpvsNode = ipvsNode(
  { services: IMap([['default/web', service('web', '10.96.0.50')], ['default/np', service('np', '10.96.0.60', 30080)]]), endpointSlices: IMap([['default/web-x', slice('web', '10.244.1.5')], ['default/np-x', slice('np', '10.244.1.6')]]), syncedAt: 0 },
  NODE,
  '10.244.0.0/16',
)
const rules: NodeRules = { kubeProxy: node.iptables, flannel: { filter: { chains: [], rules: new Map() }, nat: { chains: [], rules: new Map() } } }
const ctx = (): WalkContext => ({ localAddresses: new Set([NODE.ip, '127.0.0.1', ...node.dummyAddresses]), rng: createRng(1), now: 0, recent: new Map(), mark: 0, ipsets: new Map(node.ipsets.map((s) => [s.name, s])) })
const tcp = (src: string, dst: string, dport: number): Header => ({ proto: 'tcp', src, sport: 40000, dst, dport })

describe('the rules IPVS mode writes, walked with its ipsets', () => {
  it('finds a packet\'s virtual server by protocol, address and port', () => {
    expect(findVirtualServer(node, tcp('10.244.2.9', '10.96.0.50', 80))?.servicePort).toBe('default/web')
    expect(findVirtualServer(node, tcp('10.244.2.9', NODE.ip, 30080))?.realServers).toEqual([{ ip: '10.244.1.6', port: 8080, weight: 1 }])
    expect(findVirtualServer(node, { ...tcp('10.244.2.9', '10.96.0.50', 80), proto: 'udp' })).toBeUndefined()
  })

  it('accepts a pod\'s packet to a ClusterIP in KUBE-SERVICES, as it is in KUBE-CLUSTER-IP, unmarked', () => {
    const c = ctx()
    const w = walk(rules, 'nat', 'PREROUTING', tcp('10.244.2.9', '10.96.0.50', 80), c)
    expect(w.verdict).toBe('accept')
    expect(w.rule?.line).toBe('-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT')
    expect(w.lookups).toContainEqual({ in: 'ipset KUBE-CLUSTER-IP', key: '10.96.0.50,tcp:80', result: 'match' })
    expect(c.mark).toBe(0)
    // And the filter table lets it up to IPVS (KUBE-IPVS-FILTER returns for a service port).
    expect(walk(rules, 'filter', 'INPUT', tcp('10.244.2.9', '10.96.0.50', 80), ctx()).verdict).toBe('accept')
  })

  it('marks a ClusterIP packet from outside the pod network for masquerade', () => {
    const c = ctx()
    const w = walk(rules, 'nat', 'PREROUTING', tcp('172.18.0.1', '10.96.0.50', 80), c)
    expect(w.marks).toEqual(['-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ'])
    expect(c.mark).toBe(0x4000)
  })

  it('sends a NodePort through KUBE-NODE-PORT, where KUBE-NODE-PORT-TCP marks it', () => {
    const c = ctx()
    const w = walk(rules, 'nat', 'PREROUTING', tcp('172.18.0.1', NODE.ip, 30080), c)
    // Nothing decides in nat (IPVS will): the walk comes back out of KUBE-SERVICES to PREROUTING's policy.
    expect([w.verdict, w.path]).toEqual(['accept', ['PREROUTING']])
    expect(w.trace.some((t) => t.chain === 'KUBE-NODE-PORT' && t.matched && t.line.includes('KUBE-NODE-PORT-TCP'))).toBe(true)
    expect(c.mark).toBe(0x4000)
  })

  it('refuses a new connection to a kube-ipvs0 address on a port no Service has', () => {
    const w = walk(rules, 'filter', 'INPUT', tcp('10.244.2.9', '10.96.0.50', 22), ctx())
    expect([w.verdict, w.rule?.line]).toEqual(['reject', '-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT'])
  })

  it('masquerades hairpin traffic: a pod sent back to itself matches KUBE-LOOP-BACK dst,dst,src', () => {
    const w = walk(rules, 'nat', 'POSTROUTING', tcp('10.244.1.5', '10.244.1.5', 8080), ctx())
    expect(w.verdict).toBe('masquerade')
    expect(w.lookups).toEqual([{ in: 'ipset KUBE-LOOP-BACK', key: '10.244.1.5,tcp:8080,10.244.1.5', result: 'match' }])
    expect(walk(rules, 'nat', 'POSTROUTING', tcp('10.244.2.9', '10.244.1.5', 8080), ctx()).verdict).toBe('accept')
  })

  it('reads negated set matches, src flags and negated address types', () => {
    expect(parseRule('-A X -m set ! --match-set KUBE-CLUSTER-IP src,dst -j ACCEPT').matches).toEqual([{ kind: 'set', name: 'KUBE-CLUSTER-IP', flags: ['src', 'dst'], negate: true }])
    expect(parseRule('-A X -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT').matches).toEqual([{ kind: 'physdev-in', negate: true }, { kind: 'addrtype', which: 'src', type: 'LOCAL', negate: true }])
    const own = (lines: string[]): NodeRules => {
      const filter = new Map([['OUTPUT', lines.map((line) => ({ table: 'filter' as const, chain: 'OUTPUT', line }))]])
      const empty = { chains: [], rules: new Map() }
      return { kubeProxy: { filter: { chains: ['OUTPUT'], rules: filter }, nat: empty }, flannel: { filter: empty, nat: empty } }
    }
    const negated = own(['-A OUTPUT -m set ! --match-set KUBE-CLUSTER-IP src,dst -j DROP'])
    // src,dst: the source address and the destination port ("10.96.0.50,tcp:80" is in the set).
    expect(walk(negated, 'filter', 'OUTPUT', tcp('10.96.0.50', '10.244.1.5', 80), ctx()).verdict).toBe('accept')
    expect(walk(negated, 'filter', 'OUTPUT', tcp('10.96.0.51', '10.244.1.5', 80), ctx()).verdict).toBe('drop')
  })

  it('drops the node\'s own connection to a load balancer its source ranges leave out (-m ipvs in KUBE-IPVS-OUT-FILTER)', () => {
    const lb = ipvsNode({ services: IMap([['default/lb', { ...service('lb', '10.96.0.70'), spec: defaultServiceSpec({ type: 'LoadBalancer', clusterIP: '10.96.0.70', loadBalancerSourceRanges: ['203.0.113.0/24'], ports: [{ port: 80, targetPort: 8080, protocol: 'TCP', nodePort: 30090 }] }), status: { loadBalancer: { ingress: [{ ip: '198.51.100.9' }] } } }]]), endpointSlices: IMap(), syncedAt: 0 }, NODE, '10.244.0.0/16')
    const r: NodeRules = { ...rules, kubeProxy: lb.iptables }
    const h = tcp('198.51.100.9', '10.244.1.5', 8080)
    expect(walk(r, 'filter', 'OUTPUT', h, { ...ctx(), ipvs: { vaddr: '198.51.100.9', vport: 80, vproto: 'tcp' } }).verdict).toBe('drop')
    expect(walk(r, 'filter', 'OUTPUT', h, { ...ctx(), ipvs: { vaddr: '198.51.100.9', vport: 443, vproto: 'tcp' } }).verdict).toBe('accept')
    expect(walk(r, 'filter', 'OUTPUT', h, ctx()).verdict).toBe('accept')
  })
})
