import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import type { Node } from '../model/node'
import type { Pod } from '../model/pod'
import type { Service } from '../model/service'
import { DEFAULT_CONFIG } from '../config'
import { createRng } from '../runtime/rng'
import { expectGolden } from '../testing/golden'
import { forward, type Journey } from './journey'
import { webCluster } from '../testing/scenarios'
import { traceText } from '../testing/traces'

const golden = (name: string, text: string) => expectGolden(`${__dirname}/__golden__/${name}`, `${text}\n`)
const svcOf = (sim: ReturnType<typeof webCluster>, name: string) => sim.get('Service', 'default', name) as Service
const webPods = (sim: ReturnType<typeof webCluster>) => (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.name.startsWith('web-'))

describe('a request from a pod to a Service name', () => {
  it('resolves the name through the search list, is DNAT-ed to a ready pod, and the reply comes back from the ClusterIP (golden)', () => {
    const sim = webCluster()
    const r = sim.connect('default/client', 'web:80')
    expect(r.ok).toBe(true)
    const pod = webPods(sim).find((p) => `${p.metadata.namespace}/${p.metadata.name}` === r.pod)!
    expect(r.endpoint).toBe(`${pod.status.podIP}:8080`)
    expect(r.dns?.queries).toEqual(['web.default.svc.cluster.local.'])
    const ip = svcOf(sim, 'web').spec.clusterIP
    const lastReply = r.hops.filter((h) => h.phase === 'reply').at(-1)!
    expect(lastReply.after.src).toBe(`${ip}:80`)
    expect(r.hops.some((h) => h.phase === 'dns' && h.rule?.includes('kube-system/kube-dns:dns') && h.rule.includes('DNAT'))).toBe(true)
    golden('pod-to-service.txt', traceText(r.hops))
  })

  it('records every rule the first packet was tested against: the Service match, each dice roll, the DNAT that fired', () => {
    const sim = webCluster({ replicas: 3 })
    const r = sim.connect('default/client', 'web:80')
    const hop = r.hops.find((h) => h.phase === 'request' && h.step === 'netfilter' && h.rule?.includes('DNAT'))!
    const trace = hop.evaluated!
    // The walk ends on the rule that decided, inside the endpoint's KUBE-SEP chain.
    expect(trace.at(-1)!.line).toBe(hop.rule)
    expect(trace.at(-1)!.chain).toMatch(/^KUBE-SEP-/)
    // Into the Service's chain through its KUBE-SERVICES rule, which matched.
    expect(trace.some((t) => t.chain === 'KUBE-SERVICES' && t.matched && t.line.includes('default/web:http cluster IP'))).toBe(true)
    // The dice: one draw per statistic rule met, the same numbers the hop reports; only the last one matched.
    const rolls = trace.filter((t) => t.draw)
    expect(rolls.map((t) => t.draw!.value)).toEqual(hop.draws!.map((d) => d.value))
    expect(rolls.map((t) => t.matched)).toEqual(hop.draws!.map((d) => d.matched))
    for (const t of rolls) expect(t.matched).toBe(t.draw!.value < t.draw!.probability)
    // Depth follows the jumps: KUBE-SERVICES under PREROUTING, the Service chain one deeper, the endpoint's deeper still.
    expect(trace.find((t) => t.chain === 'PREROUTING')!.depth).toBe(0)
    expect(trace.find((t) => t.chain.startsWith('KUBE-SVC-'))!.depth).toBe(2)
  })

  it('reaches the pod itself through its own Service, masqueraded so the reply returns (hairpin, golden)', () => {
    const sim = webCluster({ replicas: 1 })
    const self = webPods(sim)[0]!
    const name = `default/${self.metadata.name}`
    const r = sim.connect(name, 'web:80')
    expect(r.pod).toBe(name)
    const masq = r.hops.find((h) => h.rule?.includes('MASQUERADE'))!
    expect(masq.after.src.split(':')[0]).toMatch(/^10\.244\.\d+\.1$/)
    expect(r.hops.some((h) => h.rule?.endsWith(`-s ${self.status.podIP} -j KUBE-MARK-MASQ`))).toBe(false)
    golden('hairpin.txt', traceText(r.hops))
  })

  it('is refused when the Service has no endpoints (the REJECT rule)', () => {
    const sim = webCluster()
    sim.scale('default', 'web', 0)
    sim.settle()
    const r = sim.connect('default/client', 'web:80')
    expect(r.ok).toBe(false)
    expect(r.reason).toBe('connection refused: default/web:http has no endpoints')
    expect(r.hops.at(-1)!.rule).toContain('-j REJECT')
    golden('no-endpoints.txt', traceText(r.hops))
  })

  it('goes straight to a pod for a headless Service: DNS returns pod IPs, no DNAT', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080 }] } })
    sim.settle()
    const r = sim.connect('default/client', 'web-headless:8080')
    expect(r.ok).toBe(true)
    expect(r.dns!.answers.map((a) => a.data).sort()).toEqual(webPods(sim).map((p) => p.status.podIP).sort())
    expect(r.hops.filter((h) => h.phase === 'request' && h.rule?.includes('DNAT'))).toEqual([])
    golden('headless.txt', traceText(r.hops))
  })

  it('follows an ExternalName to its CNAME and out of the cluster', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'search' }, spec: { type: 'ExternalName', externalName: 'search.example.com' } })
    sim.settle()
    const r = sim.connect('default/client', 'search:443')
    expect(r.dns!.answers.map((a) => a.type)).toEqual(['CNAME', 'A'])
    expect(r.dns!.answers[0]!.data).toBe('search.example.com.')
    expect(r.ok).toBe(true)
    expect(r.pod).toBeUndefined()
    expect(r.hops.some((h) => h.note.startsWith('Leaves the cluster'))).toBe(true)
    golden('external-name.txt', traceText(r.hops))
  })

  it('cannot resolve an unknown name', () => {
    const r = webCluster().connect('default/client', 'nope:80')
    expect(r.ok).toBe(false)
    expect(r.reason).toBe('could not resolve host: nope')
    expect(r.dns!.rcode).toBe('NXDOMAIN')
  })
})

