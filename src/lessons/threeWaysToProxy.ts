import type { Pod, ProxyMode, Service, Simulation } from '../sim'
import { did, service } from './facts'
import { webWithService } from './startingClusters'
import type { Lesson } from './types'

const clientNode = (sim: Simulation) => (sim.get('Pod', 'default', 'client') as Pod | undefined)?.spec.nodeName ?? 'worker-1'
const tool = (sim: Simulation, line: string) => sim.run(line, { node: clientNode(sim) }).stdout
const web = (sim: Simulation): Service | undefined => service(sim, 'web')

/** Every node's kube-proxy has synced in `mode` and programmed web in it. */
function runsIn(sim: Simulation, mode: ProxyMode): boolean {
  const ip = web(sim)?.spec.clusterIP
  if (sim.proxyMode !== mode || !ip) return false
  return sim.list('Node').every((n) => {
    const rules = sim.proxyRules(n.metadata.name)
    if (rules?.mode !== mode) return false
    if (rules.mode === 'ipvs') return rules.ipvs.virtualServers.some((v) => v.ip === ip && v.realServers.length > 0)
    if (rules.mode === 'nftables') return rules.nftables.sets.some((s) => s.name === 'service-ips' && s.elements.some((e) => e.key[0] === ip))
    return (sim.iptablesSave(n.metadata.name) ?? '').includes(`-d ${ip}/32`)
  })
}

/** The lines of a listing that mention web's ClusterIP, or its name: what to look at. */
const aboutWeb = (sim: Simulation, text: string) => {
  const ip = web(sim)?.spec.clusterIP ?? '-'
  return text.split('\n').filter((l) => l.includes(ip) || l.includes('default/web')).join('\n')
}

/** The IPVS block of web's virtual server in `ipvsadm -Ln`: its line and its real servers. */
function webVirtualServer(sim: Simulation, text: string): string {
  const ip = web(sim)?.spec.clusterIP ?? '-'
  const lines = text.split('\n')
  const at = lines.findIndex((l) => l.includes(`${ip}:80 `))
  if (at < 0) return text
  const end = lines.findIndex((l, i) => i > at && !l.startsWith('  ->'))
  return [...lines.slice(0, 3), ...lines.slice(at, end < 0 ? undefined : end)].join('\n')
}

