import { iptablesServiceLines, jumpOfLine } from './iptablesServiceLines'
import type { NodeProxyRules } from '../controllers/kubeProxy/proxyRules'
import type { Hop } from '../model/packet'
import type { Service } from '../model/service'
import type { ClusterReads } from '../reads'

/** One line of a node tool's output, and whether the request's first packet was decided by it. */
export interface RuleLine {
  readonly text: string
  /** The rule, map element, ipset member or virtual/real server that sent this request where it went. */
  readonly decides: boolean
}

/** What one node tool prints about one Service: the command and its lines (the other Services' left out). */
export interface RuleListing {
  readonly command: string
  /** Which of its lines are kept, in a few words ("the lines about default/web"). */
  readonly about: string
  readonly lines: readonly RuleLine[]
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const squash = (s: string) => s.trim().replace(/\s+/g, ' ')

/** What the kernel consulted on the request's first packet at the client's node: chains entered, lookups made, rules that decided. */
interface Consulted {
  /** Consecutive chains (from, to): the rule in `from` that jumped to `to` decided. */
  readonly jumps: readonly (readonly [string, string])[]
  /** The last chain of each walk that rewrote the destination. */
  readonly dnatChains: readonly string[]
  readonly rules: ReadonlySet<string>
  readonly lookups: readonly { readonly in: string; readonly key: string; readonly result: string }[]
}

/** A lookup that found what it looked for (not "no match", not an empty virtual server). */
const found = (l: { readonly result: string }) => !/^no (match|real servers)$/.test(l.result)

function consultedOn(hops: readonly Hop[]): Consulted {
  const jumps: (readonly [string, string])[] = []
  const dnatChains: string[] = []
  const rules = new Set<string>()
  const lookups: Consulted['lookups'][number][] = []
  for (const h of hops) {
    const k = h.kernel
    if (!k) continue
    const chains = (k.chains ?? []).map((c) => c.replace(/^ip kube-proxy /, ''))
    for (let i = 1; i < chains.length; i++) jumps.push([chains[i - 1]!, chains[i]!])
    if (k.verdict === 'dnat' && chains.length) dnatChains.push(chains[chains.length - 1]!)
    if (k.rule) rules.add(squash(k.rule))
    lookups.push(...(k.lookups ?? []).filter(found))
  }
  return { jumps, dnatChains, rules, lookups }
}

/**
 * iptables-save's lines about the Service: those whose comment names it (any of its ports), the per-service chains
 * they lead to (KUBE-SVC, KUBE-SEP, ...: declared and appended), under their table's header.
 */
function iptablesListing(save: string, service: string, c: Consulted): RuleListing {
  const lines = save.split('\n')
  const keep = iptablesServiceLines(lines, service)
  const jumpOf = jumpOfLine
  const decided = new Set<number>()
  const firstIn = (chain: string, test: (line: string) => boolean) => lines.findIndex((l, i) => keep.has(i) && l.startsWith(`-A ${chain} `) && test(l))
  for (const [from, to] of c.jumps) {
    const i = firstIn(from, (l) => jumpOf(l) === to)
    if (i >= 0) decided.add(i)
  }
  for (const chain of c.dnatChains) {
    const i = firstIn(chain, (l) => / -j DNAT\b/.test(l))
    if (i >= 0) decided.add(i)
  }
  lines.forEach((l, i) => {
    if (keep.has(i) && c.rules.has(squash(l))) decided.add(i)
  })
  const out: RuleLine[] = []
  let table: string | undefined
  lines.forEach((line, i) => {
    if (line.startsWith('*')) table = line
    if (!keep.has(i)) return
    if (table) out.push({ text: table, decides: false })
    table = undefined
    out.push({ text: line, decides: decided.has(i) })
  })
  return { command: 'iptables-save', about: `the lines about ${service}`, lines: out }
}

/**
 * IPVS mode's iptables-save lines that match the ipsets the packet was found in (KUBE-CLUSTER-IP, ...): the few
 * rules IPVS mode still walks, which mark and accept a Service's packets whatever the Service.
 */
function ipsetRulesListing(save: string, c: Consulted): RuleListing {
  const sets = [...new Set(c.lookups.filter((l) => l.in.startsWith('ipset ')).map((l) => l.in.slice('ipset '.length)))]
  const out: RuleLine[] = []
  let table: string | undefined
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line
    if (!line.startsWith('-A ') || !sets.some((set) => line.includes(`--match-set ${set} `))) continue
    if (table) out.push({ text: table, decides: false })
    table = undefined
    out.push({ text: line, decides: c.rules.has(squash(line)) })
  }
  return { command: 'iptables-save', about: `the rules that match ${sets.join(', ')}`, lines: out }
}

