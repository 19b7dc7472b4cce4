import type { NftBaseChain, NftChain, NftDataType, NftElement, NftMap, NftSet, NftTable } from '../model/nftables'
import { verdictText } from '../controllers/kubeProxy/nftables/nftRules'
import { ipToNumber } from '../runtime/ip'

/**
 * What nft 1.0.6 (Debian 12's, a kind node's) prints when it lists kube-proxy's table: tabs, `policy accept;`,
 * priorities named where the hook allows, set elements sorted as the kernel's key bytes compare and wrapped. Checked
 * against the real `nft list` in a private network namespace (see nftOracle.test.ts).
 */

/** nft's standard priorities, in the order prio2str tries them; dstnat and srcnat are names only at their own hook. */
const STD_PRIOS: readonly [string, number, string?][] = [['raw', -300], ['mangle', -150], ['dstnat', -100, 'prerouting'], ['filter', 0], ['security', 50], ['srcnat', 100, 'postrouting']]

/** prio2str: a standard priority within 10 of this one names it (`dstnat - 10`), unless the hook may not use it. */
export function priorityText(base: NftBaseChain): string {
  for (const [name, value, hook] of STD_PRIOS) {
    if (Math.abs(base.priority - value) > 10) continue
    if (hook && hook !== base.hook) break
    const offset = base.priority - value
    return offset === 0 ? name : `${name} ${offset > 0 ? '+' : '-'} ${Math.abs(offset)}`
  }
  return String(base.priority)
}

/** nft's time_print: 10800 seconds is `3h`, 90 is `1m30s`. */
export function timeText(seconds: number): string {
  const units: [string, number][] = [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]]
  let rest = seconds
  let out = ''
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size)
    if (n > 0) out += `${n}${unit}`
    rest -= n * size
  }
  return out || '0s'
}

const PROTO_NUMBERS: Record<string, number> = { tcp: 6, udp: 17, sctp: 132 }

/** A key part as the kernel holds it, in 32-bit registers (addresses and ports big-endian, protocols one byte). */
function registerBytes(type: NftDataType, value: string): number[] {
  if (type === 'ipv4_addr') {
    const n = ipToNumber(value)
    return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]
  }
  if (type === 'inet_proto') return [PROTO_NUMBERS[value] ?? Number(value), 0, 0, 0]
  const port = Number(value)
  return [(port >> 8) & 255, port & 255, 0, 0]
}

/**
 * The order nft lists elements in: a single address type by value; a concatenation by its register bytes read as one
 * host-endian (little-endian) number, so the port's low byte weighs most (`tcp . 32000` before `udp . 30001`).
 */
export function sortedElements(set: NftSet | NftMap): NftElement[] {
  if (set.type.length === 1) {
    const t = set.type[0]!
    return [...set.elements].sort((a, b) => compareBytes(registerBytes(t, a.key[0]!), registerBytes(t, b.key[0]!), false))
  }
  const bytes = (e: NftElement) => e.key.flatMap((v, i) => registerBytes(set.type[i]!, v))
  return set.elements.map((e) => ({ e, b: bytes(e) })).sort((x, y) => compareBytes(x.b, y.b, true)).map((x) => x.e)
}

function compareBytes(a: readonly number[], b: readonly number[], littleEndian: boolean): number {
  for (let k = 0; k < a.length; k++) {
    const i = littleEndian ? a.length - 1 - k : k
    if (a[i] !== b[i]) return a[i]! - b[i]!
  }
  return 0
}

/** One element as nft lists it: `172.30.0.46 . tcp . 80 comment "ns6/svc6:p80" : goto reject-chain`. */
function elementText(e: NftElement): string {
  return `${e.key.join(' . ')}${e.comment !== undefined ? ` comment "${e.comment}"` : ''}${e.value ? ` : ${verdictText(e.value)}` : ''}`
}

/** calculate_delim: addresses two to a line, protocols and ports sixteen, a concatenation or a map element one. */
function perLine(set: NftSet | NftMap): number {
  if (set.type.length > 1) return 1
  return set.type[0] === 'ipv4_addr' ? 2 : 16
}

