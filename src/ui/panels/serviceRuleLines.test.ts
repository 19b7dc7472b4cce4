import { describe, expect, it } from 'vitest'
import { createSimulation } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { serviceRuleLines } from './serviceRuleLines'

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
