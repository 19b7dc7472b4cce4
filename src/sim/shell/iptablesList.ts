import { numberToIp } from '../runtime/ip'
import { parseIptablesArgs, type ListRequest } from './iptablesArgs'
import { BUILTIN_CHAINS, parseRestore, protocolText, TABLE_ORDER, type Address, type IptRule, type IptTable, type TableName } from './iptablesRules'
import { IPTABLES_VERSION, maskText, saveRule } from './iptablesSave'
import { networkName } from './netdb'
import { fail, type RunResult } from './types'

/**
 * `iptables [-t table] -L [chain [rulenum]] [-n] [-v] [-x] [--line-numbers]` and `-S`, printed from kube-proxy's
 * restore input exactly as iptables 1.8.9 (nf_tables) prints it after that restore (print_header, print_rule_details,
 * print_ifaces, print_ipv4_addresses and each extension's print function; measured against the real tool):
 *
 *   Chain KUBE-SERVICES (2 references)
 *   num   pkts bytes target     prot opt in     out     source               destination
 *   1        0     0 KUBE-SVC-NPX46M4PTMTKRN6Y  6    --  *      *       0.0.0.0/0            10.96.0.1            /* default/kubernetes:https cluster IP *\/ tcp dpt:443
 *
 * Columns are printf's `%-9s ` and friends, so a long target pushes the rest of its line right; header lines keep
 * their trailing spaces. With -n the protocol column is a number (`6`, `0` for all: 1.8.9 skips the names under -n).
 *
 * Without -n, iptables asks the C library for names. Measured in a network namespace where DNS is unreachable, as
 * reverse lookups of Service and pod addresses also fail on a node: ports become /etc/services names (`dpt:http`,
 * `dpt:domain`, but `dpt:8080` is `http-alt` and NodePorts stay numbers), 0.0.0.0/0 is `anywhere`, an address the
 * node's /etc/hosts names is printed by that name (127.0.0.1 is `localhost`), a network /etc/networks names likewise
 * (`loopback/8` for 127.0.0.0/8), and every other address stays numeric; interfaces print `any` for none instead of `*`.
 */

/** Name resolution beyond Debian's defaults: the node's own /etc/hosts lines (address -> name), e.g. its hostname. */
export interface ListOptions {
  readonly hosts?: ReadonlyMap<string, string>
}

const pad = (text: string, width: number) => text.padEnd(width)

function addressText(a: Address | undefined, numeric: boolean, hosts: ReadonlyMap<string, string>): string {
  const addr = a?.addr ?? 0
  const mask = a?.mask ?? 0
  if (mask === 0 && !numeric) return 'anywhere'
  const ip = numberToIp(addr)
  const name = numeric ? ip : (hosts.get(ip) ?? networkName(addr) ?? ip)
  return `${name}${maskText(mask)}`
}

/** One rule's line in `iptables -L`, without its newline. */
function ruleLine(rule: IptRule, num: number, req: ListRequest, hosts: ReadonlyMap<string, string>): string {
  let out = req.lineNumbers ? `${pad(String(num), 4)} ` : ''
  if (req.verbose) out += req.exact ? `${'0'.padStart(8)} ${'0'.padStart(8)} ` : `${'0'.padStart(5)} ${'0'.padStart(5)} `
  const proto = rule.proto?.num ?? 0
  out += `${pad(rule.target?.name ?? '', 9)} ${rule.proto?.invert ? '!' : ' '}${pad((req.numeric ? undefined : protocolText(proto)) ?? String(proto), 4)} -- `
  if (req.verbose) {
    const iface = (i: IptRule['inIface']) => `${i?.invert ? '!' : ''}${i?.name ?? (req.numeric ? '*' : 'any')}`
    out += ` ${pad(iface(rule.inIface), 6)} ${pad(iface(rule.outIface), 6)} `
  }
  out += `${rule.src?.invert ? '!' : ' '}${pad(addressText(rule.src, req.numeric, hosts), 19)} `
  out += `${rule.dst?.invert ? '!' : ' '}${pad(addressText(rule.dst, req.numeric, hosts), 19)} `
  if (rule.target?.goto) out += '[goto] '
  for (const m of rule.matches) out += m.ext.print(req.numeric)
  return out + (rule.target?.ext?.print(req.numeric) ?? '')
}

