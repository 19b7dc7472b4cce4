import type { NftAction, NftChain, NftField, NftHook, NftMap, NftMatch, NftRule, NftSet, NftTable, NftVerdict } from '../model/nftables'
import type { Header, KernelLookup, TracedRule } from '../model/packet'
import { cidrContains, parseCidr, type Cidr } from '../runtime/ip'
import type { Target } from './rules'
import type { Walk, WalkContext, WalkRule } from './netfilter'

/**
 * Walks kube-proxy's nftables table for one packet, as the kernel does: the base chains at a hook in priority order,
 * rules in order, `jump` and `goto` (which does not come back), `return`, verdict-map lookups (one step, however many
 * Services), `numgen` draws. The counterpart of netfilter.ts's `walk` for iptables.
 */

/** Which base chains a phase of the packet's way through a hook runs: before DNAT, filtering, or SNAT. */
export type NftPhase = 'dstnat' | 'filter' | 'srcnat'

const DSTNAT = -100
const TABLE = 'ip kube-proxy'

interface Index {
  readonly chains: ReadonlyMap<string, NftChain>
  readonly sets: ReadonlyMap<string, NftSet | NftMap>
  /** Per set or map: its elements by key ("10.96.0.10 . tcp . 53"). */
  readonly elements: ReadonlyMap<string, ReadonlyMap<string, { readonly value?: NftVerdict }>>
  readonly cidrs: Map<string, Cidr>
}

const indexes = new WeakMap<NftTable, Index>()

/** The table's chains, sets and elements by name and key, built once per table (tables are immutable). */
function indexOf(table: NftTable): Index {
  let ix = indexes.get(table)
  if (!ix) {
    ix = {
      chains: new Map(table.chains.map((c) => [c.name, c])),
      sets: new Map(table.sets.map((s) => [s.name, s])),
      elements: new Map(table.sets.map((s) => [s.name, new Map(s.elements.map((e) => [e.key.join(' . '), e]))])),
      cidrs: new Map(),
    }
    indexes.set(table, ix)
  }
  return ix
}

/**
 * dstnat: what runs at prerouting and output up to DNAT (the filter chains kube-proxy puts just before it, then DNAT);
 * filter: the filter chains at input and forward (after routing, so after DNAT) and at output those after DNAT;
 * srcnat: postrouting.
 */
function inPhase(chain: NftChain, phase: NftPhase): boolean {
  const b = chain.base!
  const early = (b.hook === 'prerouting' || b.hook === 'output') && b.priority <= DSTNAT
  if (phase === 'dstnat') return early
  if (phase === 'filter') return b.type === 'filter' && b.hook !== 'prerouting' && b.hook !== 'postrouting' && !early
  return b.hook === 'postrouting'
}

const baseChains = new WeakMap<NftTable, Map<string, NftChain[]>>()

/**
 * The base chains of `table` a packet passes at `hook` in `phase`, lowest priority first. Found once per table: the
 * table holds a chain per Service and endpoint, and a packet must not cost a scan of them.
 */
export function nftBaseChains(table: NftTable, phase: NftPhase, hook: NftHook): NftChain[] {
  let byHook = baseChains.get(table)
  if (!byHook) baseChains.set(table, (byHook = new Map()))
  const key = `${phase}|${hook}`
  let chains = byHook.get(key)
  if (!chains) byHook.set(key, (chains = table.chains.filter((c) => c.base?.hook === hook && inPhase(c, phase)).sort((a, b) => a.base!.priority - b.base!.priority)))
  return chains
}

/** The packet's value for one field of a key, as nft forms it. */
function field(h: Header, f: NftField): string {
  switch (f) {
    case 'ip saddr':
      return h.src
    case 'ip daddr':
      return h.dst
    case 'meta l4proto':
      return h.proto
    case 'th dport':
      return String(h.dport)
  }
}

/** A rule's action in the iptables walker's terms, so that hops and the UI read both modes alike. */
function targetOf(action: NftAction): Target {
  switch (action.kind) {
    case 'verdict':
      return verdictTarget(action.verdict)
    case 'mark':
      return { kind: 'mark', op: action.op, value: action.value }
    case 'masquerade':
      return { kind: 'masquerade', randomFully: action.fullyRandom }
    case 'dnat':
      return { kind: 'dnat', ip: action.ip, port: action.port }
    default:
      return { kind: 'none' }
  }
}

function verdictTarget(v: NftVerdict): Target {
  return v.kind === 'jump' || v.kind === 'goto' ? { kind: 'jump', chain: v.chain } : { kind: v.kind }
}

const walkRule = (rule: NftRule, target: Target = targetOf(rule.action)): WalkRule => ({ line: rule.text, ...(rule.comment !== undefined ? { comment: rule.comment } : {}), target })

type Outcome = Pick<Walk, 'verdict' | 'dnat' | 'rule'>

/**
 * Walks the base chains kube-proxy registered at `hook` whose priority belongs to `phase` ('dstnat': those at or
 * before DNAT, filter-prerouting/-output then nat-prerouting/-output; 'filter': filter-input, -forward and
 * -output-post-dnat; 'srcnat': nat-postrouting). A chain that ends without a verdict accepts (their policy), and the
 * next base chain runs; drop, reject, DNAT and masquerade end the walk. `path` holds the chains of the base chain that
 * decided (all the base chains walked, when none did).
 */
