import { describe, expect, it } from 'vitest'
import { createSimulation, nftablesTransaction, type Service } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { serviceMatch, serviceRuleLines, type RuleTextKind } from './serviceRuleLines'

function rulesWith(extra = '') {
  const sim = createSimulation({ seed: 3, workers: 2 })
  sim.apply(webScenario() + extra)
  sim.settle()
  return sim.kubeProxyRules('worker-1')!.split('\n')
}

describe("highlighting a Service's rules in iptables-save", () => {
  it('finds its KUBE-SERVICES entry, its KUBE-SVC chain and one KUBE-SEP chain per endpoint, declarations included', () => {
    const lines = rulesWith()
    const picked = [...serviceRuleLines(lines, 'default/web')].map((i) => lines[i]!)
    expect(picked.filter((l) => l.startsWith('-A KUBE-SERVICES'))).toHaveLength(1)
    expect(picked.filter((l) => l.startsWith(':KUBE-SVC-'))).toHaveLength(1)
    expect(picked.filter((l) => l.startsWith(':KUBE-SEP-'))).toHaveLength(3)
    expect(picked.filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('DNAT'))).toHaveLength(3)
    expect(picked.filter((l) => l.startsWith('-A KUBE-SVC-'))).toHaveLength(4)
    expect(picked.some((l) => l.includes('kube-dns'))).toBe(false)
  })

  it('does not take a Service whose name merely starts with the same letters', () => {
    const web2 = `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web2\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 81\n    targetPort: 8080\n`
    const lines = rulesWith(web2)
    const web = [...serviceRuleLines(lines, 'default/web')].map((i) => lines[i]!)
    const other = [...serviceRuleLines(lines, 'default/web2')].map((i) => lines[i]!)
    expect(web.some((l) => l.includes('default/web2'))).toBe(false)
    expect(other.length).toBeGreaterThan(0)
    expect(other.every((l) => !l.includes('default/web:http'))).toBe(true)
    expect(web.filter((l) => other.includes(l) && !l.startsWith(':'))).toEqual([])
  })

  it('follows the chains when the endpoint rules carry no comment (over 1000 endpoints in all)', () => {
    const lines = ['-A KUBE-SERVICES -m comment --comment "ns/big:p cluster IP" -d 10.96.5.5 --dport 80 -j KUBE-SVC-AAAA', '-A KUBE-SVC-AAAA -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-BBBB', '-A KUBE-SVC-AAAA -j KUBE-SEP-CCCC', '-A KUBE-SEP-BBBB -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:80', '-A KUBE-SEP-CCCC -m tcp -p tcp -j DNAT --to-destination 10.244.1.6:80', '-A KUBE-SEP-DDDD -m tcp -p tcp -j DNAT --to-destination 10.244.1.7:80']
    expect([...serviceRuleLines(lines, 'ns/big')].sort()).toEqual([0, 1, 2, 3, 4])
  })
})

/** The web cluster in a mode, settled, with web-np (a NodePort) beside web: what each node tool prints on worker-1. */
function cluster(proxyMode: 'ipvs' | 'nftables') {
  const sim = createSimulation({ seed: 3, workers: 2, proxyMode })
  sim.apply(webScenario() + `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web-np\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n    nodePort: 30080\n`)
  sim.settle()
  const out = (line: string) => sim.run(line, { node: 'worker-1' }).stdout.split('\n')
  const match = (name: string) => serviceMatch(sim.get('Service', name === 'kube-dns' ? 'kube-system' : 'default', name) as Service)
  const picked = (lines: string[], name: string, kind: RuleTextKind) => [...serviceRuleLines(lines, match(name), kind)].sort((a, b) => a - b).map((i) => lines[i]!)
  return { sim, out, match, picked, ip: (name: string) => match(name).ips![0]! }
}

