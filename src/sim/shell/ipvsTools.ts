import type { IpSet, IpvsNode } from '../model/ipvs'
import { virtualServerKey } from '../model/ipvs'
import { liveTemplates } from '../dataplane/ipvs'
import type { IpvsConnection, IpvsStats } from './ipvsadm'
import { ipsetKernelView } from './ipsetKernel'
import { interfaceMac } from './netInfo'
import { fail, ok, type RunResult } from './types'

export { ipvsadmCommand, type IpvsConnection, type IpvsStats } from './ipvsadm'

/**
 * The node's IPVS-mode tools besides ipvsadm (ipvsadm.ts): ipset v7.17 (Debian 12's) and the kube-ipvs0 block of
 * `ip addr`, as iproute2 6.1 prints it. Formats checked against the real ipset in a private network namespace.
 */

const IPSET_VERSION = 'v7.17'

/** How many iptables rules name the set: each `-m set` match holds a reference in the kernel. */
function references(n: IpvsNode, name: string): number {
  let count = 0
  const needle = `--match-set ${name} `
  for (const t of [n.iptables.filter, n.iptables.nat]) for (const rules of t.rules.values()) for (const r of rules) if (r.line.includes(needle)) count++
  return count
}

function listSet(n: IpvsNode, set: IpSet, opts: { terse: boolean; sorted: boolean }): string {
  const v = ipsetKernelView(set)
  const head = [`Name: ${set.name}`, `Type: ${set.type}`, `Revision: ${v.revision}`, `Header: ${v.header}`, `Size in memory: ${v.memsize}`, `References: ${references(n, set.name)}`, `Number of entries: ${set.entries.length}`]
  if (opts.terse) return `${head.join('\n')}\n`
  return `${[...head, 'Members:', ...(opts.sorted ? v.sorted : v.members)].join('\n')}\n`
}

function saveSet(set: IpSet, sorted: boolean): string {
  const v = ipsetKernelView(set)
  return [`create ${set.name} ${set.type} ${v.header}`, ...(sorted ? v.sorted : v.members).map((m) => `add ${set.name} ${m}`)].map((l) => `${l}\n`).join('')
}

const usageError = (message: string) => fail(`ipset ${IPSET_VERSION}: ${message}\nTry \`ipset help' for more information.`, 2)

/**
 * `ipset list [NAME]` (`-L`), with -n/-name (names only), -t/-terse (headers only), -s/-sorted, -o plain|save;
 * `ipset save [NAME]`; `ipset version` (-v, -V, --version). `n` undefined: the node runs no IPVS, so holds no sets.
 */
export function ipsetCommand(n: IpvsNode | undefined, args: readonly string[]): RunResult {
  const sets = n?.ipsets ?? []
  let command: 'list' | 'save' | 'version' | undefined
  let name: string | undefined
  const flags = { names: false, terse: false, sorted: false, quiet: false, output: '' }
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const opt = a.replace(/^--?/, '')
    if (a.startsWith('-') && ['n', 'name'].includes(opt)) flags.names = true
    else if (a.startsWith('-') && ['t', 'terse'].includes(opt)) flags.terse = true
    else if (a.startsWith('-') && ['s', 'sorted'].includes(opt)) flags.sorted = true
    else if (a.startsWith('-') && ['q', 'quiet', 'r', 'resolve', '!', 'exist'].includes(opt)) flags.quiet ||= opt.startsWith('q')
    else if (a.startsWith('-') && ['o', 'output'].includes(opt)) {
      flags.output = args[++i] ?? ''
      if (flags.output === 'xml') return fail(`ipset ${IPSET_VERSION}: -o xml is not simulated here; try -o plain or -o save`, 2)
      if (!['plain', 'save'].includes(flags.output)) return usageError(`Syntax error: Unknown output mode '${flags.output}'`)
    } else if (!command) {
      if (['list', '-L', '--list'].includes(a)) command = 'list'
      else if (['save', '-S', '--save'].includes(a)) command = 'save'
      else if (['version', '-v', '-V', '--version'].includes(a)) command = 'version'
      else if (['create', 'add', 'del', 'test', 'destroy', 'flush', 'rename', 'swap', 'restore', 'help', '-N', '-A', '-D', '-T', '-X', '-F', '-E', '-W', '-R', '-H'].includes(a)) {
        return fail(`ipset ${IPSET_VERSION}: only list, save and version are simulated here (kube-proxy owns this node's sets)`, 2)
      } else return usageError(`No command specified: unknown argument ${a}`)
    } else if (name === undefined && command !== 'version') name = a
    else return usageError(`Unknown argument ${a}`)
  }
  if (!command) return usageError('No command specified.')
  if (command === 'version') return ok(`ipset ${IPSET_VERSION}, protocol version: 7\n`)
  const chosen = name === undefined ? sets : sets.filter((s) => s.name === name)
  if (name !== undefined && chosen.length === 0) return flags.quiet ? fail('', 1) : fail(`ipset ${IPSET_VERSION}: The set with the given name does not exist`)
  if (flags.names && command === 'list') return ok(chosen.map((s) => `${s.name}\n`).join(''))
  if (command === 'save' || flags.output === 'save') return ok(chosen.map((s) => saveSet(s, flags.sorted)).join(''))
  return ok(chosen.map((s) => listSet(n!, s, flags)).join('\n'))
}

/**
 * The kube-ipvs0 dummy interface as `ip addr` prints it (interface `index`): down, no ARP, a random MAC (here fixed
 * by the node's addresses), and each bound address as a /32 in the order kube-proxy bound them.
 */
export function kubeIpvs0Text(n: IpvsNode, index: number): string {
  const lines = [
    `${index}: kube-ipvs0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN group default qlen 1000`,
    `    link/ether ${interfaceMac(`kube-ipvs0/${n.dummyAddresses[0] ?? ''}`)} brd ff:ff:ff:ff:ff:ff`,
  ]
  for (const ip of n.dummyAddresses) lines.push(`    inet ${ip}/32 scope global kube-ipvs0`, '       valid_lft forever preferred_lft forever')
  return `${lines.join('\n')}\n`
}

/** The persistence templates alive at `now` (virtual ms), as `ipvsadm -Lnc` lists them: client port 0, state NONE. */
export function persistenceTemplates(n: IpvsNode, stats: IpvsStats, now: number): IpvsConnection[] {
  const out: IpvsConnection[] = []
  for (const vs of n.virtualServers) {
    if (!vs.persistent) continue
    for (const t of liveTemplates(vs, stats.get(virtualServerKey(vs)), now)) {
      const [dst = '', dport = '0'] = t.real.split(':')
      out.push({ proto: vs.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp', src: t.client, sport: 0, vip: vs.ip, vport: vs.port, dst, dport: Number(dport), expiresInS: t.expiresInS, state: 'NONE' })
    }
  }
  return out
}