export function walkNft(table: NftTable, phase: NftPhase, hook: NftHook, h: Header, ctx: WalkContext, ctstate: 'NEW' | 'ESTABLISHED' = 'NEW'): Walk {
  const ix = indexOf(table)
  const draws: Walk['draws'] = []
  const marks: string[] = []
  const trace: TracedRule[] = []
  const lookups: KernelLookup[] = []
  let rulesEvaluated = 0
  let stack: string[] = []

  const cidr = (prefix: string): Cidr => {
    let c = ix.cidrs.get(prefix)
    if (!c) ix.cidrs.set(prefix, (c = parseCidr(prefix.includes('/') ? prefix : `${prefix}/32`)))
    return c
  }
  /** Membership of an address in a named set; affinity sets forget a client after their timeout. */
  const inSet = (name: string, addr: string): boolean => {
    const set = ix.sets.get(name)
    if (set?.flags?.includes('dynamic')) {
      const seen = ctx.recent.get(name)?.get(addr)
      return seen !== undefined && ctx.now - seen <= (set.timeout ?? Infinity) * 1000
    }
    return ix.elements.get(name)?.has(addr) ?? false
  }
  const matches = (m: NftMatch): boolean => {
    switch (m.kind) {
      case 'ct-state':
        return m.states.includes(ctstate.toLowerCase())
      case 'ip': {
        const addr = m.field === 'saddr' ? h.src : h.dst
        return m.prefixes.some((p) => cidrContains(cidr(p), addr)) !== m.negate
      }
      case 'ip-set': {
        const addr = m.field === 'saddr' ? h.src : h.dst
        const found = inSet(m.set, addr)
        lookups.push({ in: `set ${m.set}`, key: addr, result: found ? 'found' : 'no match' })
        return found
      }
      case 'fib-local':
        return ctx.localAddresses.has(m.field === 'saddr' ? h.src : h.dst)
      case 'l4proto':
        return h.proto === m.proto
      case 'dport':
        return h.proto === m.proto && h.dport === m.port
      case 'mark':
        return (ctx.mark & m.mask) === m.value
    }
  }

  /** Runs a chain: 'return' when it ends (or returns) without a verdict, else the outcome that ends the walk. */
  const run = (name: string, depth: number): Outcome | 'return' => {
    stack.push(name)
    const chain = ix.chains.get(name)
    for (const rule of chain?.rules ?? []) {
      rulesEvaluated++
      let matched = rule.matches.every(matches)
      let chosen: NftVerdict | undefined
      let draw: TracedRule['draw']
      if (matched) {
        const a = rule.action
        if (a.kind === 'vmap') {
          const key = a.key.map((f) => field(h, f)).join(' . ')
          chosen = ix.elements.get(a.map)?.get(key)?.value
          lookups.push({ in: `map ${a.map}`, key, result: chosen ? verdictText(chosen) : 'no match' })
          matched = chosen !== undefined
        } else if (a.kind === 'numgen') {
          const value = ctx.rng.int(a.mod)
          draws.push({ rule: rule.text, probability: 1 / a.mod, value, matched: true })
          draw = { probability: 1 / a.mod, value }
          chosen = a.verdicts[value]
        } else if (a.kind === 'verdict') chosen = a.verdict
      }
      trace.push({ table: TABLE, chain: name, line: rule.text, depth, matched, ...(draw ? { draw } : {}) })
      if (!matched) continue
      const a = rule.action
      if (a.kind === 'mark') {
        ctx.mark = a.op === 'or' ? ctx.mark | a.value : ctx.mark ^ a.value
        continue
      }
      if (a.kind === 'update') {
        const addr = a.field === 'saddr' ? h.src : h.dst
        let list = ctx.recent.get(a.set)
        if (!list) ctx.recent.set(a.set, (list = new Map()))
        list.set(addr, ctx.now)
        continue
      }
      if (a.kind === 'masquerade') return { verdict: 'masquerade', rule: walkRule(rule) }
      if (a.kind === 'dnat') return { verdict: 'dnat', dnat: { ip: a.ip, port: a.port }, rule: walkRule(rule) }
      const v = chosen!
      switch (v.kind) {
        case 'accept':
          return { verdict: 'accept', rule: walkRule(rule, { kind: 'accept' }) }
        case 'drop':
        case 'reject':
          return { verdict: v.kind, rule: walkRule(rule, { kind: v.kind }) }
        case 'return':
          stack.pop()
          return 'return'
        case 'jump':
        case 'goto': {
          if (v.chain === 'mark-for-masquerade') marks.push(rule.text)
          if (depth > 16) throw new Error(`nft: too many levels of jumps at ${rule.text}`)
          const r = run(v.chain, depth + 1)
          // A goto does not come back: the chain that went there ends with it.
          if (r !== 'return' || v.kind === 'goto') {
            if (r === 'return') stack.pop()
            return r
          }
        }
      }
    }
    stack.pop()
    return 'return'
  }

  const walked: string[] = []
  for (const base of nftBaseChains(table, phase, hook)) {
    walked.push(base.name)
    stack = []
    const r = run(base.name, 0)
    // accept in a base chain ends that chain only: the next one at the hook still sees the packet.
    if (r === 'return' || r.verdict === 'accept') continue
    return { ...r, lookups, path: stack, rulesEvaluated, draws, marks, trace }
  }
  return { verdict: 'accept', lookups, path: walked, rulesEvaluated, draws, marks, trace }
}

function verdictText(v: NftVerdict): string {
  return v.kind === 'jump' || v.kind === 'goto' ? `${v.kind} ${v.chain}` : v.kind
}