describe("highlighting a Service's lines in IPVS mode's tools", () => {
  const { out, picked, ip } = cluster('ipvs')

  it('ipvsadm -Ln: its virtual server and the three real servers under it, not the next virtual server', () => {
    const lines = out('ipvsadm -Ln')
    const web = picked(lines, 'web', 'ipvsadm')
    expect(web[0]).toMatch(new RegExp(`^TCP\\s+${ip('web').replace(/\./g, '\\.')}:80 rr`))
    expect(web.filter((l) => /^\s+->\s+10\.244\./.test(l))).toHaveLength(3)
    expect(web.filter((l) => /^(TCP|UDP)/.test(l))).toHaveLength(1)
    expect(web.some((l) => l.includes(ip('kube-dns')))).toBe(false)
  })

  it('ipvsadm -Ln: a NodePort Service has its ClusterIP and a virtual server per node address on its NodePort', () => {
    const np = picked(out('ipvsadm -Ln'), 'web-np', 'ipvsadm')
    const servers = np.filter((l) => /^TCP/.test(l))
    expect(servers.some((l) => l.includes(`${ip('web-np')}:80 `))).toBe(true)
    expect(servers.filter((l) => l.includes(':30080 ')).length).toBeGreaterThan(0)
    expect(np.some((l) => l.includes(`${ip('web')}:`))).toBe(false)
  })

  it('ipvsadm -Ln --stats reads the same way', () => {
    const web = picked(out('ipvsadm -Ln --stats'), 'web', 'ipvsadm')
    expect(web.filter((l) => /^\s+->\s+10\.244\./.test(l))).toHaveLength(3)
  })

  it('ipset list: its ClusterIP member in KUBE-CLUSTER-IP, its NodePort in the NodePort set', () => {
    const lines = out('ipset list')
    // In KUBE-CLUSTER-IP with its port, in KUBE-IPVS-IPS alone.
    expect(picked(lines, 'web', 'ipset')).toEqual([`${ip('web')},tcp:80`, ip('web')])
    const np = picked(lines, 'web-np', 'ipset')
    expect(np).toContain(`${ip('web-np')},tcp:80`)
    expect(np.some((l) => /^(tcp:)?30080$/.test(l.trim()))).toBe(true)
  })

  it('ip addr show kube-ipvs0: its ClusterIP bound there, and the lifetime line under it', () => {
    const web = picked(out('ip addr show kube-ipvs0'), 'web', 'ip-addr')
    expect(web).toHaveLength(2)
    expect(web[0]).toContain(`inet ${ip('web')}/32`)
    expect(web[1]).toMatch(/valid_lft/)
  })
})

describe("highlighting a Service's lines in nftables mode", () => {
  const { sim, out, picked, ip } = cluster('nftables')

  it('nft list ruleset: its map element, its service chain and one endpoint chain per pod, each whole', () => {
    const web = picked(out('nft list ruleset'), 'web', 'nft')
    expect(web.some((l) => l.includes(`${ip('web')} . tcp . 80`) && l.includes('goto service-'))).toBe(true)
    expect(web.filter((l) => /^\s*chain service-\w+-default\/web\//.test(l))).toHaveLength(1)
    expect(web.filter((l) => /^\s*chain endpoint-\w+-default\/web\//.test(l))).toHaveLength(3)
    expect(web.filter((l) => /dnat to 10\.244\./.test(l))).toHaveLength(3)
    expect(web.some((l) => l.includes('default/web-np/'))).toBe(false)
    expect(web.some((l) => l.includes('kube-dns'))).toBe(false)
  })

  it("kube-proxy's transaction: the lines that add its chains, rules and elements", () => {
    const rules = sim.proxyRules('worker-1')
    if (rules?.mode !== 'nftables') throw new Error('not in nftables mode')
    const lines = nftablesTransaction(rules.nftables).split('\n')
    const web = picked(lines, 'web', 'nft')
    expect(web.some((l) => /^add chain ip kube-proxy service-\w+-default\/web\//.test(l))).toBe(true)
    expect(web.some((l) => /^add element ip kube-proxy service-ips \{ /.test(l) && l.includes(ip('web')))).toBe(true)
    expect(web.every((l) => !l.includes('default/web-np/'))).toBe(true)
  })
})

describe('addresses are whole', () => {
  it('10.96.0.1 is not 10.96.0.10, in any tool', () => {
    const m = { name: 'default/kubernetes', ips: ['10.96.0.1'], ports: [443] }
    const ipvs = ['TCP  10.96.0.1:443 rr', '  -> 172.18.0.2:6443  Masq 1 0 0', 'TCP  10.96.0.10:53 rr', '  -> 10.244.0.2:53  Masq 1 0 0']
    expect([...serviceRuleLines(ipvs, m, 'ipvsadm')]).toEqual([0, 1])
    const addr = ['    inet 10.96.0.10/32 scope global kube-ipvs0', '       valid_lft forever preferred_lft forever', '    inet 10.96.0.1/32 scope global kube-ipvs0', '       valid_lft forever preferred_lft forever']
    expect([...serviceRuleLines(addr, m, 'ip-addr')]).toEqual([2, 3])
    const nft = ['		elements = { 10.96.0.10 . tcp . 53 : goto service-AAAA-kube-system/kube-dns/tcp/dns-tcp,', '			     10.96.0.1 . tcp . 443 : goto service-BBBB-default/kubernetes/tcp/https }']
    expect([...serviceRuleLines(nft, m, 'nft')]).toEqual([1])
  })
})
