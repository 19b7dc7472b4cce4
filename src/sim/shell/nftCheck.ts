import type { NftTable } from '../model/nftables'
import { parseNft, type Command } from './nftParse'
import { errorText, scan, type Token } from './nftScanner'

/**
 * `nft -c -f FILE`: what nft 1.0.6 reports for a ruleset file, checked against the node's current tables. Its three
 * stages, as nft runs them: the parse (every syntax error), the evaluation against nft's cache of the kernel's and the
 * file's own objects (a table, set or map that is not there), then, only if those passed, the kernel's own checks of
 * the batch in order (a chain to add a rule to or jump to, an element key taken, a chain still referred to).
 * When the kernel finds no table or chain for a rule, nft suggests one ("did you mean chain ‘services’ ..."), the
 * closest by edit distance within a bound; the bound here matches most of nft's choices, not all. The evaluation
 * stage's own suggestions are not made.
 */

interface KernelChain {
  /** Rules and map elements that jump or go to it. */
  refs: number
  /** The chains its rules jump or go to. */
  readonly out: string[]
}

interface KernelTable {
  readonly chains: Map<string, KernelChain>
  /** name -> kind and elements (key -> verdict text, '' for a set). */
  readonly sets: Map<string, { readonly kind: 'set' | 'map'; readonly elements: Map<string, string> }>
}

const ENOENT = 'No such file or directory'
const KERNEL = (e: string) => `Could not process rule: ${e}`

function fromTable(table: NftTable | undefined): Map<string, KernelTable> {
  const tables = new Map<string, KernelTable>()
  if (!table) return tables
  const chains = new Map<string, KernelChain>(table.chains.map((c) => [c.name, { refs: 0, out: [] }]))
  const ref = (from: KernelChain | undefined, to: string) => {
    const c = chains.get(to)
    if (c) c.refs++
    from?.out.push(to)
  }
  for (const c of table.chains) {
    for (const r of c.rules) {
      const a = r.action
      if (a.kind === 'verdict' && (a.verdict.kind === 'jump' || a.verdict.kind === 'goto')) ref(chains.get(c.name), a.verdict.chain)
      if (a.kind === 'numgen') for (const v of a.verdicts) if (v.kind === 'jump' || v.kind === 'goto') ref(chains.get(c.name), v.chain)
    }
  }
  const sets = new Map(table.sets.map((s) => [s.name, { kind: s.kind, elements: new Map(s.elements.map((e) => [e.key.join(' . '), e.value ? verdictOf(e.value) : ''])) }]))
  for (const s of table.sets) for (const e of s.elements) if (e.value?.kind === 'goto' || e.value?.kind === 'jump') ref(undefined, e.value.chain)
  tables.set(`${table.family} ${table.name}`, { chains, sets })
  return tables
}

const verdictOf = (v: { kind: string; chain?: string }) => (v.chain ? `${v.kind} ${v.chain}` : v.kind)

/** The errors `nft -c -f` prints for `source` (named `file` in them), empty when the file would load. */
export function nftCheck(table: NftTable | undefined, source: string, file: string): string {
  const { commands, errors } = parseNft(scan(source))
  let out = errors.map((e) => errorText(file, source, e.at, e.message)).join('')
  const fail = (at: Token | { line: number; col: number; end: number }, message: string) => {
    out += errorText(file, source, at, message)
  }
  const evaluated = evaluate(fromTable(table), commands, fail)
  if (errors.length === 0 && evaluated) commit(fromTable(table), commands, fail, table ? `${table.family} ${table.name}` : undefined)
  return out
}

const key = (t: { family: string; name: Token }) => `${t.family} ${t.name.text}`

/** nft's evaluation against its cache: objects the file names must exist, in the kernel or earlier in the file. */
function evaluate(tables: Map<string, KernelTable>, commands: readonly Command[], fail: (at: Token, message: string) => void): boolean {
  let ok = true
  const error = (at: Token) => {
    fail(at, ENOENT)
    ok = false
  }
  for (const c of commands) {
    if (c.kind === 'flush-ruleset') {
      tables.clear()
      continue
    }
    const t = tables.get(key(c.t))
    switch (c.kind) {
      case 'add-table':
        if (!t) tables.set(key(c.t), { chains: new Map(), sets: new Map() })
        break
      case 'flush-table':
      case 'delete-table':
        if (!t) error(c.t.name)
        else if (c.kind === 'delete-table') tables.delete(key(c.t))
        break
      case 'add-chain':
        if (!t) error(c.t.name)
        else if (!t.chains.has(c.chain.text)) t.chains.set(c.chain.text, { refs: 0, out: [] })
        break
      case 'delete-chain':
        if (!t) error(c.t.name)
        else if (!t.chains.has(c.chain.text)) error(c.chain)
        else t.chains.delete(c.chain.text)
        break
      case 'flush-chain':
        if (!t) error(c.t.name)
        break
      case 'add-rule':
        if (t) for (const s of c.setRefs) if (!t.sets.has(s.text.slice(1))) error(s)
        break
      case 'add-set':
        if (!t) error(c.t.name)
        else if (!t.sets.has(c.set.text)) t.sets.set(c.set.text, { kind: c.type, elements: new Map() })
        break
      case 'flush-set':
      case 'delete-set':
        if (!t) error(c.t.name)
        else if (t.sets.get(c.set.text)?.kind !== c.type) error(c.set)
        else if (c.kind === 'delete-set') t.sets.delete(c.set.text)
        break
      case 'element':
        if (!t) error(c.t.name)
        else if (!t.sets.has(c.set.text)) error(c.set)
        break
    }
  }
  return ok
}

