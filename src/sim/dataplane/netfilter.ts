import type { IpSet } from '../model/ipvs'
import type { KernelLookup, TracedRule } from '../model/packet'
import type { NodeTables } from '../model/iptablesTables'
import { cidrContains, parseCidr } from '../runtime/ip'
import type { Rng } from '../runtime/rng'
import type { Header } from '../model/packet'
import { ipsetLookup } from './ipsetLookup'
import { parseRule, type ParsedRule, type Target } from './rules'

/**
 * A node's rules as the kernel holds them, in two layers: kube-proxy's tables (one object shared by every node that
 * synced the same view) and what flannel adds on that node (its chains, and rules appended to the built-in ones).
 */
export interface NodeRules {
  readonly kubeProxy: NodeTables
  readonly flannel: NodeTables
}

type ParsedTable = ReadonlyMap<string, readonly ParsedRule[]>

/** Parsed tables per tables object: kube-proxy's are parsed once per view, not once per node. */
const parsed = new WeakMap<NodeTables, { nat: ParsedTable; filter: ParsedTable }>()

function parsedTables(tables: NodeTables): { nat: ParsedTable; filter: ParsedTable } {
  let p = parsed.get(tables)
  if (!p) {
    const parse = (rules: ReadonlyMap<string, readonly { line: string }[]>) => new Map([...rules].map(([chain, list]) => [chain, list.map((r) => parseRule(r.line))]))
    parsed.set(tables, (p = { nat: parse(tables.nat.rules), filter: parse(tables.filter.rules) }))
  }
  return p
}

/** Built-in chains that both layers write to, joined (kube-proxy's rules first): per kube-proxy table and flannel table. */
const joined = new WeakMap<ParsedTable, WeakMap<ParsedTable, Map<string, readonly ParsedRule[]>>>()

/** One chain of a table of the node's rules: flannel's own chains, kube-proxy's, or a built-in chain holding both. */
function chainOf(base: ParsedTable, over: ParsedTable, name: string): readonly ParsedRule[] | undefined {
  const extra = over.get(name)
  if (!extra) return base.get(name)
  const own = base.get(name)
  if (!own) return extra
  let byOver = joined.get(base)
  if (!byOver) joined.set(base, (byOver = new WeakMap()))
  let chains = byOver.get(over)
  if (!chains) byOver.set(over, (chains = new Map()))
  let list = chains.get(name)
  if (!list) chains.set(name, (list = [...own, ...extra]))
  return list
}

/** What a walk may read and change besides the header: the node's local addresses, the mark, `recent` lists, the RNG. */
export interface WalkContext {
  readonly localAddresses: ReadonlySet<string>
  readonly rng: Rng
  readonly now: number
  /** `recent` lists: name -> source IP -> last seen (virtual ms). Changed in place by `--set`. */
  readonly recent: Map<string, Map<string, number>>
  mark: number
  /** IPVS mode: the node's ipsets, by name, for `-m set --match-set`. */
  readonly ipsets?: ReadonlyMap<string, IpSet>
  /** `-m physdev --physdev-is-in`: the packet came in through a bridge port (from a pod on cni0). Unset: it did not. */
  readonly physdevIsIn?: boolean
  /** `-m ipvs`: the IPVS connection the packet belongs to (its virtual server), if IPVS scheduled it. */
  readonly ipvs?: { readonly vaddr: string; readonly vport: number; readonly vproto: string }
}

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '132': 'sctp' }

/** The deciding rule of a walk: an iptables rule (ParsedRule), or an nft rule in the same shape. */
export interface WalkRule {
  readonly line: string
  readonly comment?: string
  readonly target: Target
}

/** The outcome of walking one hook's chain in one table. */
export interface Walk {
  readonly verdict: 'accept' | 'drop' | 'reject' | 'dnat' | 'masquerade'
  readonly dnat?: { readonly ip: string; readonly port: number }
  /** The rule that decided (DNAT, REJECT, DROP, MASQUERADE), if any did. */
  readonly rule?: WalkRule
  /** Map or set lookups made on the way (nftables vmaps). */
  readonly lookups?: readonly KernelLookup[]
  /** The chains entered, in order ("PREROUTING > KUBE-SERVICES > KUBE-SVC-..."). */
  readonly path: string[]
  readonly rulesEvaluated: number
  readonly draws: { rule: string; probability: number; value: number; matched: boolean }[]
  /** Rules that jumped to KUBE-MARK-MASQ: why the packet will be masqueraded. */
  readonly marks: string[]
  /** Every rule evaluated, in order: what a student steps through to see why this rule and not another fired. */
  readonly trace: TracedRule[]
}