describe("a pod's own addresses", () => {
  it("127.0.0.1 is the pod's own loopback: a NodePort there is refused in an ordinary pod, and no node rule is walked", () => {
    const sim = webCluster({ replicas: 1 })
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    const nodePort = svcOf(sim, 'web-np').spec.ports![0]!.nodePort!
    const r = sim.connect('default/client', `127.0.0.1:${nodePort}`)
    expect(r.ok).toBe(false)
    expect(r.reason).toMatch(/^connection refused by default\/client:\d+ \(127\.0\.0\.1 is default\/client's own loopback \(lo\), not the node's\)$/)
    expect(r.rulesEvaluated).toBe(0)
    expect(r.hops.map((h) => h.step)).toEqual(['reject'])
    expect(r.hops[0]!.at).toBe('default/client')
  })

  it("a web pod reaching its own port on localhost, or on its own pod IP, is answered by its own container", () => {
    const sim = webCluster({ replicas: 1 })
    const pod = webPods(sim)[0]!
    const name = `default/${pod.metadata.name}`
    for (const target of ['127.0.0.1:8080', `${pod.status.podIP}:8080`]) {
      const r = sim.connect(name, target)
      expect(r.ok).toBe(true)
      expect(r.pod).toBe(name)
      expect(r.rulesEvaluated).toBe(0)
      expect(r.hops.every((h) => h.at === name)).toBe(true)
    }
  })
})