/** The kernel's checks of the batch, message by message (every failing one is reported; the batch is then refused). */
function commit(tables: Map<string, KernelTable>, commands: readonly Command[], fail: (at: Token | { line: number; col: number; end: number }, message: string) => void, kernelTable: string | undefined): void {
  /** The kernel's ENOENT for a rule's table or chain, with the table or chain nft then suggests. */
  const noTable = (at: Token) => {
    if (!kernelTable) return fail(at, KERNEL(ENOENT))
    const [family, name] = kernelTable.split(' ')
    fail(at, `${ENOENT}; did you mean table ‘${name}’ in family ${family}?`)
  }
  const noChain = (t: KernelTable, c: { t: { family: string; name: Token }; chain: Token }) => {
    const like = closest(c.chain.text, [...t.chains.keys()])
    fail(c.chain, like ? `${ENOENT}; did you mean chain ‘${like}’ in table ${c.t.family} ‘${c.t.name.text}’?` : KERNEL(ENOENT))
  }
  for (const c of commands) {
    if (c.kind === 'flush-ruleset') {
      tables.clear()
      continue
    }
    const t = tables.get(key(c.t))
    const unref = (chain: KernelChain) => {
      for (const to of chain.out) {
        const target = t?.chains.get(to)
        if (target) target.refs--
      }
      chain.out.length = 0
    }
    switch (c.kind) {
      case 'add-table':
        if (!t) tables.set(key(c.t), { chains: new Map(), sets: new Map() })
        break
      case 'delete-table':
        tables.delete(key(c.t))
        break
      case 'flush-table':
        for (const chain of t?.chains.values() ?? []) unref(chain)
        break
      case 'add-chain':
        if (t && !t.chains.has(c.chain.text)) t.chains.set(c.chain.text, { refs: 0, out: [] })
        break
      case 'delete-chain': {
        const chain = t?.chains.get(c.chain.text)
        if (!chain) break
        if (chain.refs > 0) fail(c.chain, KERNEL('Device or resource busy'))
        else {
          unref(chain)
          t!.chains.delete(c.chain.text)
        }
        break
      }
      case 'flush-chain': {
        const chain = t?.chains.get(c.chain.text)
        if (!t) noTable(c.t.name)
        else if (!chain) noChain(t, c)
        else unref(chain)
        break
      }
      case 'add-rule': {
        const chain = t?.chains.get(c.chain.text)
        const missing = c.targets.find((target) => !t?.chains.has(target.text))
        if (!t) noTable(c.t.name)
        else if (!chain) noChain(t, c)
        else if (missing) fail(missing, KERNEL(ENOENT))
        else
          for (const target of c.targets) {
            t.chains.get(target.text)!.refs++
            chain.out.push(target.text)
          }
        break
      }
      case 'add-set':
        if (t && !t.sets.has(c.set.text)) t.sets.set(c.set.text, { kind: c.type, elements: new Map() })
        break
      case 'flush-set':
      case 'delete-set': {
        const set = t?.sets.get(c.set.text)
        if (set) for (const v of set.elements.values()) unrefVerdict(t!, v)
        if (c.kind === 'delete-set') t?.sets.delete(c.set.text)
        else set?.elements.clear()
        break
      }
      case 'element': {
        const set = t?.sets.get(c.set.text)
        if (!t || !set) break
        for (const e of c.elements) {
          const value = e.value ?? ''
          const existing = set.elements.get(e.key)
          if (c.verb === 'delete') {
            if (existing === undefined) fail(e.span, KERNEL(ENOENT))
            else {
              unrefVerdict(t, existing)
              set.elements.delete(e.key)
            }
          } else if (e.target && !t.chains.has(e.target.text)) fail(e.span, KERNEL(ENOENT))
          else if (existing !== undefined && existing !== value) fail(e.span, KERNEL('File exists'))
          else if (existing === undefined) {
            set.elements.set(e.key, value)
            if (e.target) t.chains.get(e.target.text)!.refs++
          }
        }
        break
      }
    }
  }
}

function unrefVerdict(t: KernelTable, value: string): void {
  const m = /^(?:goto|jump) (.+)$/.exec(value)
  const chain = m && t.chains.get(m[1]!)
  if (chain) chain.refs--
}

/** The name nft would suggest for a misspelt one: the closest, if within half the longer name's length. */
function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  for (const c of candidates) {
    const d = editDistance(name, c)
    if (d <= Math.ceil(Math.max(name.length, c.length) / 2) && d < bestDistance) {
      best = c
      bestDistance = d
    }
  }
  return best
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[a.length]![b.length]!
}