/** The Service's addresses kube-proxy programs, with a port: ClusterIPs, external IPs, load-balancer IPs. */
function addressesOf(svc: Service): string[] {
  return [...(svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : [])), ...(svc.spec.externalIPs ?? []), ...(svc.status.loadBalancer.ingress ?? []).map((i) => i.ip)]
}

const servesService = (servicePort: string, service: string) => servicePort === service || servicePort.startsWith(`${service}:`)

/** `ipvsadm -Ln`: its header, and the blocks of the Service's virtual servers (each with its real servers). */
function ipvsadmListing(text: string, keys: ReadonlySet<string>, c: Consulted): RuleListing {
  const lines = text.replace(/\n$/, '').split('\n')
  const picks = c.lookups.filter((l) => l.in.startsWith('IPVS'))
  const out: RuleLine[] = []
  let block: { keep: boolean; pick: (typeof picks)[number] | undefined } = { keep: true, pick: undefined }
  for (const [i, line] of lines.entries()) {
    const isHeader = i < 3 && (i === 0 || /^(Prot|\s+-> RemoteAddress)/.test(line))
    if (!isHeader && /^\S/.test(line)) {
      const key = squash(line).split(' ').slice(0, 2).join(' ')
      const pick = picks.find((p) => squash(p.key) === key)
      block = { keep: keys.has(key), pick }
      if (block.keep) out.push({ text: line, decides: pick !== undefined })
      continue
    }
    if (!block.keep) continue
    const real = /->\s+(\S+)/.exec(line)?.[1]
    const chosen = !isHeader && block.pick !== undefined && real !== undefined && new RegExp(`->\\s*${escape(real)}(\\s|$)`).test(block.pick.result)
    out.push({ text: line, decides: chosen })
  }
  return { command: 'ipvsadm -Ln', about: keys.size === 1 ? 'its virtual server' : 'its virtual servers', lines: out }
}

/**
 * `ipset list`: each set holding an entry about the Service (its addresses with their port, its NodePorts, its
 * endpoints' hairpin entries), with its Name, Type and Members lines and those entries only.
 */
function ipsetListing(text: string, svc: Service, realServers: ReadonlySet<string>, c: Consulted): RuleListing {
  const ports = svc.spec.ports ?? []
  const addrs = addressesOf(svc)
  const mine = (entry: string) => {
    const [first, second] = entry.split(',')
    if (first === undefined) return false
    if (second === undefined) return ports.some((p) => p.nodePort !== undefined && (first === String(p.nodePort) || first.endsWith(`:${p.nodePort}`)))
    if (addrs.includes(first)) return ports.some((p) => second === `${p.protocol.toLowerCase()}:${p.port}`)
    return realServers.has(`${first}:${second.replace(/^[a-z]+:/, '')}`)
  }
  const out: RuleLine[] = []
  for (const set of text.split(/\n(?=Name: )/)) {
    const lines = set.split('\n').filter((l) => l !== '')
    const name = lines[0]?.replace(/^Name: /, '') ?? ''
    const members = lines.findIndex((l) => l === 'Members:')
    const entries = members >= 0 ? lines.slice(members + 1).filter(mine) : []
    if (entries.length === 0) continue
    const keys = new Set(c.lookups.filter((l) => l.in === `ipset ${name}`).map((l) => squash(l.key)))
    const type = lines.find((l) => l.startsWith('Type: '))
    out.push({ text: lines[0]!, decides: false }, ...(type ? [{ text: type, decides: false }] : []), { text: 'Members:', decides: false })
    out.push(...entries.map((e) => ({ text: e, decides: keys.has(squash(e)) })))
  }
  return { command: 'ipset list', about: 'the entries about it', lines: out }
}

/** The elements of an nft `elements = { ... }` list, from its first line on; and the index of its last line. */
function elementsFrom(lines: readonly string[], start: number): { readonly elements: string[]; readonly end: number } {
  let text = lines[start]!.slice(lines[start]!.indexOf('{') + 1)
  let end = start
  while (!text.trimEnd().endsWith('}') && end + 1 < lines.length) text += ` ${lines[++end]!.trim()}`
  const body = text.trimEnd().replace(/}$/, '')
  return { elements: body.split(',').map((e) => e.trim()).filter((e) => e !== ''), end }
}

