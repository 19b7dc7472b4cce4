import { ipToNumber } from '../runtime/ip'
import { fail, IptablesError, MATCHES, type Extension, type ExtensionSpec } from './iptablesExtensions'
import { TARGETS } from './iptablesTargets'
import { protocolName, protocolNumber } from './netdb'

/**
 * iptables-restore input read as iptables reads it: each table's chains and policies, and each rule parsed into its
 * addresses, protocol, matches and target. Both printers (iptables-save, iptables -L) start from this.
 */

/** The tables in the order iptables-save (nf_tables backend) prints them, measured with iptables 1.8.9. */
export const TABLE_ORDER = ['mangle', 'security', 'raw', 'filter', 'nat'] as const

/** A table iptables knows. */
export type TableName = (typeof TABLE_ORDER)[number]

/** Each table's built-in chains, in hook order (the order every listing uses). */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
  raw: ['PREROUTING', 'OUTPUT'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
}

/** `-s` / `-d`: the address with its host bits cleared (as the kernel keeps it) and its mask, as unsigned numbers. */
export interface Address {
  readonly addr: number
  readonly mask: number
  readonly invert: boolean
}

/** One rule, as iptables holds it whatever order its options were written in. */
export interface IptRule {
  readonly src?: Address
  readonly dst?: Address
  readonly inIface?: { readonly name: string; readonly invert: boolean }
  readonly outIface?: { readonly name: string; readonly invert: boolean }
  /** `-p`: the protocol number (0 is "all", which iptables does not keep). */
  readonly proto?: { readonly num: number; readonly invert: boolean }
  /** `-m` matches, in the order they were loaded (a tcp match implied by `-p tcp --dport` is loaded at `--dport`). */
  readonly matches: readonly { readonly name: string; readonly ext: Extension }[]
  /** `-j` / `-g`: a verdict (ACCEPT, DROP, RETURN), a user chain, or a target extension (with `ext`). */
  readonly target?: { readonly name: string; readonly goto: boolean; readonly ext?: Extension }
}

/** One table after the restore: built-in policies, user chains, and each chain's rules. */
export interface IptTable {
  readonly name: TableName
  readonly policies: ReadonlyMap<string, string>
  /** Built-in chains first, then user chains sorted by name (strcmp), as iptables-save and -L list them. */
  readonly chains: readonly string[]
  readonly rules: ReadonlyMap<string, readonly IptRule[]>
}

/** The tables a restore wrote, in iptables-save's order; a table the input never touched is absent. */
export type IptRuleset = ReadonlyMap<TableName, IptTable>

/** libxtables' own protocol names (xtables_chain_protos), which win over /etc/protocols both ways. */
const PROTOCOLS: Readonly<Record<string, number>> = { tcp: 6, sctp: 132, udp: 17, udplite: 136, icmp: 1, icmpv6: 58, esp: 50, ah: 51, mh: 135, all: 0 }
const PROTOCOL_NAMES = new Map(Object.entries(PROTOCOLS).map(([name, num]) => [num, name]))

/** proto_to_name: the name iptables prints for a protocol number (undefined: it prints the number). */
export function protocolText(num: number): string | undefined {
  return PROTOCOL_NAMES.get(num) ?? protocolName(num)
}

/** Splits a restore line into words as iptables-restore does: `"..."` groups (with `\` escaping), nothing else does. */
export function splitRestoreLine(line: string): string[] {
  const words: string[] = []
  let word = ''
  let quoted = false
  let inQuote = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (inQuote) {
      if (c === '\\' && i + 1 < line.length) word += line[++i]
      else if (c === '"') inQuote = false
      else word += c
      // A closing quote ends the word (`x"y z"w` is two words), as add_param_to_argv does.
      if (inQuote) continue
    } else if (c === '"') {
      inQuote = quoted = true
      continue
    } else if (c !== ' ' && c !== '\t') {
      word += c
      continue
    }
    if (word !== '' || quoted) words.push(word)
    word = ''
    quoted = false
  }
  if (inQuote) fail('unterminated quote')
  if (word !== '' || quoted) words.push(word)
  return words
}

/** `a.b.c.d[/bits|/mask]`, host bits cleared. */
function parseAddress(text: string, invert: boolean): Address {
  const [ip, maskText] = text.split('/') as [string, string?]
  const addr = ipToNumber(ip)
  if (Number.isNaN(addr)) fail(`host/network \`${ip}' not found`)
  let mask = 0xffffffff
  if (maskText !== undefined) {
    const bits = /^\d+$/.test(maskText) ? Number(maskText) : NaN
    if (bits >= 0 && bits <= 32) mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
    else if (!Number.isNaN(ipToNumber(maskText))) mask = ipToNumber(maskText)
    else fail(`invalid mask \`${maskText}' specified`)
  }
  return { addr: (addr & mask) >>> 0, mask, invert }
}