describe('traffic from outside', () => {
  it('a proxying load balancer (ipMode: Proxy) connects to a node\'s NodePort from its own address; kube-proxy writes no rule for its IP', () => {
    const sim = webCluster()
    const lbService = (mode?: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb', ...(mode ? { annotations: { 'service-discovery-simulator.dev/load-balancer-ip-mode': mode } } : {}) }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    expect(sim.apply(lbService('Proxy')).ok).toBe(true)
    sim.settle()
    const svc = svcOf(sim, 'web-lb')
    const ingress = svc.status.loadBalancer.ingress![0]!
    expect(ingress.ipMode).toBe('Proxy')
    const nodePort = svc.spec.ports![0]!.nodePort!
    expect(sim.kubeProxyRules('worker-1')).not.toContain(`-d ${ingress.ip} `)
    const r = sim.connect('external', `${ingress.ip}:80`)
    expect(r.ok, r.reason).toBe(true)
    const lbHops = r.hops.filter((h) => h.at === 'load balancer')
    expect(lbHops).toHaveLength(2)
    expect(lbHops[0]!.before).toMatchObject({ src: expect.stringMatching(/^198\.51\.100\.23:\d+$/), dst: `${ingress.ip}:80` })
    expect(lbHops[0]!.after).toMatchObject({ src: expect.stringMatching(new RegExp(`^${ingress.ip!.replace(/\./g, '\\.')}:\\d+$`)), dst: expect.stringMatching(new RegExp(`^172\\.18\\.0\\.\\d+:${nodePort}$`)) })
    expect(r.endpoint).toMatch(/^10\.244\.\d+\.\d+:8080$/)
    // The client hears back from the load balancer's address, on its own connection.
    expect(r.hops.at(-1)).toMatchObject({ step: 'deliver', before: { src: `${ingress.ip}:80`, dst: expect.stringMatching(/^198\.51\.100\.23:/) } })
    // From inside the cluster: up to the balancer (no rule captures its address), which connects to a NodePort; the
    // reply comes back through it and the client's node, from the address the client asked for.
    const inside = sim.connect('default/client', `${ingress.ip}:80`)
    expect(inside.ok, inside.reason).toBe(true)
    expect(inside.hops.filter((h) => h.at === 'load balancer').map((h) => h.phase)).toEqual(['request', 'reply'])
    expect(inside.hops.at(-1)).toMatchObject({ step: 'deliver', at: 'default/client', before: { src: `${ingress.ip}:80` } })
    // Back to the passing kind: the same address, captured by kube-proxy's rules again.
    sim.apply(lbService())
    sim.settle()
    expect(svcOf(sim, 'web-lb').status.loadBalancer.ingress![0]).toMatchObject({ ip: ingress.ip, ipMode: 'VIP' })
    expect(sim.kubeProxyRules('worker-1')).toContain(`-d ${ingress.ip} `)
    const v = sim.connect('external', `${ingress.ip}:80`)
    expect(v.ok).toBe(true)
    expect(v.hops.filter((h) => h.at === 'load balancer')).toHaveLength(1)
  })

  const withNodePort = (policy: 'Cluster' | 'Local') => {
    const sim = webCluster({ replicas: 1 })
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', externalTrafficPolicy: policy, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    const pod = webPods(sim)[0]!
    const nodes = sim.list('Node') as { metadata: { name: string }; status: { addresses: { type: string; address: string }[] } }[]
    const ipOf = (n: string) => nodes.find((x) => x.metadata.name === n)!.status.addresses[0]!.address
    const withPod = pod.spec.nodeName!
    const without = withPod === 'worker-1' ? 'worker-2' : 'worker-1'
    const nodePort = svcOf(sim, 'web-np').spec.ports![0]!.nodePort!
    return { sim, pod, withPod: ipOf(withPod), without: ipOf(without), nodePort }
  }

  it('Cluster policy: any node forwards to the pod, masquerading so the pod sees a node address (golden)', () => {
    const { sim, pod, without, nodePort } = withNodePort('Cluster')
    const r = sim.connect('external', `${without}:${nodePort}`)
    expect(r.ok).toBe(true)
    expect(r.endpoint).toBe(`${pod.status.podIP}:8080`)
    const delivered = r.hops.find((h) => h.step === 'deliver' && h.phase === 'request')!
    expect(delivered.before.src.split(':')[0]).toBe(without)
    expect(r.hops.filter((h) => h.phase === 'reply').at(-1)!.after).toMatchObject({ src: `${without}:${nodePort}`, dst: expect.stringMatching(/^198\.51\.100\.23:/) })
    golden('external-nodeport-cluster.txt', traceText(r.hops))
  })

  it('Local policy: the node with the pod keeps the client address; a node without one drops (golden)', () => {
    const { sim, withPod, without, nodePort } = withNodePort('Local')
    const kept = sim.connect('external', `${withPod}:${nodePort}`)
    expect(kept.ok).toBe(true)
    expect(kept.hops.find((h) => h.step === 'deliver' && h.phase === 'request')!.before.src).toMatch(/^198\.51\.100\.23:/)
    const dropped = sim.connect('external', `${without}:${nodePort}`)
    expect(dropped.ok).toBe(false)
    expect(dropped.reason).toBe('connection timed out: default/web-np has no local endpoints')
    golden('external-nodeport-local.txt', `${traceText(kept.hops)}\n\n${traceText(dropped.hops)}`)
  })

  it('through a load balancer: it picks a node, never the control plane, and the node forwards as for a NodePort', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    const lb = svcOf(sim, 'web-lb').status.loadBalancer.ingress![0]!.ip
    for (let i = 0; i < 20; i++) {
      const r = sim.connect('external', `${lb}:80`)
      expect(r.ok).toBe(true)
      expect(r.hops[0]!.step).toBe('loadbalancer')
      expect(r.hops[0]!.note).not.toContain('control-plane')
    }
  })

  it('cannot reach a ClusterIP from outside', () => {
    const sim = webCluster()
    const r = sim.connect('external', `${svcOf(sim, 'web').spec.clusterIP}:80`)
    expect(r.ok).toBe(false)
    expect(r.reason).toContain('not reachable from outside the cluster')
  })
})

