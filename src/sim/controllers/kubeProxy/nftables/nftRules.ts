import type { NftAction, NftField, NftMatch, NftRule, NftVerdict } from '../../../model/nftables'
import { ipToNumber, numberToIp, parseCidr } from '../../../runtime/ip'

/**
 * The statements kube-proxy's nftables proxier writes, each built once with three faces: the structured form a packet
 * walks, the text kube-proxy hands knftables (`source`), and the text nft 1.0.6 lists back (`text`), which the real
 * `nft list ruleset` was checked against (it spells marks in full hex, `meta mark`, and sorts anonymous sets).
 */
export interface Part<T> {
  readonly value: T
  readonly source: string
  readonly text: string
}

const same = <T>(value: T, text: string): Part<T> => ({ value, source: text, text })

/** A rule from its conditions and its action, with kube-proxy's comment if any (nft prints it last). */
export function nftRule(matches: readonly Part<NftMatch>[], action: Part<NftAction>, comment?: string): NftRule {
  const source = [...matches.map((m) => m.source), action.source].join(' ')
  const text = [...matches.map((m) => m.text), action.text].join(' ') + (comment !== undefined ? ` comment "${comment}"` : '')
  return { text, source, ...(comment !== undefined ? { comment } : {}), matches: matches.map((m) => m.value), action: action.value }
}

/** `accept`, `drop`, `jump services`, `goto reject-chain`. */
export function verdictText(v: NftVerdict): string {
  return v.kind === 'jump' || v.kind === 'goto' ? `${v.kind} ${v.chain}` : v.kind
}

