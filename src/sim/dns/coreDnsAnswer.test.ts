import { describe, expect, it } from 'vitest'
import type { ResolveResult } from '../commands/resolve'
import { expectGolden } from '../testing/golden'
import { webCluster } from '../testing/scenarios'
import type { QueryType } from './coreDnsAnswer'

const golden = (name: string, text: string) => expectGolden(`${__dirname}/__golden__/${name}`, text)

/** The parts of `dig` output that do not change from run to run: status, question, answer and authority sections. */
function dig(qname: string, qtype: QueryType, r: ResolveResult): string {
  const rr = (list: ResolveResult['answers']) => list.map((a) => `${a.name}\t${a.ttl}\tIN\t${a.type}\t${a.data}`)
  const out = [`;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}`, ';; QUESTION SECTION:', `;${qname}\t\tIN\t${qtype}`]
  if (r.answers.length) out.push('', ';; ANSWER SECTION:', ...rr(r.answers))
  if (r.authority.length) out.push('', ';; AUTHORITY SECTION:', ...rr(r.authority))
  return `${out.join('\n')}\n`
}

/** The web scenario (3 pods listening on 8080) with a headless Service whose port 80 targets the pods' 8080. */
function cluster() {
  const sim = webCluster()
  sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-headless' }, spec: { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } })
  sim.settle()
  const ask = (qname: string, qtype: QueryType) => dig(qname, qtype, sim.resolve('default/client', qname, qtype))
  return { sim, ask }
}

describe('CoreDNS answers as its kubernetes plugin does (dig, from the client pod)', () => {
  it("gives a headless Service's SRV records the endpoint's port, the target port from the EndpointSlice (golden)", () => {
    const { sim, ask } = cluster()
    const named = sim.resolve('default/client', '_http._tcp.web-headless.default.svc.cluster.local.', 'SRV')
    expect(named.answers.map((a) => a.data.split(' ')[2])).toEqual(['8080', '8080', '8080'])
    const bare = sim.resolve('default/client', 'web-headless.default.svc.cluster.local.', 'SRV')
    expect(bare.answers.map((a) => a.data.split(' ')[2])).toEqual(['8080', '8080', '8080'])
    // Behind a ClusterIP the Service's own port is the one clients use.
    expect(sim.resolve('default/client', '_http._tcp.web.default.svc.cluster.local.', 'SRV').answers.map((a) => a.data)).toEqual(['0 100 80 web.default.svc.cluster.local.'])
    // A port name the endpoints do not have is no name at all.
    expect(sim.resolve('default/client', '_https._tcp.web-headless.default.svc.cluster.local.', 'SRV').rcode).toBe('NXDOMAIN')
    golden('headless-srv.txt', [ask('_http._tcp.web-headless.default.svc.cluster.local.', 'SRV'), ask('web-headless.default.svc.cluster.local.', 'SRV')].join('\n'))
  })

  it('answers in the case the client sent, looking the name up case-insensitively (golden)', () => {
    const { sim, ask } = cluster()
    const ip = (sim.get('Service', 'default', 'web')!.spec as { clusterIP: string }).clusterIP
    const a = sim.resolve('default/client', 'WeB.DeFaUlT.sVc.ClUsTeR.lOcAl.', 'A')
    expect(a.answers).toEqual([{ name: 'WeB.DeFaUlT.sVc.ClUsTeR.lOcAl.', type: 'A', ttl: 30, data: ip }])
    // The search list appends its (lower-case) suffixes to the name as typed.
    expect(sim.resolve('default/client', 'WEB', 'A').answers[0]!.name).toBe('WEB.default.svc.cluster.local.')
    // Names the plugin builds are the objects' (lower case) in the zone as the query spelled it.
    const srv = sim.resolve('default/client', '_HtTp._TcP.wEb.DeFaUlT.sVc.cLuStEr.LoCaL.', 'SRV')
    expect(srv.answers).toEqual([{ name: '_HtTp._TcP.wEb.DeFaUlT.sVc.cLuStEr.LoCaL.', type: 'SRV', ttl: 30, data: '0 100 80 web.default.svc.cLuStEr.LoCaL.' }])
    const nx = sim.resolve('default/client', 'not-a-service.default.svc.ClUsTeR.lOcAl.', 'A')
    expect(nx.authority[0]!.name).toBe('ClUsTeR.lOcAl.')
    expect(nx.authority[0]!.data).toMatch(/^ns\.dns\.ClUsTeR\.lOcAl\. hostmaster\.ClUsTeR\.lOcAl\. \d+ 7200 1800 86400 30$/)
    golden('preserve-case.txt', [
      ask('WeB.DeFaUlT.sVc.ClUsTeR.lOcAl.', 'A'),
      ask('_HtTp._TcP.wEb-HeAdLeSs.DeFaUlT.sVc.cLuStEr.LoCaL.', 'SRV'),
      ask('not-a-service.default.svc.ClUsTeR.lOcAl.', 'A').replace(/ \d{10} /, ' SERIAL '),
    ].join('\n'))
  })

  it('answers dns-version.cluster.local. TXT with the schema version, and no other TXT (golden)', () => {
    const { sim, ask } = cluster()
    expect(sim.resolve('default/client', 'dns-version.cluster.local.', 'TXT').answers).toEqual([{ name: 'dns-version.cluster.local.', type: 'TXT', ttl: 28800, data: '"1.1.0"' }])
    // A name that exists has no TXT record (NODATA); one that does not is NXDOMAIN; dns-version has no address.
    const nodata = sim.resolve('default/client', 'web.default.svc.cluster.local.', 'TXT')
    expect([nodata.rcode, nodata.answers.length, nodata.authority[0]!.type]).toEqual(['NOERROR', 0, 'SOA'])
    expect(sim.resolve('default/client', 'nope.default.svc.cluster.local.', 'TXT').rcode).toBe('NXDOMAIN')
    expect(sim.resolve('default/client', 'dns-version.cluster.local.', 'A').rcode).toBe('NXDOMAIN')
    golden('dns-version.txt', ask('dns-version.cluster.local.', 'TXT'))
  })
})
