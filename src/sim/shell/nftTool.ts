import type { NftTable } from '../model/nftables'
import { nftCheck } from './nftCheck'
import { nftListChain, nftListMap, nftListObjects, nftListRuleset, nftListSet, nftListTable } from './nftList'
import { describe, errorText, scan, type Token } from './nftScanner'
import { fail, ok, type RunResult } from './types'

/** What `nft --version` prints on the simulated node (Debian 12's nftables, as on a kind node). */
export const NFT_VERSION = 'nftables v1.0.6 (Lester Gooch #5)'

const FAMILIES = new Set(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'])
const END = 'end of file or newline or semicolon'
/** Options the real nft has that change its output in ways not simulated here. */
const UNSIMULATED = new Set(['-n', '--numeric', '-a', '--handle', '-j', '--json', '-e', '--echo', '-i', '--interactive', '-t', '--terse', '-N', '--reversedns', '-S', '--service', '-p', '--numeric-protocol', '-T', '--numeric-time', '-d', '--debug', '-I', '--includepath', '-D', '--define'])

/**
 * `nft` on a node: listing kube-proxy's table (`list ruleset|table|chain|set|map|tables|chains|sets|maps`), checking a
 * ruleset file (`-c -f FILE`, `-c -f -` for standard input), `--version`. `table` is kube-proxy's table, undefined in
 * iptables or IPVS mode (then nft lists nothing of kube-proxy's). Errors are nft 1.0.6's, carets and all. Changing the
 * ruleset is refused: kube-proxy owns it and would rewrite it at its next sync.
 */
export function nftCommand(table: NftTable | undefined, args: readonly string[], stdin: string, files: Readonly<Record<string, string>>): RunResult {
  let check = false
  let file: string | undefined
  const words: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (words.length > 0 || !a.startsWith('-') || a === '-') {
      words.push(a)
      continue
    }
    if (a === '-v' || a === '--version') return ok(`${NFT_VERSION}\n`)
    if (a === '-V') return ok(`${NFT_VERSION}\n  cli:\t\teditline\n  json:\t\tyes\n  minigmp:\tno\n  libxtables:\tyes\n`)
    if (a === '-c' || a === '--check') check = true
    else if (a === '-s' || a === '--stateless' || a === '-y' || a === '--numeric-priority') continue
    else if (a === '-f' || a === '--file') {
      if (i + 1 >= args.length) return fail(`nft: option requires an argument -- 'f'`)
      file = args[++i]!
    } else if (a.startsWith('--file=')) file = a.slice('--file='.length)
    else if (UNSIMULATED.has(a)) return fail(`nft: ${a} is not simulated here`)
    else if (a.startsWith('--')) return fail(`nft: unrecognized option '${a}'`)
    else if (/^-[cf]+$/.test(a)) {
      // Short options run together (-cf FILE), as getopt allows.
      check = true
      if (a.includes('f')) {
        if (i + 1 >= args.length) return fail(`nft: option requires an argument -- 'f'`)
        file = args[++i]!
      }
    } else return fail(`nft: invalid option -- '${a[1]}'`)
  }
  if (file !== undefined) return runFile(table, file, check, stdin, files)
  if (words.length === 0) return fail('nft: no command specified')
  return runCommand(table, words.join(' '))
}

function runFile(table: NftTable | undefined, file: string, check: boolean, stdin: string, files: Readonly<Record<string, string>>): RunResult {
  const source = file === '-' || file === '/dev/stdin' ? stdin : files[file]
  if (source === undefined) return fail(`internal:0:0-0: Error: Could not open file "${file}": No such file or directory\n\n\n`)
  const errors = nftCheck(table, source, file === '-' ? '/dev/stdin' : file)
  if (errors) return fail(errors)
  if (check) return ok('')
  return fail('nft: the ruleset here is kube-proxy\'s, which rewrites it at every sync: only -c (--check) is run on the simulated node')
}

class Refusal {
  constructor(
    readonly at: Token,
    readonly message: string,
  ) {}
}

/** One command line (`list chain ip kube-proxy services`), parsed as nft parses it, so its errors point where nft's do. */
function runCommand(table: NftTable | undefined, line: string): RunResult {
  // The command line ends as a line of input does, so its last error is at a newline.
  const tokens = scan(`${line}\n`)
  let i = 0
  const peek = () => tokens[Math.min(i, tokens.length - 1)]!
  const next = () => tokens[Math.min(i++, tokens.length - 1)]!
  const syntax = (at: Token, expecting?: string) => new Refusal(at, `syntax error, unexpected ${describe(at)}${expecting ? `, expecting ${expecting}` : ''}`)
  const name = () => {
    const t = peek()
    if ((t.kind === 'word' && describe(t) === 'string') || t.kind === 'quoted') return next()
    throw syntax(t, 'string')
  }
  const family = () => (peek().kind === 'word' && FAMILIES.has(peek().text) ? next().text : 'ip')
  const end = () => {
    if (peek().kind !== 'newline' && !(peek().kind === 'punct' && peek().text === ';')) throw syntax(peek(), END)
  }
  const ours = (fam: string, t: Token) => fam === 'ip' && table !== undefined && t.text === table.name
  const missing = (t: Token) => new Refusal(t, 'No such file or directory')
  try {
    const verb = next()
    if (verb.kind === 'word' && describe(verb) === 'string') {
      // A bare name starts `TABLE CHAIN RULE` (an add rule without its verb): a chain and a statement must follow.
      name()
      throw syntax(peek())
    }
    if (verb.text !== 'list') {
      if (verb.kind === 'word' && ['add', 'create', 'insert', 'replace', 'delete', 'destroy', 'flush', 'reset', 'rename'].includes(verb.text)) {
        return fail('nft: the ruleset here is kube-proxy\'s, which rewrites it at every sync: only listing and -c (--check) are run on the simulated node')
      }
      throw syntax(verb)
    }
    const what = next()
    switch (what.kind === 'word' ? what.text : '') {
      case 'ruleset': {
        const fam = family()
        end()
        return ok(fam === 'ip' ? nftListRuleset(table) : '')
      }
      case 'tables': {
        const fam = family()
        end()
        return ok(table && fam === 'ip' ? `table ${table.family} ${table.name}\n` : '')
      }
      case 'chains':
      case 'sets':
      case 'maps': {
        const fam = family()
        end()
        return ok(fam === 'ip' ? nftListObjects(table, what.text as 'chains' | 'sets' | 'maps') : '')
      }
      case 'table': {
        const fam = family()
        const t = name()
        end()
        if (!ours(fam, t)) throw missing(t)
        return ok(nftListTable(table!))
      }
      case 'chain':
      case 'set':
      case 'map': {
        const fam = family()
        const t = name()
        const object = name()
        end()
        if (!ours(fam, t)) throw missing(t)
        const list = what.text === 'chain' ? nftListChain : what.text === 'set' ? nftListSet : nftListMap
        const text = list(table!, object.text)
        if (text === undefined) throw missing(object)
        return ok(text)
      }
      default:
        throw syntax(what)
    }
  } catch (e) {
    if (!(e instanceof Refusal)) throw e
    return fail(errorText(undefined, line, e.at, e.message))
  }
}