describe('an address nobody holds', () => {
  it('times out right after a Node is deleted, though stale rules still DNAT to the pods it had', () => {
    const sim = webCluster()
    // The worker the client does not run on (the client must outlive the Node).
    const clientNode = (sim.get('Pod', 'default', 'client') as Pod).spec.nodeName
    const victim = clientNode === 'worker-1' ? 'worker-2' : 'worker-1'
    const gone = webPods(sim).filter((p) => p.spec.nodeName === victim).map((p) => p.status.podIP)
    expect(gone.length).toBeGreaterThan(0)
    sim.delete('node', undefined, victim)
    const reasons = new Set<string>()
    for (let i = 0; i < 30; i++) {
      const r = sim.connect('default/client', 'web:80')
      if (r.ok) {
        expect(sim.get('Pod', 'default', r.pod!.split('/')[1]!), `${r.endpoint} is served by a pod that exists`).toBeDefined()
        continue
      }
      expect(gone).toContain(r.endpoint ?? r.reason!.match(/holds (\S+) /)![1])
      reasons.add(r.reason!)
    }
    expect([...new Set([...reasons].map((m) => m.replace(/\d+\.\d+\.\d+\.\d+/, 'IP')))]).toEqual([
      "connection timed out: no node's pod CIDR holds IP (flannel has no route for it), so it follows the default route out of the cluster",
    ])
  })

  it('times out when the load balancer sends to a node that just joined and has no rules yet', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    const lb = svcOf(sim, 'web-lb').status.loadBalancer.ingress![0]!.ip
    sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-3' } })
    let toNewNode = 0
    for (let i = 0; i < 30; i++) {
      const r = sim.connect('external', `${lb}:80`)
      if (!r.hops[0]!.note.includes('picks worker-3')) continue
      toNewNode++
      expect(r.ok).toBe(false)
      expect(r.reason).toBe(`connection timed out: no rule on worker-3 captures load-balancer address ${lb} (kube-proxy there has not written its rules yet)`)
    }
    expect(toNewNode).toBeGreaterThan(0)
  })

  it('times out for a pod IP, a service address or a node address nobody has', () => {
    const sim = webCluster()
    expect(sim.connect('default/client', '10.244.1.200:80').reason).toBe('connection timed out: no pod has 10.244.1.200 (gone since the connection was made)')
    expect(sim.connect('default/client', '10.244.77.5:80').reason).toMatch(/^connection timed out: no node's pod CIDR holds 10\.244\.77\.5/)
    expect(sim.connect('default/client', '10.96.200.200:80').reason).toMatch(/^connection timed out: no Service has 10\.96\.200\.200/)
    expect(sim.connect('default/client', '172.18.0.99:80').reason).toBe('connection timed out: no host has 172.18.0.99 on the node network: ARP gets no answer (no route to host)')
    expect(sim.connect('default/client', '203.0.113.99:80').reason).toBe('connection timed out: no Service holds load-balancer address 203.0.113.99, so no load balancer answers for it')
  })

  it('sends a pod up and out to the load balancer when its node has no rule for the address yet', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    const clientNode = (sim.get('Pod', 'default', 'client') as Pod).spec.nodeName!
    // The moment the load balancer's address is in the Service's status but not yet in kube-proxy's rules there.
    let lb: string | undefined
    for (let t = 0; t < 10_000 && !lb; t += 10) {
      sim.advance(10)
      const ip = svcOf(sim, 'web-lb').status.loadBalancer.ingress?.[0]?.ip
      if (ip && !sim.kubeProxyRules(clientNode)!.includes(ip)) lb = ip
    }
    expect(lb).toBeDefined()
    const r = sim.connect('default/client', `${lb}:80`)
    expect(r.hops.find((h) => h.step === 'loadbalancer')!.note).toMatch(/^The cloud load balancer at 203\.0\.113\.\d+ picks /)
    if (r.ok) expect(webPods(sim).map((p) => `default/${p.metadata.name}`)).toContain(r.pod)
    else expect(r.reason).toMatch(/^connection timed out: no rule on \S+ captures load-balancer address/)
  })
})

