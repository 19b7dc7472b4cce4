import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { endpointPortsFor } from './controllers/endpointPorts'
import { createSimulation, type Simulation } from './index'
import { matchesLabels } from './model/meta'
import type { Pod } from './model/pod'
import { isPodReady, isPodTerminating } from './model/pod'
import { PROXY_MODES, type ProxyMode } from './model/proxyMode'
import { hasClusterIP, hasSelector, type Service } from './model/service'
import { webCluster, webManifest } from './testing/scenarios'

const nodes = (sim: Simulation) => sim.list('Node').map((n) => n.metadata.name)
const tool = (sim: Simulation, node: string, line: string) => sim.run(line, { node }).stdout

type Step =
  | { type: 'scale'; replicas: number }
  | { type: 'service'; kind: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; affinity: boolean }
  | { type: 'deleteService' }
  | { type: 'mode'; mode: ProxyMode }
  | { type: 'advance'; ms: number }

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 5 }) }),
  fc.record({ type: fc.constant('service' as const), kind: fc.constantFrom('ClusterIP' as const, 'NodePort' as const, 'LoadBalancer' as const), affinity: fc.boolean() }),
  fc.record({ type: fc.constant('deleteService' as const) }),
  fc.record({ type: fc.constant('mode' as const), mode: fc.constantFrom(...PROXY_MODES) }),
  fc.record({ type: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 10_000 }) }),
)

function perform(sim: Simulation, s: Step): void {
  switch (s.type) {
    case 'scale':
      sim.scale('default', 'web', s.replicas)
      break
    case 'service':
      sim.delete('svc', 'default', 'api')
      sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api' }, spec: { type: s.kind, selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }], ...(s.affinity ? { sessionAffinity: 'ClientIP' } : {}) } })
      break
    case 'deleteService':
      sim.delete('svc', 'default', 'api')
      break
    case 'mode':
      sim.dispatch({ type: 'setProxyMode', mode: s.mode })
      break
    case 'advance':
      sim.advance(s.ms)
  }
}

/** The ready, not terminating pods a Service selects, as "IP:port" of its first port. */
function usable(sim: Simulation, svc: Service): string[] {
  return (sim.list('Pod', svc.metadata.namespace) as Pod[])
    .filter((p) => hasSelector(svc) && matchesLabels(svc.spec.selector!, p.metadata.labels) && p.status.podIP && isPodReady(p) && !isPodTerminating(p))
    .map((p) => `${p.status.podIP}:${endpointPortsFor(svc, p)[0]?.port}`).sort()
}

/**
 * Once settled, each node holds the rules of the cluster's mode and of no other: every Service with a ClusterIP is
 * there exactly once, with exactly its usable endpoints, and the other modes' chains, virtual servers and tables are gone.
 */