function parseProtocol(text: string): number {
  const num = /^\d+$/.test(text) ? Number(text) : (PROTOCOLS[text.toLowerCase()] ?? protocolNumber(text.toLowerCase()))
  return num !== undefined && num <= 255 ? num : fail(`unknown protocol "${text}" specified`)
}

/** Parses the words of one rule after `-A CHAIN`, as iptables' command parser and the extensions' parsers would. */
export function parseRuleArgs(args: readonly string[]): IptRule {
  const rule: { -readonly [K in keyof IptRule]: IptRule[K] } = { matches: [] }
  const loaded: { name: string; ext: Extension; spec: ExtensionSpec; at: number }[] = []
  let targetSpec: ExtensionSpec | undefined
  let targetAt = -1
  let invert = false
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!
    if (word === '!') {
      if (invert) fail('multiple consecutive ! not allowed')
      invert = true
      continue
    }
    const value = () => args[++i] ?? fail(`option "${word}" requires an argument`)
    const eq = word.indexOf('=')
    const long = word.startsWith('--') ? word.slice(2, eq > 0 ? eq : undefined) : undefined
    const inline = long !== undefined && eq > 0 ? word.slice(eq + 1) : undefined
    const arg = () => inline ?? value()
    const once = <T>(current: T | undefined, flag: string, next: T): T => (current === undefined ? next : fail(`multiple -${flag} flags not allowed`))
    switch (long === undefined ? word : `--${long}`) {
      case '-s': case '--source': case '--src': rule.src = once(rule.src, 's', parseAddress(arg(), invert)); break
      case '-d': case '--destination': case '--dst': rule.dst = once(rule.dst, 'd', parseAddress(arg(), invert)); break
      case '-i': case '--in-interface': rule.inIface = once(rule.inIface, 'i', { name: arg(), invert }); break
      case '-o': case '--out-interface': rule.outIface = once(rule.outIface, 'o', { name: arg(), invert }); break
      case '-p': case '--protocol': rule.proto = once(rule.proto, 'p', { num: parseProtocol(arg()), invert }); break
      case '-m': case '--match': {
        if (invert) fail('unexpected ! flag before --match')
        const name = arg()
        const spec = MATCHES[name] ?? fail(`Couldn't load match \`${name}':No such file or directory`)
        loaded.push({ name, spec, ext: spec.create(), at: i })
        break
      }
      case '-j': case '--jump': case '-g': case '--goto': {
        if (invert) fail('cannot have ! before -j')
        const name = arg()
        const goto = word === '-g' || long === 'goto'
        targetSpec = goto ? undefined : TARGETS[name]
        targetAt = i
        rule.target = once(rule.target, 'j', { name, goto, ...(targetSpec ? { ext: targetSpec.create() } : {}) })
        break
      }
      default: {
        if (long === undefined) fail(`Bad argument \`${word}'`)
        const option = long!
        // The extension loaded last that knows the option takes it (libxtables merges each one's options in front of
        // those before it, so `-m comment --comment a -m comment --comment b` gives each its own); failing that, a
        // match that -p implies (command_default).
        let owner = [...loaded, ...(targetSpec ? [{ ext: rule.target!.ext!, spec: targetSpec, at: targetAt }] : [])]
          .sort((a, b) => b.at - a.at)
          .find((m) => option in m.spec.options)
        if (!owner) {
          const implied = ({ 6: 'tcp', 17: 'udp', 132: 'sctp' } as Record<number, string>)[rule.proto?.num ?? -1]
          const spec = implied ? MATCHES[implied] : undefined
          if (!spec || !(option in spec.options)) fail(`unknown option "${word}"`)
          owner = { spec: spec!, ext: spec!.create(), at: i }
          loaded.push({ name: implied!, ...owner })
        }
        if (invert && !owner.spec.invertible.includes(option)) fail(`option "--${option}" cannot be inverted.`)
        const takes = owner.spec.options[option]
        // A two-word option (set's --match-set NAME FLAGS) takes the next word too, unless it is an option or `!`.
        const second = () => (args[i + 1] === undefined || /^[-!]/.test(args[i + 1]!) ? '' : ` ${args[++i]}`)
        owner.ext.parse(option, takes === 2 ? `${arg()}${second()}` : takes ? arg() : '', invert)
      }
    }
    invert = false
  }
  if (invert) fail('nothing appropriate following !')
  const kept = loaded.filter((m) => m.ext.finish() !== false)
  rule.target?.ext?.finish()
  return { ...rule, matches: kept.map(({ name, ext }) => ({ name, ext })) }
}