describe('loadBalancerSourceRanges', () => {
  const cluster = () => {
    const sim = webCluster()
    // The nodes' own network is in a range, as is part of the documentation network the Internet clients come from.
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', loadBalancerSourceRanges: ['172.18.0.0/16', '198.51.100.0/25'], selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    return { sim, vip: svcOf(sim, 'lb').status.loadBalancer.ingress![0]!.ip }
  }

  it('accepts clients inside a range and drops the others in KUBE-PROXY-FIREWALL', () => {
    const { sim, vip } = cluster()
    expect(sim.connect('external', `${vip}:80`, { sourceIP: '198.51.100.23' }).ok).toBe(true)
    const outside = sim.connect('external', `${vip}:80`, { sourceIP: '198.51.100.200' })
    expect(outside.ok).toBe(false)
    expect(outside.reason).toMatch(/^connection timed out: default\/lb traffic not accepted by KUBE-FW-\w+$/)
    expect(outside.hops.at(-1)).toMatchObject({ step: 'drop', chain: 'filter FORWARD > KUBE-PROXY-FIREWALL' })
  })

  it("accepts a node's own request to the VIP that loops back with the VIP as its source (allowFromNode)", () => {
    const { sim, vip } = cluster()
    // Where the VIP is routed locally on the node, the node's request to it leaves with the VIP as source address.
    const j: Journey = { state: sim.state, rng: createRng(7), config: DEFAULT_CONFIG, hops: [], phase: 'request', keepAlive: false, opening: true }
    const arrival = forward(j, 'worker-1', 'OUTPUT', { proto: 'tcp', src: vip, sport: 40000, dst: vip, dport: 80 })
    expect(arrival.ok).toBe(true)
    const fw = j.hops.find((h) => h.step === 'netfilter' && h.chain?.startsWith('nat OUTPUT'))!
    expect(fw.chain).toMatch(/^nat OUTPUT > KUBE-SERVICES > KUBE-FW-\w+ > KUBE-EXT-\w+ > KUBE-SVC-\w+ > KUBE-SEP-\w+$/)
    expect(fw.evaluated!.find((t) => t.matched && t.chain.startsWith('KUBE-FW-'))!.line).toContain(`-s ${vip} -j KUBE-EXT-`)
  })
})