function checkModeRules(sim: Simulation): void {
  const services = (sim.list('Service') as Service[]).filter(hasClusterIP)
  for (const node of nodes(sim)) {
    const rules = sim.proxyRules(node)!
    expect(rules.mode, `mode of ${node}'s rules`).toBe(sim.proxyMode)
    const save = sim.iptablesSave(node)!
    const ipvsadm = tool(sim, node, 'ipvsadm -Ln')
    const nft = tool(sim, node, 'nft list ruleset')
    expect(save.includes('KUBE-SVC-'), `iptables service chains on ${node} in ${sim.proxyMode} mode`).toBe(sim.proxyMode === 'iptables')
    expect(ipvsadm.includes(' rr'), `IPVS virtual servers on ${node} in ${sim.proxyMode} mode`).toBe(sim.proxyMode === 'ipvs')
    expect(nft.includes('table ip kube-proxy'), `nftables table on ${node} in ${sim.proxyMode} mode`).toBe(sim.proxyMode === 'nftables')
    expect(tool(sim, node, 'ip addr').includes('kube-ipvs0'), `kube-ipvs0 on ${node}`).toBe(sim.proxyMode === 'ipvs')
    for (const svc of services) {
      for (const port of svc.spec.ports ?? []) {
        const vip = `${svc.spec.clusterIP}:${port.port}`
        if (rules.mode === 'ipvs') {
          const vs = rules.ipvs.virtualServers.filter((v) => `${v.ip}:${v.port}` === vip && v.protocol === (port.protocol ?? 'TCP'))
          expect(vs, `one virtual server for ${vip}`).toHaveLength(1)
          expect(vs[0]!.scheduler).toBe('rr')
          expect(vs[0]!.persistent).toBe(svc.spec.sessionAffinity === 'ClientIP' ? 10800 : undefined)
          if (port.name === 'http' && port === svc.spec.ports![0] && hasSelector(svc)) expect(vs[0]!.realServers.map((r) => `${r.ip}:${r.port}`).sort(), `real servers of ${vip}`).toEqual(usable(sim, svc))
          expect(rules.ipvs.dummyAddresses).toContain(svc.spec.clusterIP)
        }
        if (rules.mode === 'nftables') {
          // A Service with endpoints is in service-ips; one without, in no-endpoint-services (rejected).
          const element = `${svc.spec.clusterIP} . ${(port.protocol ?? 'TCP').toLowerCase()} . ${port.port} : `
          expect(nft.includes(`${element}goto service-`) || nft.includes(`${element}goto reject-chain`), `service-ips or no-endpoint-services holds ${vip}`).toBe(true)
        }
      }
      if (rules.mode === 'nftables' && hasSelector(svc) && svc.spec.ports?.[0]?.name === 'http') {
        const chains = [...nft.matchAll(/chain endpoint-\w+-([^ ]+) \{/g)].map((m) => m[1]!).filter((c) => c.startsWith(`${svc.metadata.namespace}/${svc.metadata.name}/tcp/http__`))
        expect(chains.map((c) => c.split('__')[1]!.replace('/', ':')).sort(), `endpoint chains of ${svc.metadata.name}`).toEqual(usable(sim, svc))
      }
    }
  }
}

/** Every Service with a ClusterIP answers from one of its usable pods, and the reply comes back from the ClusterIP. */
function checkReachable(sim: Simulation): void {
  for (const svc of (sim.list('Service', 'default') as Service[]).filter((s) => hasClusterIP(s) && hasSelector(s))) {
    const want = usable(sim, svc)
    const port = svc.spec.ports![0]!.port
    const r = sim.connect('default/client', `${svc.spec.clusterIP}:${port}`)
    if (want.length === 0) {
      expect(r.ok, `${svc.metadata.name} has no endpoints`).toBe(false)
      continue
    }
    expect(r.ok, `${svc.metadata.name} in ${sim.proxyMode} mode: ${r.reason}`).toBe(true)
    expect(want, `${svc.metadata.name} answered by a usable pod`).toContain(r.endpoint)
    expect(r.hops.filter((h) => h.phase === 'reply').at(-1)!.after.src).toBe(`${svc.spec.clusterIP}:${port}`)
  }
}

describe('kube-proxy in each mode', () => {
  for (const mode of PROXY_MODES) {
    it(`${mode}: every Service is reachable exactly through its ready endpoints, whatever is done (seeded fuzz)`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 1000 }), fc.array(step, { minLength: 1, maxLength: 8 }), (seed, steps) => {
          const sim = createSimulation({ seed, workers: 2, proxyMode: mode })
          expect(sim.apply(webManifest(2)).ok).toBe(true)
          for (const s of steps) perform(sim, s)
          expect(sim.settle().settled).toBe(true)
          checkModeRules(sim)
          checkReachable(sim)
        }),
        { seed: 20261204 + PROXY_MODES.indexOf(mode), numRuns: 12 },
      )
    }, 120_000)
  }

  it('switching modes leaves no rule of the old mode behind, and the requests go on being answered', () => {
    const sim = webCluster()
    for (const mode of ['ipvs', 'nftables', 'iptables', 'nftables', 'ipvs', 'iptables'] as const) {
      expect(sim.setProxyMode(mode).ok, `switch to ${mode}`).toBe(true)
      expect(sim.settle().settled).toBe(true)
      checkModeRules(sim)
      checkReachable(sim)
    }
  })

  it('refuses an unknown mode and the mode it already runs in, naming the field, and changes nothing', () => {
    const sim = webCluster()
    const before = sim.state
    expect(sim.dispatch({ type: 'setProxyMode', mode: 'iptables' })).toMatchObject({ ok: false, message: expect.stringContaining('mode: Invalid value: "iptables": kube-proxy already runs in iptables mode') })
    expect(sim.setProxyMode('userspace' as ProxyMode)).toMatchObject({ ok: false, message: expect.stringContaining('mode: Unsupported value: "userspace"') })
    expect(sim.state).toBe(before)
    expect(() => createSimulation({ proxyMode: 'kernelspace' as ProxyMode })).toThrow(/proxyMode: Unsupported value: "kernelspace"/)
  })

  it('right after a switch the node has no Service rules until the new kube-proxy syncs (the restart gap)', () => {
    const sim = webCluster()
    const web = sim.get('Service', 'default', 'web') as Service
    sim.setProxyMode('ipvs')
    expect(sim.proxyRules('worker-1')!.mode).toBe('ipvs')
    expect(sim.connect('default/client', `${web.spec.clusterIP}:80`).ok).toBe(false)
    sim.settle()
    expect(sim.connect('default/client', `${web.spec.clusterIP}:80`).ok).toBe(true)
    expect(sim.events().some((e) => e.actor === 'kube-proxy/worker-1' && e.message.startsWith('Synced IPVS virtual servers'))).toBe(true)
  })
})