const VERDICTS = new Set(['ACCEPT', 'DROP', 'RETURN'])

/**
 * Reads iptables-restore input as `iptables-restore` (no --noflush) would apply it; throws IptablesError, its message
 * prefixed with the line, where the real one would refuse the whole input.
 */
export function parseRestore(text: string): IptRuleset {
  // A node's shell lists and saves the same text again and again until kube-proxy syncs: parse it once.
  if (text === lastParsed?.text) return lastParsed.ruleset
  const ruleset = readRestore(text)
  lastParsed = { text, ruleset }
  return ruleset
}

let lastParsed: { readonly text: string; readonly ruleset: IptRuleset } | undefined

function readRestore(text: string): IptRuleset {
  const tables = new Map<TableName, IptTable>()
  let current: TableBeingRead | undefined
  const lines = text.split('\n')
  lines.forEach((line, index) => {
    try {
      if (line.trim() === '' || line.startsWith('#')) return
      if (line.startsWith('*')) {
        if (current) fail(`table '${current.name}' was not committed`)
        const name = line.slice(1).trim()
        if (!(TABLE_ORDER as readonly string[]).includes(name)) fail(`table '${name}' does not exist`)
        const builtins = BUILTIN_CHAINS[name as TableName]
        current = { name: name as TableName, policies: new Map(builtins.map((c) => [c, 'ACCEPT'])), user: new Set(), rules: new Map(builtins.map((c) => [c, []])), touched: false }
        return
      }
      if (!current) fail('no table specified')
      const t = current!
      if (line.trim() === 'COMMIT') {
        for (const rules of t.rules.values()) for (const r of rules) {
          if (r.target && !r.target.ext && !VERDICTS.has(r.target.name) && !t.user.has(r.target.name)) fail(`Couldn't load target \`${r.target.name}':No such file or directory`)
        }
        // A section that declared no chain and wrote no rule creates nothing (measured: `*nat` then COMMIT saves no nat).
        if (t.touched) tables.set(t.name, freeze(t))
        current = undefined
        return
      }
      if (line.startsWith(':')) {
        const [chain = '', policy = ''] = line.slice(1).trim().split(/\s+/)
        if (t.policies.has(chain)) t.policies.set(chain, policy === 'DROP' || policy === 'ACCEPT' ? policy : fail(`Bad built-in chain policy \`${policy}'`))
        else if (policy !== '-') fail(`Can't set policy \`${policy}' on \`${chain}': Bad built-in chain name`)
        else {
          t.user.add(chain)
          t.rules.set(chain, t.rules.get(chain) ?? [])
        }
        t.touched = true
        return
      }
      const words = splitRestoreLine(line)
      if (words[0] !== '-A' && words[0] !== '--append') fail(`${words[0]} is not supported in this restore input`)
      const chain = words[1] ?? fail('option "-A" requires an argument')
      const rules = t.rules.get(chain) ?? fail(`Chain '${chain}' does not exist`)
      const rule = parseRuleArgs(words.slice(2))
      // iptables itself (not the kernel) refuses this one, with this message.
      if (t.name === 'nat' && rule.target?.name === 'DROP') fail('The "nat" table is not intended for filtering, the use of DROP is therefore inhibited.')
      rules.push(rule)
      t.touched = true
    } catch (e) {
      if (e instanceof IptablesError) throw new IptablesError(`line ${index + 1}: ${e.message}`)
      throw e
    }
  })
  if (current) fail(`table '${current.name}' was not committed`)
  return new Map(TABLE_ORDER.filter((n) => tables.has(n)).map((n) => [n, tables.get(n)!]))
}

interface TableBeingRead {
  name: TableName
  policies: Map<string, string>
  user: Set<string>
  rules: Map<string, IptRule[]>
  touched: boolean
}

function freeze(t: TableBeingRead): IptTable {
  return { name: t.name, policies: t.policies, chains: [...BUILTIN_CHAINS[t.name], ...[...t.user].sort(strcmp)], rules: t.rules }
}

/** Byte order, as strcmp sorts chain names (not the locale's order). */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