describe('conntrack and the random pick', () => {
  it('spreads new connections evenly over the endpoints (chi-square, 3000 connections, seed 42)', () => {
    const sim = webCluster()
    const counts = new Map<string, number>()
    for (let i = 0; i < 3000; i++) {
      const r = sim.connect('default/client', `${svcOf(sim, 'web').spec.clusterIP}:80`)
      counts.set(r.pod!, (counts.get(r.pod!) ?? 0) + 1)
    }
    expect(counts.size).toBe(3)
    const chi2 = [...counts.values()].reduce((s, o) => s + (o - 1000) ** 2 / 1000, 0)
    // 2 degrees of freedom: 9.21 is the 99th percentile.
    expect(chi2).toBeLessThan(9.21)
  })

  it('keeps one connection on one pod (keep-alive), and picks again for a new connection', () => {
    const sim = webCluster()
    const first = sim.connect('default/client', 'web:80', { keepAlive: true })
    const port = Number(first.source!.split(':')[1])
    for (let i = 0; i < 20; i++) {
      const again = sim.connect('default/client', 'web:80', { keepAlive: true, sourcePort: port })
      expect(again.pod).toBe(first.pod)
      const request = again.hops.filter((h) => h.phase === 'request')
      expect(request.some((h) => h.step === 'conntrack')).toBe(true)
      expect(again.rulesEvaluated).toBe(0)
    }
    const picks = new Set(Array.from({ length: 30 }, () => sim.connect('default/client', 'web:80').pod))
    expect(picks.size).toBe(3)
  })

  it('fails a kept-alive connection whose pod went away, while a new connection picks a live pod', () => {
    const sim = webCluster()
    const first = sim.connect('default/client', 'web:80', { keepAlive: true })
    const port = Number(first.source!.split(':')[1])
    sim.delete('pod', 'default', first.pod!.split('/')[1]!)
    sim.settle()
    const stale = sim.connect('default/client', 'web:80', { keepAlive: true, sourcePort: port })
    expect(stale.ok).toBe(false)
    expect(stale.reason).toMatch(/^connection timed out: no pod has 10\.244\.\d+\.\d+/)
    const fresh = sim.connect('default/client', 'web:80')
    expect(fresh.ok).toBe(true)
    expect(fresh.pod).not.toBe(first.pod)
  })

  it('opens a new connection on the tuple of a closed one (still in TIME_WAIT) afresh: the rules are walked again', () => {
    const sim = webCluster()
    const first = sim.connect('default/client', 'web:80')
    const sourcePort = Number(first.source!.split(':')[1])
    const again = sim.connect('default/client', 'web:80', { sourcePort })
    expect(again.rulesEvaluated).toBeGreaterThan(0)
    expect(again.hops.some((h) => h.phase === 'request' && h.step === 'conntrack')).toBe(false)
  })

  it('does not masquerade a packet delivered to the node itself: it goes up to the socket, never out through POSTROUTING', () => {
    const sim = webCluster()
    // A NodePort in front of the API server, a host-network pod of the control plane.
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'kube-system' }, spec: { type: 'NodePort', selector: { component: 'kube-apiserver' }, ports: [{ port: 443, targetPort: 6443, nodePort: 30443 }] } })
    sim.settle()
    const r = sim.connect('external', '172.18.0.2:30443')
    expect(r.ok).toBe(true)
    const delivered = r.hops.find((h) => h.phase === 'request' && h.step === 'deliver')!
    expect(delivered.before).toMatchObject({ src: expect.stringMatching(/^198\.51\.100\.23:/), dst: '172.18.0.2:6443' })
    expect(r.hops.some((h) => h.chain?.includes('POSTROUTING'))).toBe(false)
  })

  it("treats a pod's request to another node's Local NodePort as that node's traffic: flannel masquerades it on the way out", () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'loc' }, spec: { type: 'NodePort', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080, nodePort: 31535 }] } })
    sim.settle()
    const client = sim.get('Pod', 'default', 'client') as Pod
    const clientNode = (sim.list('Node') as Node[]).find((n) => n.metadata.name === client.spec.nodeName)!
    const clientNodeIP = clientNode.status.addresses[0]!.address
    // The control plane runs no web pod: the request arrives from the client's node address, not from the pod
    // network, so it is external traffic there, and a node without a local endpoint drops it (as on a real cluster).
    const dropped = sim.connect('default/client', '172.18.0.2:31535')
    const masq = dropped.hops.find((h) => h.rule?.includes('FLANNEL-POSTRTG') && h.rule.includes('MASQUERADE'))!
    expect(masq).toMatchObject({ at: client.spec.nodeName, chain: 'nat POSTROUTING > FLANNEL-POSTRTG' })
    expect(masq.after.src.split(':')[0]).toBe(clientNodeIP)
    expect(dropped.ok).toBe(false)
    expect(dropped.reason).toBe('connection timed out: default/loc has no local endpoints')
    expect(dropped.hops.at(-1)).toMatchObject({ step: 'drop', at: 'control-plane' })
    // A node with a local endpoint serves it from there, and the pod sees the client's node address.
    const other = webPods(sim).find((p) => p.spec.nodeName !== client.spec.nodeName)!
    const otherIP = (sim.list('Node') as Node[]).find((n) => n.metadata.name === other.spec.nodeName)!.status.addresses[0]!.address
    const served = sim.connect('default/client', `${otherIP}:31535`)
    expect(served.ok, served.reason).toBe(true)
    expect((sim.get('Pod', 'default', served.pod!.split('/')[1]!) as Pod).spec.nodeName).toBe(other.spec.nodeName)
    expect(served.hops.find((h) => h.phase === 'request' && h.step === 'deliver')!.before.src.split(':')[0]).toBe(clientNodeIP)
    expect(served.hops.filter((h) => h.phase === 'reply').at(-1)!.after).toMatchObject({ src: `${otherIP}:31535`, dst: expect.stringMatching(/^10\.244\./) })
  })

  it('masquerades pod traffic that leaves the pod network to the node (flannel), but not traffic between pods', () => {
    const sim = webCluster()
    const client = sim.get('Pod', 'default', 'client') as Pod
    const nodeIP = (sim.list('Node') as Node[]).find((n) => n.metadata.name === client.spec.nodeName)!.status.addresses[0]!.address
    const out = sim.connect('default/client', 'example.com:443')
    expect(out.ok).toBe(true)
    const masq = out.hops.find((h) => h.chain === 'nat POSTROUTING > FLANNEL-POSTRTG')!
    expect(masq.rule).toBe('-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully')
    expect(masq.before.src).toBe(out.source)
    expect(masq.after.src).toMatch(new RegExp(`^${nodeIP.replaceAll('.', '\\.')}:\\d+$`))
    expect(out.hops.find((h) => h.note.startsWith('Leaves the cluster'))!.before.src).toBe(masq.after.src)
    // The reply is un-masqueraded on the way back: the client sees its own address again.
    expect(out.hops.filter((h) => h.phase === 'reply').at(-1)!.after.dst).toBe(out.source)
    // Pod to pod (a Service's endpoint on another node) keeps the pod's address: flannel's RETURN rules.
    const inside = sim.connect('default/client', 'web:80')
    expect(inside.hops.some((h) => h.rule?.includes('MASQUERADE'))).toBe(false)
    expect(inside.hops.find((h) => h.phase === 'request' && h.step === 'deliver')!.before.src).toBe(inside.source)
  })

  it("answers a Local load balancer's health check port on every node: 200 where a ready endpoint is, 503 elsewhere", () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    const hc = (sim.get('Service', 'default', 'lb') as Service).spec.healthCheckNodePort!
    const note = (ip: string) => sim.connect('external', `${ip}:${hc}`).hops.find((h) => h.step === 'deliver')!.note
    expect(note('172.18.0.2')).toMatch(/answers GET \/healthz with 503 Service Unavailable \{"service":\{"namespace":"default","name":"lb"\},"localEndpoints":0,"serviceProxyHealthy":true\}/)
    expect(note('172.18.0.3')).toMatch(/with 200 OK \{"service":\{"namespace":"default","name":"lb"\},"localEndpoints":[1-9]/)
  })

  it('never opens a new connection on a tuple conntrack still holds: 300 requests, each rolls the dice', () => {
    const sim = webCluster()
    for (let i = 0; i < 300; i++) {
      const r = sim.connect('default/client', 'web:80')
      expect(r.hops.filter((h) => h.phase === 'request' && h.step === 'conntrack')).toEqual([])
      expect(r.hops.some((h) => h.phase === 'request' && h.rule?.includes('DNAT'))).toBe(true)
      sim.advance(100)
    }
  })

  it('sticks every connection of one client to one pod with ClientIP affinity', () => {
    const sim = webCluster()
    sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'sticky' }, spec: { sessionAffinity: 'ClientIP', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    sim.settle()
    const picks = new Set(Array.from({ length: 30 }, () => sim.connect('default/client', 'sticky:80').pod))
    expect(picks.size).toBe(1)
    const recent = [...sim.connect('default/client', 'sticky:80').hops].find((h) => h.phase === 'request' && h.rule?.includes('--set'))
    expect(recent?.rule).toMatch(/-m recent --name KUBE-SEP-\w+ --set -m tcp -p tcp -j DNAT/)
  })

  it('walks more rules for a new connection the more Services there are (iptables is a list)', () => {
    const sim = createSimulation({ seed: 1, workers: 2 })
    sim.apply([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
      ...Array.from({ length: 40 }, (_, i) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `svc-${String(i).padStart(2, '0')}` }, spec: { ports: [{ port: 80 }] } })),
    ])
    sim.settle()
    const few = sim.connect('default/client', `${(sim.get('Service', 'default', 'svc-00')!.spec as { clusterIP: string }).clusterIP}:80`)
    const many = sim.connect('default/client', `${(sim.get('Service', 'default', 'svc-39')!.spec as { clusterIP: string }).clusterIP}:80`)
    expect(many.rulesEvaluated).toBeGreaterThan(few.rulesEvaluated + 30)
  })
})