/** The index of the line that closes the block opened on line `start` (braces counted, nested ones included). */
function blockEnd(lines: readonly string[], start: number): number {
  let depth = 0
  for (let i = start; i < lines.length; i++) {
    for (const ch of lines[i]!) depth += ch === '{' ? 1 : ch === '}' ? -1 : 0
    if (depth <= 0) return i
  }
  return lines.length - 1
}

/**
 * `nft list ruleset`: kube-proxy's table with, of its maps, the elements that lead to the Service's chains, and the
 * Service's own chains (service-, endpoint-, external-, ...: named after "ns/name/"), as nft prints them.
 */
function nftListing(text: string, service: string, c: Consulted): RuleListing {
  const lines = text.replace(/\n$/, '').split('\n')
  const tag = `-${service}/`
  const out: RuleLine[] = []
  const chainJumps = new Map<string, Set<string>>()
  for (const [from, to] of c.jumps) chainJumps.set(from, (chainJumps.get(from) ?? new Set()).add(to))
  const lookupKeys = c.lookups.filter((l) => l.in.startsWith('map ') || l.in.startsWith('set ')).map((l) => squash(l.key))
  const start = lines.findIndex((l) => /^table ip kube-proxy \{/.test(l))
  if (start < 0) return { command: 'nft list ruleset', about: 'kube-proxy\'s table', lines: [] }
  const last = blockEnd(lines, start)
  out.push({ text: lines[start]!, decides: false })
  for (let i = start + 1; i < last; i++) {
    const line = lines[i]!
    const end = line.includes('{') ? blockEnd(lines, i) : i
    const head = /^\s*(map|chain) (\S+) \{/.exec(line)
    const body = lines.slice(i + 1, end)
    const close = lines[end]!
    if (head?.[1] === 'chain' && head[2]!.includes(tag)) {
      const name = head[2]!
      const dnat = c.dnatChains.includes(name)
      const targets = [...(chainJumps.get(name) ?? [])]
      out.push({ text: line, decides: false })
      for (const l of body) {
        const jumps = targets.some((to) => new RegExp(`(goto|jump) ${escape(to)}(\\s|,|$)`).test(l))
        out.push({ text: l, decides: jumps || (dnat && /\bdnat\b/.test(l)) || c.rules.has(squash(l)) })
      }
      out.push({ text: close, decides: false })
    } else if (head?.[1] === 'map') {
      const at = body.findIndex((l) => /^\s*elements = \{/.test(l))
      const elements = at >= 0 ? elementsFrom(body, at).elements : []
      const mine = elements.filter((e) => e.includes(tag))
      if (mine.length) {
        out.push({ text: line, decides: false })
        for (const l of body.slice(0, at)) out.push({ text: l, decides: false })
        const indent = /^\s*/.exec(body[at]!)![0]
        mine.forEach((e, k) => {
          const t = `${k === 0 ? `${indent}elements = { ` : `${indent}\t     `}${e}${k === mine.length - 1 ? ' }' : ','}`
          out.push({ text: t, decides: lookupKeys.some((key) => squash(e).startsWith(`${key} :`) || squash(e).startsWith(`${key} comment `)) })
        })
        out.push({ text: close, decides: false })
      }
    }
    i = end
  }
  out.push({ text: lines[last]!, decides: false })
  return { command: 'nft list ruleset', about: 'its map elements and chains', lines: out }
}

/**
 * The rules of `node` that concern `svc`, in the node tool's own format, for the mode its kube-proxy last synced in,
 * with the lines that decided `hops` (the request's hops on that node) marked.
 */
export function serviceRuleText(reads: ClusterReads, node: string, svc: Service, rules: NodeProxyRules, hops: readonly Hop[]): RuleListing[] {
  const service = `${svc.metadata.namespace}/${svc.metadata.name}`
  const c = consultedOn(hops)
  const run = (line: string) => reads.run(line, { node }).stdout
  switch (rules.mode) {
    case 'iptables':
      return [iptablesListing(reads.iptablesSave(node) ?? '', service, c)]
    case 'ipvs': {
      const mine = rules.ipvs.virtualServers.filter((vs) => servesService(vs.servicePort, service))
      const keys = new Set(mine.map((vs) => `${vs.protocol} ${vs.ip}:${vs.port}`))
      const reals = new Set(mine.flatMap((vs) => vs.realServers.map((r) => `${r.ip}:${r.port}`)))
      return [ipvsadmListing(run('ipvsadm -Ln'), keys, c), ipsetListing(run('ipset list'), svc, reals, c), ipsetRulesListing(reads.iptablesSave(node) ?? '', c)]
    }
    case 'nftables':
      return [nftListing(run('nft list ruleset'), service, c)]
  }
}
