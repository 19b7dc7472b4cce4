import { Map as IMap } from 'immutable'
import { describe, expect, it } from 'vitest'
import { ipvsSchedule, countPacket } from '../dataplane/ipvs'
import { virtualServerKey, type IpvsNode, type IpvsServiceState } from '../model/ipvs'
import { expectGolden } from '../testing/golden'
import { ipvsOf, withServices } from '../testing/ipvsScenarios'
import { webCluster } from '../testing/scenarios'
import { canonicalIptablesSave } from './iptablesSave'
import { ipsetCommand, ipvsadmCommand, kubeIpvs0Text, persistenceTemplates, type IpvsConnection } from './ipvsTools'

/**
 * ipvsadm (v1.31) and kube-ipvs0 as a node in IPVS mode shows them. ipvsadm cannot run here (no ip_vs module), so its
 * goldens are read against its format strings (ipvsadm.c) rather than a live run; ipset's are checked live in
 * ipvsOracle.test.ts.
 */

const GOLDEN = `${__dirname}/__golden__`
const web = ipvsOf(webCluster(), 'worker-1')
const services = ipvsOf(withServices(webCluster()), 'worker-1')

/** A few connections through every virtual server that has real servers, as the dataplane would count them. */
function traffic(n: IpvsNode): { stats: IMap<string, IpvsServiceState>; connections: IpvsConnection[] } {
  let stats = IMap<string, IpvsServiceState>()
  const connections: IpvsConnection[] = []
  n.virtualServers.forEach((vs, i) => {
    for (let c = 0; c < 3; c++) {
      const client = `10.244.2.${10 + c}`
      const pick = ipvsSchedule(vs, stats.get(virtualServerKey(vs)), client, 1000 * c)
      if (!pick) continue
      const st = countPacket(countPacket(pick.state, pick.real, 'in', 74 + 1000 * i), pick.real, 'out', 1500 * (c + 1))
      stats = stats.set(virtualServerKey(vs), st)
      const proto = vs.protocol.toLowerCase() as IpvsConnection['proto']
      connections.push({ proto, src: client, sport: 40000 + c, vip: vs.ip, vport: vs.port, dst: pick.real.ip, dport: pick.real.port, expiresInS: 895 - c * 301, state: proto === 'udp' ? 'UDP' : c === 2 ? 'TIME_WAIT' : 'ESTABLISHED' })
    }
  })
  return { stats, connections }
}

/** `$ ipvsadm ARGS`, then what it printed, as a terminal shows it. */
function transcript(n: IpvsNode | undefined, commands: readonly string[], t = traffic(n ?? web)): string {
  return commands.map((c) => {
    const r = ipvsadmCommand(n, t.stats, t.connections, c === '' ? [] : c.split(' '))
    return `$ ipvsadm ${c}\n${r.stdout}${r.stderr.split('\n').filter(Boolean).map((l) => `2> ${l}\n`).join('')}[exit ${r.exitCode}]\n`
  }).join('\n')
}

describe('ipvsadm on a node in IPVS mode', () => {
  it('lists the web cluster\'s virtual servers as ipvsadm -Ln does', () => {
    expectGolden(`${GOLDEN}/ipvsadm-web.txt`, transcript(web, ['-Ln', '-L', '-Ln --stats', '-Ln --rate', '-Lnc', '-Ln -t 10.96.0.10:53', '-Ln -u 10.96.0.10:53', '-Ln -t 10.96.0.10:80', '-Sn', '-L --timeout', '-L --daemon']))
  })

  it('lists every kind of virtual server: NodePorts on each node address, load balancers, persistence', () => {
    expectGolden(`${GOLDEN}/ipvsadm-services.txt`, transcript(services, ['-Ln', '-Ln --persistent-conn', '-Ln --thresholds', '-Ln --nosort', '-Ln --stats --exact', '', '-Lnc']))
  })

  it('answers as ipvsadm does to what it refuses', () => {
    expectGolden(`${GOLDEN}/ipvsadm-errors.txt`, transcript(web, ['-n', '--foo', '-Ln --foo', '-Lnq', '-L -L', '-L -n -n', '-L -s rr', '-Lc --stats', '-L -c -t 10.96.0.1:443', '-L -t nowhere', '-L extra', '-A -t 10.96.0.1:443', '-v']))
  })

  it('shows an empty table where kube-proxy does not use IPVS', () => {
    expect(ipvsadmCommand(undefined, new Map(), [], ['-Ln'])).toEqual({ exitCode: 0, stdout: 'IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n', stderr: '' })
    expect(ipsetCommand(undefined, ['list'])).toEqual({ exitCode: 0, stdout: '', stderr: '' })
  })

  it('sorts virtual servers as ipvs_cmp_services does: an address difference past 2^31 wraps, so 172.18.0.3 lists before 10.96.0.1', () => {
    const lines = ipvsadmCommand(services, new Map(), [], ['-Ln']).stdout.split('\n').filter((l) => /^(TCP|UDP|SCTP) /.test(l))
    expect(lines.slice(0, 3)).toEqual(['TCP  172.18.0.3:30080 rr', 'TCP  172.18.0.3:30216 rr', 'TCP  172.18.0.3:32680 rr'])
    expect(lines.indexOf('TCP  10.96.0.1:443 rr')).toBeGreaterThan(lines.indexOf('TCP  192.0.2.8:80 rr'))
  })

  it('lists the persistence templates of ClientIP services with -c (client port 0, state NONE)', () => {
    const sticky = services.virtualServers.find((vs) => vs.persistent && vs.realServers.length > 0)!
    const pick = ipvsSchedule(sticky, undefined, '10.244.2.10', 0)!
    const templates = persistenceTemplates(services, new Map([[virtualServerKey(sticky), pick.state]]), 1000)
    expect(templates).toEqual([{ proto: 'tcp', src: '10.244.2.10', sport: 0, vip: sticky.ip, vport: sticky.port, dst: pick.real.ip, dport: pick.real.port, expiresInS: 10799, state: 'NONE' }])
    expect(ipvsadmCommand(services, new Map(), templates, ['-Lnc']).stdout.split('\n')[2]).toBe(`TCP 179:59 NONE        10.244.2.10:0      ${`${sticky.ip}:${sticky.port}`.padEnd(18)} ${pick.real.ip}:${pick.real.port}`)
  })
})

describe('kube-ipvs0', () => {
  it('holds every bound Service address as a /32, as `ip addr` prints the dummy interface', () => {
    expectGolden(`${GOLDEN}/kube-ipvs0-services.txt`, kubeIpvs0Text(services, 5))
    expect(kubeIpvs0Text(web, 5).split('\n').slice(0, 3)).toEqual([
      '5: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default qlen 1000',
      expect.stringMatching(/^ {4}link\/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff$/),
      `    inet ${web.dummyAddresses[0]}/32 scope global kube-ipvs0`,
    ])
  })
})

describe('the ipvs match kube-proxy writes in KUBE-IPVS-OUT-FILTER', () => {
  it('saves as libxt_ipvs does: protocol as a number, options in bit order, a host address without /32', () => {
    const restore = '*filter\n:KUBE-IPVS-OUT-FILTER - [0:0]\n-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4 -m ipvs --vaddr 1.2.3.4 --vproto tcp --vport 80 -j DROP\nCOMMIT\n'
    expect(canonicalIptablesSave(restore, 'X').split('\n')).toContain('-A KUBE-IPVS-OUT-FILTER -s 1.2.3.4/32 -m ipvs --vproto 6 --vaddr 1.2.3.4 --vport 80 -j DROP')
  })
})