function elementsText(set: NftSet | NftMap): string {
  const per = perLine(set)
  let out = ''
  sortedElements(set).forEach((e, i) => {
    if (i > 0) out += i % per === 0 ? ',\n\t\t\t     ' : ', '
    out += elementText(e)
  })
  return `\t\telements = { ${out} }\n`
}

function setText(set: NftSet | NftMap, withElements: boolean): string {
  let out = `\t${set.kind} ${set.name} {\n\t\ttype ${set.type.join(' . ')}${set.kind === 'map' ? ' : verdict' : ''}\n`
  // Sets the packet path adds to (dynamic) get the kernel's default size, and nft shows it.
  if (set.flags?.includes('dynamic')) out += '\t\tsize 65535\n'
  if (set.flags?.length) out += `\t\tflags ${set.flags.join(',')}\n`
  if (set.timeout !== undefined) out += `\t\ttimeout ${timeText(set.timeout)}\n`
  if (set.comment !== undefined) out += `\t\tcomment "${set.comment}"\n`
  if (withElements && set.elements.length > 0) out += elementsText(set)
  return `${out}\t}\n`
}

function chainText(chain: NftChain, withRules: boolean): string {
  let out = `\tchain ${chain.name} {\n`
  if (chain.comment !== undefined) out += `\t\tcomment "${chain.comment}"\n`
  if (chain.base) out += `\t\ttype ${chain.base.type} hook ${chain.base.hook} priority ${priorityText(chain.base)}; policy accept;\n`
  if (withRules) for (const r of chain.rules) out += `\t\t${r.text}\n`
  return `${out}\t}\n`
}

const wrap = (table: NftTable, body: string) => `table ${table.family} ${table.name} {\n${body}}\n`

/** `nft list table ip kube-proxy`: the comment, the sets and maps, then the chains, a blank line between each. */
export function nftListTable(table: NftTable): string {
  const blocks = [...table.sets.map((s) => setText(s, true)), ...table.chains.map((c) => chainText(c, true))]
  return wrap(table, `${table.comment !== undefined ? `\tcomment "${table.comment}"\n` : ''}${blocks.join('\n')}`)
}

/**
 * `nft list ruleset`: every table, here kube-proxy's (undefined in iptables or IPVS mode, when nft shows nothing of
 * kube-proxy's). `otherTables` is what nft prints before it for tables others made (flannel's and the kubelet's
 * iptables-nft tables), if the caller models them.
 */
export function nftListRuleset(table: NftTable | undefined, otherTables = ''): string {
  return otherTables + (table ? nftListTable(table) : '')
}

/** `nft list chain ip kube-proxy NAME`, or undefined when there is no such chain. */
export function nftListChain(table: NftTable, name: string): string | undefined {
  const chain = table.chains.find((c) => c.name === name)
  return chain && wrap(table, chainText(chain, true))
}

/** `nft list set ip kube-proxy NAME`: only a set (a map's name is "No such file or directory" here, as in nft). */
export function nftListSet(table: NftTable, name: string): string | undefined {
  const set = table.sets.find((s) => s.kind === 'set' && s.name === name)
  return set && wrap(table, setText(set, true))
}

/** `nft list map ip kube-proxy NAME`. */
export function nftListMap(table: NftTable, name: string): string | undefined {
  const map = table.sets.find((s) => s.kind === 'map' && s.name === name)
  return map && wrap(table, setText(map, true))
}

/** `nft list chains|sets|maps`: declarations without rules, no blank lines between them. */
export function nftListObjects(table: NftTable | undefined, what: 'chains' | 'sets' | 'maps'): string {
  if (!table) return ''
  if (what === 'chains') return wrap(table, table.chains.map((c) => chainText(c, false)).join(''))
  const kind = what === 'sets' ? 'set' : 'map'
  return wrap(table, table.sets.filter((s) => s.kind === kind).map((s) => setText(s, true)).join(''))
}
