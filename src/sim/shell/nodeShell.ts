import { fromTimestamp } from '../runtime/time'
import { nodeInternalIP, type Node } from '../model/node'
import type { Pod } from '../model/pod'
import { cat } from './filters'
import { iptablesList } from './iptablesList'
import { interfaceMac, runtimeId } from './netInfo'
import { kill, pidof, pkill, systemctl } from './nodeProcesses'
import { ipsetCommand, ipvsadmCommand, kubeIpvs0Text, type IpvsConnection } from './ipvsTools'
import { nftCommand } from './nftTool'
import { fail, ok, type CommandContext, type RunResult } from './types'

/** go-units HumanDuration, as crictl's CREATED column prints it ("2 minutes ago"). */
export function unitsHumanDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 1) return 'Less than a second'
  if (s === 1) return '1 second'
  if (s < 60) return `${s} seconds`
  const m = Math.floor(s / 60)
  if (m === 1) return 'About a minute'
  if (m < 60) return `${m} minutes`
  const h = Math.round(s / 3600)
  if (h === 1) return 'About an hour'
  if (h < 48) return `${h} hours`
  if (h < 24 * 7 * 2) return `${Math.floor(h / 24)} days`
  if (h < 24 * 30 * 3) return `${Math.floor(h / 24 / 7)} weeks`
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24 / 30)} months`
  return `${Math.floor(h / 24 / 365)} years`
}

/** crictl's tabwriter: minwidth 20, padding 3. */
function crictlTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(20, ...rows.map((r) => r[i]!.length + 3)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('')).join('\n') + '\n'
}

function crictlPs(ctx: CommandContext, node: string, all: boolean): RunResult {
  const pods = ctx.host.list('Pod').filter((p) => (p as Pod).spec.nodeName === node) as Pod[]
  const rows = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD', 'NAMESPACE']]
  const items: { started: number; row: string[] }[] = []
  for (const pod of pods) {
    for (const [i, c] of pod.spec.containers.entries()) {
      const status = pod.status.containerStatuses?.[i]
      const running = status?.state['running'] as { startedAt?: string } | undefined
      if (!running?.startedAt && !all) continue
      const started = running?.startedAt ? fromTimestamp(running.startedAt) : ctx.host.now
      items.push({ started, row: [runtimeId(`${pod.metadata.uid}/${c.name}`).slice(0, 13), runtimeId(c.image).slice(0, 13), `${unitsHumanDuration(ctx.host.now - started)} ago`, running?.startedAt ? 'Running' : 'Created', c.name, String(status?.restartCount ?? 0), runtimeId(pod.metadata.uid ?? pod.metadata.name).slice(0, 13), pod.metadata.name, pod.metadata.namespace ?? 'default'] })
    }
  }
  items.sort((a, b) => b.started - a.started)
  return ok(crictlTable([...rows, ...items.map((i) => i.row)]))
}

/** `conntrack -L` (conntrack-tools 1.4.7): each tracked connection once, the count on stderr. */
function conntrackList(ctx: CommandContext, node: string): RunResult {
  const net = ctx.host.state.net.get(node)
  const now = ctx.host.now
  const lines: { expires: number; text: string }[] = []
  for (const { entry, dir } of net?.conntrack.values() ?? []) {
    if (dir !== 'orig' || entry.expiresAt <= now) continue
    const o = entry.orig
    const r = entry.reply
    const tuple = (h: typeof o) => `src=${h.src} dst=${h.dst} sport=${h.sport} dport=${h.dport}`
    // The kernel reports whole seconds left, rounded down.
    const timeout = Math.floor((entry.expiresAt - now) / 1000)
    const head = o.proto === 'tcp' ? `tcp      6 ${timeout} ${entry.closed ? 'TIME_WAIT' : 'ESTABLISHED'} ` : `udp      17 ${timeout} `
    lines.push({ expires: entry.expiresAt, text: `${head}${tuple(o)} ${tuple(r)} ${o.proto === 'tcp' ? '[ASSURED] ' : ''}mark=0 use=1` })
  }
  lines.sort((a, b) => b.expires - a.expires)
  return { exitCode: 0, stdout: lines.map((l) => `${l.text}\n`).join(''), stderr: `conntrack v1.4.7 (conntrack-tools): ${lines.length} flow entries have been shown.\n` }
}

/** The connections IPVS scheduled on the node, as `ipvsadm -Lnc` lists them (from the conntrack entries it made). */
function ipvsConnections(ctx: CommandContext, node: string): IpvsConnection[] {
  const now = ctx.host.now
  const out: IpvsConnection[] = []
  for (const { entry, dir } of ctx.host.state.net.get(node)?.conntrack.values() ?? []) {
    if (dir !== 'orig' || !entry.ipvs || entry.expiresAt <= now) continue
    const o = entry.orig
    // IPVS's own TCP timeouts (ipvsadm --set): 900 s established, 120 s TIME_WAIT, 300 s UDP.
    const expiresInS = Math.min(Math.floor((entry.expiresAt - now) / 1000), o.proto === 'udp' ? 300 : entry.closed ? 120 : 900)
    out.push({ proto: o.proto, src: o.src, sport: o.sport, vip: o.dst, vport: o.dport, dst: entry.reply.src, dport: entry.reply.sport, expiresInS, state: o.proto === 'udp' ? 'UDP' : entry.closed ? 'TIME_WAIT' : 'ESTABLISHED' })
  }
  return out
}

function nodeIp(ctx: CommandContext, node: Node, args: readonly string[]): RunResult {
  const ip = nodeInternalIP(node)
  const [a, b, c] = node.spec.podCIDR.split('.')
  const sub = args[0] ?? ''
  const gw = ip.replace(/\.\d+$/, '.1')
  if (sub === 'route' || sub === 'r' || sub === 'ro') {
    const others = ctx.host.list('Node').map((n) => (n as Node).spec.podCIDR).filter((cidr) => cidr !== node.spec.podCIDR).sort()
    const routes = [`default via ${gw} dev eth0 `, ...others.map((cidr) => `${cidr} via ${cidr.split('/')[0]} dev flannel.1 onlink `), `${a}.${b}.${c}.0/24 dev cni0 proto kernel scope link src ${a}.${b}.${c}.1 `, `${ip.replace(/\.\d+\.\d+$/, '.0.0')}/16 dev eth0 proto kernel scope link src ${ip} `]
    return ok(routes.sort((x, y) => (x.startsWith('default') ? -1 : y.startsWith('default') ? 1 : x < y ? -1 : 1)).map((r) => `${r}\n`).join(''))
  }
  if (sub === 'addr' || sub === 'a' || sub === 'address') {
    const text = addresses(ctx, node, ip, a!, b!, c!)
    // `ip addr show DEV` (or `ip addr show dev DEV`): that interface's block alone.
    const rest = args.slice(args[1] === 'show' || args[1] === 'list' ? 2 : 1).filter((w) => w !== 'dev')
    if (rest.length === 0) return ok(text)
    const block = text.split(/^(?=\d+: )/m).find((b) => b.startsWith(`${b.split(':')[0]}: ${rest[0]}:`))
    return block ? ok(block) : fail(`Device "${rest[0]}" does not exist.`, 1)
  }
  return fail(`Object "${sub}" is unknown, try "ip help".`, 255)
}

/** `ip addr`: the node's interfaces as iproute2 prints them. */
function addresses(ctx: CommandContext, node: Node, ip: string, a: string, b: string, c: string): string {
  return `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default 
    link/ether ${interfaceMac(ip)} brd ff:ff:ff:ff:ff:ff
    inet ${ip}/16 brd ${ip.replace(/\.\d+\.\d+$/, '.255.255')} scope global eth0
       valid_lft forever preferred_lft forever