/** The two header lines of a chain: its name with its policy or reference count, then the column titles. */
function chainHeader(table: IptTable, chain: string, req: ListRequest): string[] {
  const builtin = BUILTIN_CHAINS[table.name].includes(chain)
  let references = 0
  // Every jump and goto to the chain from anywhere in the table counts, as nft's chain use count does.
  for (const rules of table.rules.values()) for (const r of rules) if (r.target?.name === chain && !r.target.ext) references++
  const title = builtin ? `Chain ${chain} (policy ${table.policies.get(chain)}${req.verbose ? ' 0 packets, 0 bytes' : ''})` : `Chain ${chain} (${references} references)`
  let columns = req.lineNumbers ? 'num  ' : ''
  if (req.verbose) columns += req.exact ? `${'pkts'.padStart(8)} ${'bytes'.padStart(10)} ` : ' pkts bytes '
  columns += `${pad('target', 9)}  prot opt`
  if (req.verbose) columns += ` ${pad('in', 6)} ${pad('out', 6)} `
  columns += ` ${pad('source', 19)}  ${pad('destination', 19)} `
  return [title, columns]
}

function list(table: IptTable, req: ListRequest, hosts: ReadonlyMap<string, string>): string[] {
  const lines: string[] = []
  for (const chain of req.chain !== undefined ? [req.chain] : table.chains) {
    const rules = table.rules.get(chain) ?? []
    if (req.ruleNum !== undefined) {
      // One rule asked for by number: its line alone, no header (and nothing when there is no such rule).
      const rule = rules[req.ruleNum - 1]
      if (rule) lines.push(ruleLine(rule, req.ruleNum, req, hosts))
      continue
    }
    if (lines.length) lines.push('')
    lines.push(...chainHeader(table, chain, req), ...rules.map((r, i) => ruleLine(r, i + 1, req, hosts)))
  }
  return lines
}

/** `iptables -S`: -P for built-in chains, -N for user chains, then the rules as iptables-save writes them. */
function listRules(table: IptTable, req: ListRequest): string[] {
  const counters = req.verbose ? ' -c 0 0' : ''
  const declare = (c: string) => (BUILTIN_CHAINS[table.name].includes(c) ? `-P ${c} ${table.policies.get(c)}${counters}` : `-N ${c}`)
  const rulesOf = (c: string) => (table.rules.get(c) ?? []).map((r) => saveRule(c, r, req.verbose))
  if (req.chain === undefined) return [...table.chains.map(declare), ...table.chains.flatMap(rulesOf)]
  if (req.ruleNum !== undefined) return rulesOf(req.chain).slice(req.ruleNum - 1, req.ruleNum)
  return [declare(req.chain), ...rulesOf(req.chain)]
}

/**
 * What `iptables <args>` prints on a node whose tables were loaded from `restoreText` (kube-proxy's iptables-restore
 * input): `args` are the words after `iptables`. Listing commands (-L, -S, -V) are answered as the real tool answers
 * them, errors included (messages and exit codes measured); commands that change rules are refused.
 */
export function iptablesList(restoreText: string, args: readonly string[], options: ListOptions = {}): RunResult {
  const req = parseIptablesArgs(args)
  if ('exitCode' in req) return req
  if (!(TABLE_ORDER as readonly string[]).includes(req.table)) {
    return fail(`${req.warning ?? ''}iptables ${IPTABLES_VERSION}: table '${req.table}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n`, 3)
  }
  const name = req.table as TableName
  // A table the restore never wrote still lists: nft creates its built-in chains, empty, with policy ACCEPT.
  const table: IptTable = parseRestore(restoreText).get(name) ?? {
    name,
    policies: new Map(BUILTIN_CHAINS[name].map((c) => [c, 'ACCEPT'])),
    chains: BUILTIN_CHAINS[name],
    rules: new Map(),
  }
  if (req.chain !== undefined && !table.chains.includes(req.chain)) {
    // What iptables-nft 1.8.9 says for a chain that does not exist (not "No chain/target/match by that name.").
    return fail(`${req.warning ?? ''}iptables ${IPTABLES_VERSION}: chain \`${req.chain}' in table \`${req.table}' is incompatible, use 'nft' tool.\n`, 1)
  }
  const hosts = new Map([['127.0.0.1', 'localhost'], ...(options.hosts ?? [])])
  const lines = req.command === 'list' ? list(table, req, hosts) : listRules(table, req)
  return { exitCode: 0, stdout: lines.map((l) => `${l}\n`).join(''), stderr: req.warning ?? '' }
}