/** 0x4000 as nft prints a mark: eight hex digits. */
const hex32 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`

// --- conditions

export const ctStateNew = (): Part<NftMatch> => same({ kind: 'ct-state', states: ['new'] }, 'ct state new')

/** `ip daddr 172.30.0.41` or `ip saddr != 10.0.0.0/8`: one address or prefix, as kube-proxy writes it. */
export function ipMatch(field: 'saddr' | 'daddr', prefix: string, negate = false): Part<NftMatch> {
  return same({ kind: 'ip', field, negate, prefixes: [prefix] }, `ip ${field} ${negate ? '!= ' : ''}${prefixText(prefix)}`)
}

/**
 * `ip saddr != { 203.0.113.0/25 , 5.6.7.8 }`: an anonymous set, as kube-proxy writes it (braces even for one element);
 * nft lists it sorted and merged, and without braces when it had only one element.
 */
export function ipSetLiteral(field: 'saddr' | 'daddr', prefixes: readonly string[], negate: boolean): Part<NftMatch> {
  const op = negate ? '!= ' : ''
  return {
    value: { kind: 'ip', field, negate, prefixes },
    source: `ip ${field} ${op}{ ${prefixes.join(' , ')} }`,
    text: `ip ${field} ${op}${anonymousSetText(prefixes)}`,
  }
}

/** `ip daddr @nodeport-ips` */
export const ipInSet = (field: 'saddr' | 'daddr', set: string): Part<NftMatch> => same({ kind: 'ip-set', field, set }, `ip ${field} @${set}`)

/** `fib saddr type local` */
export const fibLocal = (field: 'saddr' | 'daddr'): Part<NftMatch> => same({ kind: 'fib-local', field }, `fib ${field} type local`)

/** `meta l4proto tcp` */
export const l4proto = (proto: 'tcp' | 'udp' | 'sctp'): Part<NftMatch> => same({ kind: 'l4proto', proto }, `meta l4proto ${proto}`)

/** `tcp dport 80` */
export const dport = (proto: 'tcp' | 'udp' | 'sctp', port: number): Part<NftMatch> => same({ kind: 'dport', proto, port }, `${proto} dport ${port}`)

/** `mark and 0x4000 == 0`, listed `meta mark & 0x00004000 == 0x00000000`. */
export function markClear(mask: number, written: string): Part<NftMatch> {
  return { value: { kind: 'mark', mask, value: 0 }, source: `mark and ${written} == 0`, text: `meta mark & ${hex32(mask)} == ${hex32(0)}` }
}

// --- actions

export const verdict = (v: NftVerdict): Part<NftAction> => same({ kind: 'verdict', verdict: v }, verdictText(v))
export const jump = (chain: string) => verdict({ kind: 'jump', chain })
export const goto = (chain: string) => verdict({ kind: 'goto', chain })

/** `ip daddr . meta l4proto . th dport vmap @service-ips` */
export const vmapLookup = (key: readonly NftField[], map: string): Part<NftAction> => same({ kind: 'vmap', key, map }, `${key.join(' . ')} vmap @${map}`)

/** `numgen random mod 2 vmap { 0 : goto A , 1 : goto B }`, listed with nft's `, ` between elements. */
export function numgenPick(verdicts: readonly NftVerdict[]): Part<NftAction> {
  const elements = verdicts.map((v, i) => `${i} : ${verdictText(v)}`)
  const head = `numgen random mod ${verdicts.length} vmap`
  return { value: { kind: 'numgen', mod: verdicts.length, verdicts }, source: `${head} { ${elements.join(' , ')} }`, text: `${head} { ${elements.join(', ')} }` }
}

/** `mark set mark or 0x4000`, listed `meta mark set meta mark | 0x00004000` (xor: `^`). */
export function setMark(op: 'or' | 'xor', value: number, written: string): Part<NftAction> {
  return { value: { kind: 'mark', op, value }, source: `mark set mark ${op} ${written}`, text: `meta mark set meta mark ${op === 'or' ? '|' : '^'} ${hex32(value)}` }
}

export const masquerade = (): Part<NftAction> => same({ kind: 'masquerade', fullyRandom: true }, 'masquerade fully-random')

/** `dnat to 10.180.0.1:80` (kube-proxy puts `meta l4proto tcp` before it). */
export const dnatTo = (ip: string, port: number): Part<NftAction> => same({ kind: 'dnat', ip, port }, `dnat to ${ip}:${port}`)

/** `update @affinity-... { ip saddr }` */
export const updateSet = (set: string, field: 'saddr' | 'daddr'): Part<NftAction> => same({ kind: 'update', set, field }, `update @${set} { ip ${field} }`)

// --- addresses

/** A prefix as nft prints it: a /32 is the bare address. */
export function prefixText(prefix: string): string {
  return prefix.endsWith('/32') ? prefix.slice(0, -3) : prefix
}

/** A CIDR as Go's IPNet.String() prints it (host bits cleared), or undefined when it does not parse. */
export function canonicalCidr(text: string): string | undefined {
  const t = text.trim()
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(t)) return undefined
  const c = parseCidr(t)
  if (Number.isNaN(c.base) || c.bits > 32) return undefined
  return `${numberToIp(c.base)}/${c.bits}`
}

interface Interval {
  start: number
  end: number
  single: boolean
}

function interval(prefix: string): Interval {
  if (!prefix.includes('/')) {
    const n = ipToNumber(prefix)
    return { start: n, end: n, single: true }
  }
  const c = parseCidr(prefix)
  return { start: c.base, end: c.base + c.size - 1, single: c.size === 1 }
}

/** An interval as nft prints it: an address, a prefix when it is one, else `first-last`. */
function intervalText(i: Interval): string {
  if (i.start === i.end) return numberToIp(i.start)
  const size = i.end - i.start + 1
  const bits = 32 - Math.log2(size)
  if (Number.isInteger(bits) && i.start % size === 0) return `${numberToIp(i.start)}/${bits}`
  return `${numberToIp(i.start)}-${numberToIp(i.end)}`
}

/**
 * An anonymous interval set as nft lists it: sorted, overlapping elements merged and so are adjacent ones when one is a
 * range (two neighbouring addresses stay apart), braces kept unless it was written with a single element.
 */
export function anonymousSetText(prefixes: readonly string[]): string {
  const sorted = prefixes.map(interval).sort((a, b) => a.start - b.start || a.end - b.end)
  const merged: Interval[] = []
  for (const i of sorted) {
    const last = merged[merged.length - 1]
    if (last && (i.start <= last.end || (i.start === last.end + 1 && !(last.single && i.single)))) {
      last.end = Math.max(last.end, i.end)
      last.single = false
    } else merged.push({ ...i })
  }
  const body = merged.map(intervalText).join(', ')
  return prefixes.length === 1 ? body : `{ ${body} }`
}