3: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default 
    link/ether ${interfaceMac(`${ip}/flannel`)} brd ff:ff:ff:ff:ff:ff
    inet ${a}.${b}.${c}.0/32 scope global flannel.1
       valid_lft forever preferred_lft forever
4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000
    link/ether ${interfaceMac(`${ip}/cni0`)} brd ff:ff:ff:ff:ff:ff
    inet ${a}.${b}.${c}.1/24 brd ${a}.${b}.${c}.255 scope global cni0
       valid_lft forever preferred_lft forever
${ipvs0(ctx, node)}`
}

/** In IPVS mode, the kube-ipvs0 dummy interface kube-proxy made, holding every Service address. */
function ipvs0(ctx: CommandContext, node: Node): string {
  const rules = ctx.host.proxyRules(node.metadata.name)
  return rules?.mode === 'ipvs' ? kubeIpvs0Text(rules.ipvs, 5) : ''
}

/** Runs one command on the node, as root in its shell: the kernel's view of what kube-proxy and flannel wrote, and its processes. */
export function nodeCommand(ctx: CommandContext, nodeName: string, argv: readonly string[], stdin: string): RunResult {
  const node = ctx.host.get('Node', undefined, nodeName) as Node | undefined
  if (!node) return fail(`error: node "${nodeName}" not found`)
  const [cmd, ...args] = argv
  const restore = () => ctx.host.kubeProxyRules(nodeName) ?? ''
  switch (cmd) {
    case 'iptables-save': {
      const table = args[args.indexOf('-t') + 1]
      const text = ctx.host.iptablesSave(nodeName) ?? ''
      if (args.includes('-t') && table) {
        const start = text.indexOf(`*${table}\n`)
        if (start < 0) return ok('')
        const head = text.lastIndexOf('# Generated', start)
        const end = text.indexOf('# Completed', start)
        return ok(text.slice(head, text.indexOf('\n', end) + 1))
      }
      return ok(text)
    }
    case 'iptables':
      return iptablesList(restore(), args)
    case 'conntrack':
      if (args[0] === '-L' || args[0] === '--dump') return conntrackList(ctx, nodeName)
      return fail('conntrack v1.4.7 (conntrack-tools): only -L is simulated here', 2)
    case 'crictl':
      if (args[0] === 'ps') return crictlPs(ctx, nodeName, args.includes('-a'))
      return fail(`crictl: only "crictl ps [-a]" is simulated here`)
    case 'ip':
      return nodeIp(ctx, node, args)
    case 'ipvsadm': {
      const rules = ctx.host.proxyRules(nodeName)
      return ipvsadmCommand(rules?.mode === 'ipvs' ? rules.ipvs : undefined, ctx.host.state.net.get(nodeName)?.ipvs ?? new Map(), ipvsConnections(ctx, nodeName), args)
    }
    case 'ipset': {
      const rules = ctx.host.proxyRules(nodeName)
      return ipsetCommand(rules?.mode === 'ipvs' ? rules.ipvs : undefined, args)
    }
    case 'nft': {
      const rules = ctx.host.proxyRules(nodeName)
      return nftCommand(rules?.mode === 'nftables' ? rules.nftables : undefined, args, stdin, ctx.files)
    }
    case 'hostname':
      return ok(`${nodeName}\n`)
    case 'systemctl':
      return systemctl(ctx, node, args)
    case 'pidof':
      return pidof(ctx, nodeName, args)
    case 'kill':
      return kill(ctx, nodeName, args)
    case 'pkill':
      return pkill(ctx, nodeName, args)
    case 'cat':
      // The node's files are not simulated.
      return cat(args, stdin, () => undefined)
    case 'echo':
      return ok(`${args.join(' ')}\n`)
    case 'kubectl':
      return fail('The connection to the server localhost:8080 was refused - did you specify the right host or port?')
    default:
      return { exitCode: 127, stdout: '', stderr: `-bash: ${cmd}: command not found\n` }
  }
}