describe('IPVS balances round robin, not at random', () => {
  it('new connections from one node go to the real servers in turn, A B C A B C', () => {
    const sim = webCluster({ replicas: 3, proxyMode: 'ipvs' })
    const web = sim.get('Service', 'default', 'web') as Service
    const picks = Array.from({ length: 6 }, () => sim.connect('default/client', `${web.spec.clusterIP}:80`).endpoint!)
    expect(new Set(picks.slice(0, 3)).size).toBe(3)
    expect(picks.slice(3)).toEqual(picks.slice(0, 3))
    // In the order the virtual server lists its real servers, starting after the last one picked.
    const client = sim.get('Pod', 'default', 'client') as Pod
    const rules = sim.proxyRules(client.spec.nodeName!)!
    const order = rules.mode === 'ipvs' ? rules.ipvs.virtualServers.find((v) => v.ip === web.spec.clusterIP)!.realServers.map((r) => `${r.ip}:${r.port}`) : []
    const first = order.indexOf(picks[0]!)
    expect(picks).toEqual(Array.from({ length: 6 }, (_, i) => order[(first + i) % order.length]))
    const hop = sim.connect('default/client', `${web.spec.clusterIP}:80`).hops.find((h) => h.kernel?.facility === 'ipvs')!
    expect(hop.kernel!.lookups![0]).toMatchObject({ in: 'IPVS virtual servers', key: `TCP ${web.spec.clusterIP}:80` })
    expect(hop.note).toMatch(/round robin/)
  })

  it('with sessionAffinity ClientIP the virtual server is persistent 10800, and a client stays on one server', () => {
    const sim = webCluster()
    sim.patch('Service', 'default', 'web', { spec: { sessionAffinity: 'ClientIP' } })
    sim.setProxyMode('ipvs')
    sim.settle()
    const web = sim.get('Service', 'default', 'web') as Service
    expect(tool(sim, 'worker-1', 'ipvsadm -Ln')).toContain(`TCP  ${web.spec.clusterIP}:80 rr persistent 10800`)
    const picks = new Set(Array.from({ length: 6 }, () => sim.connect('default/client', `${web.spec.clusterIP}:80`).endpoint))
    expect(picks.size).toBe(1)
  })

  it('ipvsadm --stats counts the connections each virtual server took', () => {
    const sim = webCluster()
    sim.setProxyMode('ipvs')
    sim.settle()
    const web = sim.get('Service', 'default', 'web') as Service
    for (let i = 0; i < 4; i++) sim.connect('default/client', `${web.spec.clusterIP}:80`)
    const client = sim.get('Pod', 'default', 'client') as Pod
    const stats = tool(sim, client.spec.nodeName!, 'ipvsadm -Ln --stats')
    const line = stats.split('\n').find((l) => l.startsWith(`TCP  ${web.spec.clusterIP}:80`))!
    expect(line.split(/\s+/)[2]).toBe('4')
  })
})

describe('each hop says what the kernel consulted, structured', () => {
  it('iptables walks chains; nftables looks up a map; IPVS looks up a virtual server', () => {
    const facility: Record<ProxyMode, string> = { iptables: 'iptables', nftables: 'nftables', ipvs: 'ipvs' }
    for (const mode of PROXY_MODES) {
      const sim = webCluster()
      if (mode !== 'iptables') sim.setProxyMode(mode)
      sim.settle()
      const web = sim.get('Service', 'default', 'web') as Service
      const r = sim.connect('default/client', 'web:80')
      expect(r.ok, `${mode}: ${r.reason}`).toBe(true)
      const decided = r.hops.find((h) => h.phase === 'request' && h.kernel?.verdict === 'dnat')!
      expect(decided.kernel!.facility, mode).toBe(facility[mode])
      if (mode === 'nftables') {
        expect(decided.kernel!.table).toBe('ip kube-proxy')
        expect(decided.kernel!.lookups!.some((l) => l.in.includes('service-ips') && l.key.startsWith(`${web.spec.clusterIP} . tcp . 80`))).toBe(true)
        expect(decided.kernel!.rulesEvaluated!).toBeLessThan(15)
      }
      if (mode === 'iptables') expect(decided.kernel!.chains!.slice(0, 2)).toEqual(['PREROUTING', 'KUBE-SERVICES'])
    }
  })
})