/** Lesson 7: the same Service through kube-proxy's three modes: a list of rules, a hash with round robin, a map. */
export const threeWaysToProxy: Lesson = {
  id: 'proxy-modes',
  title: 'Three ways to proxy: iptables, IPVS, nftables',
  summary: 'kube-proxy can program the kernel three ways. Send the same request through each and see what the kernel consults.',
  start: { seed: 7, workers: 2, manifest: webWithService() },
  steps: [
    {
      title: 'iptables: a list, walked in order',
      narration: ({ sim }) => [
        `kube-proxy starts in iptables mode. For every Service port it adds a rule to KUBE-SERVICES, and the first packet of a connection is tested against them one by one until one matches its ClusterIP and port. ${clientNode(sim)} holds ${sim.ruleCount(clientNode(sim)) ?? 0} of kube-proxy's rules.`,
        'Send a request from the client to web and open its first hop on the client\'s node: the walk lists every rule tested. With a few Services that is short; with thousands it is thousands.',
      ],
      action: () => [{ type: 'connect', from: 'default/client', target: 'web:80' }],
      done: (ctx) => did(ctx, 'connect').length > 0,
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'service', name: 'default/web' }],
      exhibit: ({ sim }) => ({ title: `root@${clientNode(sim)}:/# iptables-save -t nat | grep default/web`, text: aboutWeb(sim, sim.iptablesSave(clientNode(sim)) ?? '') }),
    },
    {
      title: 'Switch kube-proxy to IPVS',
      narration: ({ sim }) => [
        'An operator sets mode: ipvs in kube-proxy\'s ConfigMap and restarts it. On every node the new kube-proxy removes the iptables rules the old one wrote, then programs IPVS, the kernel\'s layer-4 load balancer: one virtual server per Service address and port, each with the ready Pods as real servers.',
        runsIn(sim, 'ipvs') ? 'Every node now runs kube-proxy in IPVS mode.' : 'Choose IPVS in the kube-proxy mode setting, or Do it for me, and wait for the nodes to resync.',
      ],
      action: () => [{ type: 'setProxyMode', mode: 'ipvs' }],
      done: ({ sim }) => runsIn(sim, 'ipvs'),
      highlight: () => [{ kind: 'node', name: 'worker-1' }, { kind: 'node', name: 'worker-2' }],
      exhibit: ({ sim }) => (runsIn(sim, 'ipvs') ? { title: `root@${clientNode(sim)}:/# ipvsadm -Ln`, text: webVirtualServer(sim, tool(sim, 'ipvsadm -Ln')) } : undefined),
      hint: 'Set "kube-proxy mode" to IPVS.',
    },
    {
      title: 'The ClusterIP is on an interface now',
      narration: () => [
        'In IPVS mode every ClusterIP is bound to a dummy interface, kube-ipvs0, so the node treats it as its own address. A packet to it goes up to INPUT, where IPVS catches it, looks its address and port up in a hash (one step, however many Services), and forwards it to a real server.',
        'A few iptables rules remain, matching ipsets (KUBE-CLUSTER-IP holds every ClusterIP,protocol:port) only to mark packets for masquerading.',
      ],
      done: () => true,
      highlight: () => [{ kind: 'node', name: 'worker-1' }],
      exhibit: ({ sim }) => ({ title: `root@${clientNode(sim)}:/# ip addr show kube-ipvs0`, text: tool(sim, 'ip addr show kube-ipvs0') }),
    },
    {
      title: 'Round robin, not random',
      narration: ({ sim }) => [
        'IPVS balances with the rr scheduler by default: each new connection goes to the next real server in turn (per node, per virtual server). iptables and nftables choose at random. Send six requests and watch them go A, B, C, A, B, C.',
        `The counters show it: ${aboutWeb(sim, tool(sim, 'ipvsadm -Ln --stats')).split('\n')[0]?.trim() || 'no connections yet'}.`,
      ],
      action: () => Array.from({ length: 6 }, () => ({ type: 'connect' as const, from: 'default/client', target: 'web:80' })),
      done: (ctx) => did(ctx, 'connect').length >= 6,
      highlight: () => [{ kind: 'pod', prefix: 'default/web-' }],
      exhibit: ({ sim }) => ({ title: `root@${clientNode(sim)}:/# ipvsadm -Ln --stats`, text: webVirtualServer(sim, tool(sim, 'ipvsadm -Ln --stats')) }),
    },
    {
      title: 'Switch to nftables',
      narration: ({ sim }) => [
        'nftables mode (GA in Kubernetes 1.33) writes one table, ip kube-proxy. Its service-ips map goes from ClusterIP . protocol . port straight to the Service\'s chain, so the kernel looks the Service up in one step, as IPVS does, but keeps iptables\' random choice.',
        runsIn(sim, 'nftables') ? 'Every node now runs kube-proxy in nftables mode.' : 'Choose nftables in the kube-proxy mode setting, or Do it for me.',
      ],
      action: () => [{ type: 'setProxyMode', mode: 'nftables' }],
      done: ({ sim }) => runsIn(sim, 'nftables'),
      highlight: () => [{ kind: 'node', name: 'worker-1' }, { kind: 'node', name: 'worker-2' }],
      exhibit: ({ sim }) => (runsIn(sim, 'nftables') ? { title: `root@${clientNode(sim)}:/# nft list map ip kube-proxy service-ips`, text: tool(sim, 'nft list map ip kube-proxy service-ips') } : undefined),
      hint: 'Set "kube-proxy mode" to nftables.',
    },
    {
      title: 'One map lookup, then numgen',
      narration: () => [
        'Send the request again and open its hop: the packet is looked up in service-ips, jumps to web\'s service chain, where numgen random mod N picks an endpoint chain, which DNATs to the Pod. The reply is un-DNAT-ed by conntrack as in every mode.',
      ],
      action: () => [{ type: 'connect', from: 'default/client', target: 'web:80' }],
      done: (ctx) => did(ctx, 'connect').length > 0,
      highlight: () => [{ kind: 'service', name: 'default/web' }],
      exhibit: ({ sim }) => {
        const chain = /chain (service-\w+-default\/web\/tcp\/http) \{/.exec(tool(sim, 'nft list ruleset'))?.[1]
        return chain ? { title: `root@${clientNode(sim)}:/# nft list chain ip kube-proxy ${chain}`, text: tool(sim, `nft list chain ip kube-proxy ${chain}`) } : undefined
      },
    },
  ],
  tasks: [
    {
      title: 'Put the cluster back in iptables mode',
      hint: 'Switch kube-proxy back to iptables and wait until the nodes resync.',
      check: ({ sim }) => (sim.proxyMode !== 'iptables' ? undefined : runsIn(sim, 'iptables') ? { ok: true, feedback: 'kube-proxy runs in iptables mode again on every node: KUBE-SERVICES is back.' } : { ok: false, feedback: 'The mode is iptables, but not every node has resynced yet: move the clock on.' }),
    },
  ],
}
