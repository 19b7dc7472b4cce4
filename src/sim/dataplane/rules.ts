import { parseCidr, type Cidr } from '../runtime/ip'

/** One match of a rule, as iptables evaluates it. */
export type Match =
  | { readonly kind: 'proto'; readonly proto: string }
  | { readonly kind: 'src' | 'dst'; readonly cidr: Cidr; readonly negate: boolean }
  | { readonly kind: 'dport'; readonly port: number }
  | { readonly kind: 'addrtype'; readonly which: 'src' | 'dst'; readonly type: string; readonly negate: boolean }
  | { readonly kind: 'mark'; readonly value: number; readonly mask: number; readonly negate: boolean }
  | { readonly kind: 'ctstate'; readonly states: readonly string[]; readonly negate: boolean }
  | { readonly kind: 'statistic'; readonly probability: number; readonly text: string }
  | { readonly kind: 'recent-check'; readonly name: string; readonly seconds: number }
  | { readonly kind: 'recent-set'; readonly name: string }
  | { readonly kind: 'nfacct'; readonly name: string }
  /** `-m set [!] --match-set NAME dst,dst`: the packet's address/port per flag (src or dst) looked up in an ipset. */
  | { readonly kind: 'set'; readonly name: string; readonly flags: readonly ('src' | 'dst')[]; readonly negate: boolean }
  /** `-m physdev [!] --physdev-is-in`: the packet came in through a bridge port (a pod on cni0). */
  | { readonly kind: 'physdev-in'; readonly negate: boolean }
  /** `-m ipvs --vaddr A --vproto P --vport N`: the packet belongs to an IPVS connection to that virtual server. */
  | { readonly kind: 'ipvs'; readonly field: 'vaddr' | 'vproto' | 'vport'; readonly value: string; readonly negate: boolean }

/** What a rule does when it matches. */
export type Target =
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'accept' | 'drop' | 'reject' | 'return' | 'none' }
  | { readonly kind: 'masquerade'; readonly randomFully: boolean }
  | { readonly kind: 'dnat'; readonly ip: string; readonly port: number }
  | { readonly kind: 'mark'; readonly op: 'or' | 'xor'; readonly value: number }

/** A parsed `-A CHAIN ...` line; `line` is the exact text a student reads. */
export interface ParsedRule {
  readonly chain: string
  readonly line: string
  readonly matches: readonly Match[]
  readonly target: Target
  readonly comment?: string
}

const BUILTIN_TARGETS: Record<string, 'accept' | 'drop' | 'reject' | 'return'> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'reject', RETURN: 'return' }

/** Splits on spaces, keeping "quoted comments" whole. */
function tokens(line: string): string[] {
  const out: string[] = []
  for (const m of line.matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!)
  return out
}

const cache = new Map<string, ParsedRule>()

/** Parses the rule syntax kube-proxy and flannel write (the subset of iptables they use); cached per line. */
export function parseRule(line: string): ParsedRule {
  const hit = cache.get(line)
  if (hit) return hit
  const t = tokens(line)
  if (t[0] !== '-A') throw new Error(`not a rule: ${line}`)
  const chain = t[1]!
  const matches: Match[] = []
  let target: Target = { kind: 'none' }
  let comment: string | undefined
  let negate = false
  for (let i = 2; i < t.length; i++) {
    const tok = t[i]!
    switch (tok) {
      case '!':
        negate = true
        continue
      case '-m': {
        const module = t[++i]!
        if (module === 'statistic') {
          // --mode random --probability P
          const p = t[i + 4]!
          matches.push({ kind: 'statistic', probability: Number(p), text: p })
          i += 4
        } else if (module === 'recent') {
          const name = t[i + 2]!
          if (t[i + 3] === '--rcheck') {
            matches.push({ kind: 'recent-check', name, seconds: Number(t[i + 5]) })
            i += 6
          } else {
            matches.push({ kind: 'recent-set', name })
            i += 3
          }
        } else if (module === 'nfacct') {
          // --nfacct-name NAME: counts the packet in that accounting object and always matches.
          matches.push({ kind: 'nfacct', name: t[i + 2]! })
          i += 2
        }
        break
      }
      case '--comment':
        comment = t[++i]
        break
      case '-p':
        matches.push({ kind: 'proto', proto: t[++i]! })
        break
      case '-s':
      case '-d':
        matches.push({ kind: tok === '-s' ? 'src' : 'dst', cidr: parseCidr(t[++i]!.includes('/') ? t[i]! : `${t[i]}/32`), negate })
        break
      case '--dport':
        matches.push({ kind: 'dport', port: Number(t[++i]) })
        break
      case '--dst-type':
      case '--src-type':
        matches.push({ kind: 'addrtype', which: tok === '--dst-type' ? 'dst' : 'src', type: t[++i]!, negate })
        break
      case '--match-set': {
        const name = t[++i]!
        matches.push({ kind: 'set', name, flags: t[++i]!.split(',') as ('src' | 'dst')[], negate })
        break
      }
      case '--physdev-is-in':
        matches.push({ kind: 'physdev-in', negate })
        break
      case '--vaddr':
      case '--vproto':
      case '--vport':
        matches.push({ kind: 'ipvs', field: tok.slice(2) as 'vaddr' | 'vproto' | 'vport', value: t[++i]!, negate })
        break
      case '--mark': {
        const [v, m] = t[++i]!.split('/')
        matches.push({ kind: 'mark', value: Number(v), mask: Number(m ?? '0xffffffff'), negate })
        break
      }
      case '--ctstate':
        matches.push({ kind: 'ctstate', states: t[++i]!.split(','), negate })
        break
      case '-j': {
        const name = t[++i]!
        if (name === 'DNAT') {
          const [ip, port] = t[i + 2]!.split(':')
          target = { kind: 'dnat', ip: ip!, port: Number(port) }
          i += 2
        } else if (name === 'MARK') {
          target = { kind: 'mark', op: t[i + 1] === '--or-mark' ? 'or' : 'xor', value: Number(t[i + 2]) }
          i += 2
        } else if (name === 'MASQUERADE') {
          const randomFully = t[i + 1] === '--random-fully'
          target = { kind: 'masquerade', randomFully }
          if (randomFully) i++
        } else if (BUILTIN_TARGETS[name]) {
          target = { kind: BUILTIN_TARGETS[name] } as Target
        } else {
          target = { kind: 'jump', chain: name }
        }
        break
      }
    }
    negate = false
  }
  const rule: ParsedRule = { chain, line, matches, target, ...(comment !== undefined ? { comment } : {}) }
  if (cache.size > 400_000) cache.clear()
  cache.set(line, rule)
  return rule
}