function matches(rule: ParsedRule, h: Header, ctx: WalkContext, draws: Walk['draws'], state: 'NEW' | 'ESTABLISHED', lookups: KernelLookup[]): boolean {
  for (const m of rule.matches) {
    switch (m.kind) {
      case 'proto':
        if (m.proto !== h.proto) return false
        break
      case 'src':
      case 'dst':
        if (cidrContains(m.cidr, m.kind === 'src' ? h.src : h.dst) === m.negate) return false
        break
      case 'dport':
        if (h.dport !== m.port) return false
        break
      case 'addrtype':
        if (m.type === 'LOCAL' && ctx.localAddresses.has(m.which === 'dst' ? h.dst : h.src) === m.negate) return false
        break
      case 'set': {
        // A set the kernel does not hold could not be named by a rule; here it simply holds nothing.
        const set = ctx.ipsets?.get(m.name)
        const { key, hit } = set ? ipsetLookup(set, m.flags, h) : { key: h.dst, hit: false }
        lookups.push({ in: `ipset ${m.name}`, key, result: hit ? 'match' : 'no match' })
        if (hit === m.negate) return false
        break
      }
      case 'physdev-in':
        if ((ctx.physdevIsIn ?? false) === m.negate) return false
        break
      case 'ipvs': {
        const v = ctx.ipvs
        const hit = v !== undefined && (m.field === 'vaddr' ? cidrContains(parseCidr(m.value.includes('/') ? m.value : `${m.value}/32`), v.vaddr) : m.field === 'vport' ? Number(m.value) === v.vport : (PROTOCOL_NUMBERS[m.value] ?? m.value.toLowerCase()) === v.vproto)
        if (hit === m.negate) return false
        break
      }
      case 'mark':
        if (((ctx.mark & m.mask) === m.value) === m.negate) return false
        break
      case 'ctstate':
        if (m.states.includes(state) === m.negate) return false
        break
      case 'statistic': {
        const value = ctx.rng.next()
        const matched = value < m.probability
        draws.push({ rule: rule.line, probability: m.probability, value, matched })
        if (!matched) return false
        break
      }
      case 'recent-check': {
        const seen = ctx.recent.get(m.name)?.get(h.src)
        if (seen === undefined || ctx.now - seen > m.seconds * 1000) return false
        break
      }
      case 'nfacct':
        break
      case 'recent-set': {
        let list = ctx.recent.get(m.name)
        if (!list) ctx.recent.set(m.name, (list = new Map()))
        list.set(h.src, ctx.now)
        break
      }
    }
  }
  return true
}

/**
 * Walks `chain` of `table` for a packet, rule by rule, following jumps, as the kernel does: DNAT and MASQUERADE end
 * the nat table's walk, ACCEPT/DROP/REJECT end the filter table's, RETURN goes back a level, and a built-in chain's
 * policy (ACCEPT) applies when nothing decides.
 */
export function walk(rules: NodeRules, table: 'nat' | 'filter', chain: string, h: Header, ctx: WalkContext, state: 'NEW' | 'ESTABLISHED' = 'NEW'): Walk {
  const base = parsedTables(rules.kubeProxy)[table]
  const over = parsedTables(rules.flannel)[table]
  const draws: Walk['draws'] = []
  const marks: string[] = []
  const path: string[] = []
  const trace: TracedRule[] = []
  const lookups: KernelLookup[] = []
  let rulesEvaluated = 0
  const run = (name: string, depth: number): Omit<Walk, 'path' | 'rulesEvaluated' | 'draws' | 'marks' | 'trace'> | 'return' => {
    path.push(name)
    for (const rule of chainOf(base, over, name) ?? []) {
      rulesEvaluated++
      const drawn = draws.length
      const matched = matches(rule, h, ctx, draws, state, lookups)
      const draw = draws.length > drawn ? draws[drawn]! : undefined
      trace.push({ chain: name, line: rule.line, depth, matched, ...(draw ? { draw: { probability: draw.probability, value: draw.value } } : {}) })
      if (!matched) continue
      const t = rule.target
      switch (t.kind) {
        case 'none':
          continue
        case 'mark':
          ctx.mark = t.op === 'or' ? ctx.mark | t.value : ctx.mark ^ t.value
          continue
        case 'return':
          return 'return'
        case 'accept':
          return { verdict: 'accept', rule }
        case 'drop':
          return { verdict: 'drop', rule }
        case 'reject':
          return { verdict: 'reject', rule }
        case 'dnat':
          return { verdict: 'dnat', dnat: { ip: t.ip, port: t.port }, rule }
        case 'masquerade':
          return { verdict: 'masquerade', rule }
        case 'jump': {
          if (t.chain === 'KUBE-MARK-MASQ') marks.push(rule.line)
          if (depth > 16) throw new Error(`iptables: too many levels of jumps at ${rule.line}`)
          const r = run(t.chain, depth + 1)
          if (r !== 'return') return r
          path.push(name)
        }
      }
    }
    return 'return'
  }
  const r = run(chain, 0)
  const result = r === 'return' ? { verdict: 'accept' as const } : r
  return { ...result, path: collapse(path), rulesEvaluated, draws, marks, trace, ...(lookups.length > 0 ? { lookups } : {}) }
}

/** "A > B > A > C" -> "A > C": the chains that led to the decision, without the ones left by RETURN. */
function collapse(path: string[]): string[] {
  const stack: string[] = []
  for (const c of path) {
    const i = stack.indexOf(c)
    if (i >= 0) stack.length = i
    stack.push(c)
  }
  return stack
}
