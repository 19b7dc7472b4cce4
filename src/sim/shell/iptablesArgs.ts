import { fail, ok, type RunResult } from './types'
import { MATCHES } from './iptablesExtensions'
import { IPTABLES_VERSION } from './iptablesSave'

/**
 * `iptables`' command line as iptables 1.8.9 reads it (xshared.c do_parse): glibc getopt_long over its option string,
 * short options bundled (`-nvL`, `-tnat`, `-LINPUT`), long options by unique prefix (`--line` for --line-numbers),
 * and its own messages and exit codes for what it refuses, measured with the real tool.
 */

/** What a listing command asks for: -L (list) or -S (list-rules), on which table and chain, and how. */
export interface ListRequest {
  readonly command: 'list' | 'list-rules'
  readonly table: string
  readonly chain?: string
  readonly ruleNum?: number
  readonly numeric: boolean
  /** -v given at least once. */
  readonly verbose: boolean
  readonly exact: boolean
  readonly lineNumbers: boolean
  /** What iptables says on stderr before listing anyway (`-W` is deprecated). */
  readonly warning?: string
}

const TRY_HELP = "Try `iptables -h' or 'iptables --help' for more information.\n"

/** PARAMETER_PROBLEM: the message after the program's banner, the hint to try -h, exit status 2. */
export const parameterProblem = (message: string): RunResult => fail(`iptables ${IPTABLES_VERSION}: ${message}\n${TRY_HELP}`, 2)

/** xtables_original_opts: long name, how it takes an argument (0 no, 1 required, 2 optional), and its short letter. */
const LONG_OPTIONS: readonly (readonly [string, 0 | 1 | 2, string])[] = [
  ['append', 1, 'A'], ['delete', 1, 'D'], ['check', 1, 'C'], ['insert', 1, 'I'], ['replace', 1, 'R'], ['list', 2, 'L'],
  ['list-rules', 2, 'S'], ['flush', 2, 'F'], ['zero', 2, 'Z'], ['new-chain', 1, 'N'], ['delete-chain', 2, 'X'],
  ['rename-chain', 1, 'E'], ['policy', 1, 'P'], ['source', 1, 's'], ['destination', 1, 'd'], ['src', 1, 's'], ['dst', 1, 'd'],
  ['protocol', 1, 'p'], ['in-interface', 1, 'i'], ['jump', 1, 'j'], ['table', 1, 't'], ['match', 1, 'm'], ['numeric', 0, 'n'],
  ['out-interface', 1, 'o'], ['verbose', 0, 'v'], ['wait', 2, 'w'], ['wait-interval', 2, 'W'], ['exact', 0, 'x'],
  ['fragments', 0, 'f'], ['version', 0, 'V'], ['help', 2, 'h'], ['line-numbers', 0, '0'], ['modprobe', 1, 'M'],
  ['set-counters', 1, 'c'], ['goto', 1, 'g'], ['ipv4', 0, '4'], ['ipv6', 0, '6'],
]

/** The short options: a letter followed by `:` takes an argument, by `::` may have one attached. */
const SHORT_OPTIONS = 'A:C:D:R:I:L::S::M:F::Z::N:X::E:P:Vh::o:p:s:d:j:i:fbvw::W::nt:m:xc:g:46'

function shortArity(letter: string): 0 | 1 | 2 | undefined {
  const at = SHORT_OPTIONS.indexOf(letter)
  if (at < 0 || letter === ':') return undefined
  return SHORT_OPTIONS.startsWith('::', at + 1) ? 2 : SHORT_OPTIONS[at + 1] === ':' ? 1 : 0
}

/** Long option lookup as glibc does it: exact name, else a unique prefix (prefixes of synonyms are not ambiguous). */
function findLong(name: string): readonly [string, 0 | 1 | 2, string] | undefined {
  const exact = LONG_OPTIONS.find(([n]) => n === name)
  if (exact) return exact
  const candidates = LONG_OPTIONS.filter(([n]) => n.startsWith(name))
  return candidates.length > 0 && candidates.every(([, a, l]) => a === candidates[0]![1] && l === candidates[0]![2]) ? candidates[0] : undefined
}

/** Commands this simulation answers; the others (which change rules, or print help) are refused with a note. */
const COMMAND_LETTERS: Readonly<Record<string, ListRequest['command'] | 'other'>> = { L: 'list', S: 'list-rules', A: 'other', C: 'other', D: 'other', R: 'other', I: 'other', F: 'other', Z: 'other', N: 'other', X: 'other', E: 'other', P: 'other', h: 'other' }

/** Options that iptables refuses with -L and with -S (generic_opt_check's table), by the letter it names them with. */
const ILLEGAL: Readonly<Record<ListRequest['command'], string>> = { list: 'sdpjiocf', 'list-rules': 'nsdpjxio0cf' }

/** A strtoul(…, 0) number in 1..INT_MAX, as parse_rulenumber wants. */
function ruleNumber(text: string): number | undefined {
  const n = /^0x[0-9a-f]+$/i.test(text) ? parseInt(text, 16) : /^0[0-7]*$/.test(text) ? parseInt(text || 'x', 8) : /^[1-9]\d*$/.test(text) ? Number(text) : NaN
  return n >= 1 && n <= 0x7fffffff ? n : undefined
}

/** Reads `iptables` arguments: a listing request, or the result iptables itself would end with (an error, or -V). */
export function parseIptablesArgs(argv: readonly string[]): ListRequest | RunResult {
  let command: ListRequest['command'] | 'other' | undefined
  let commandLetter = ''
  let table = 'filter'
  let chain: string | undefined
  let ruleNum: number | undefined
  let invert = false
  let verbose = false
  let waitInterval = false
  let wait = false
  const options = new Set<string>()
  // xs_has_arg: the next word is an argument when it is not an option and not `!`.
  let i = 0
  const hasArg = () => i < argv.length && !argv[i]!.startsWith('-') && !argv[i]!.startsWith('!')
  while (i < argv.length) {
    const word = argv[i++]!
    if (word === '-' || !word.startsWith('-')) {
      if (word !== '!') return fail(`Bad argument \`${word}'\n${TRY_HELP}`, 2)
      if (invert) return parameterProblem('multiple consecutive ! not allowed')
      invert = true
      continue
    }
    const letters: { letter: string; optarg?: string }[] = []
    if (word.startsWith('--')) {
      // getopt stops at `--`; iptables then refuses whatever follows.
      if (word === '--') {
        if (i < argv.length) return parameterProblem('unknown arguments found on commandline')
        break
      }
      const eq = word.indexOf('=')
      const found = findLong(word.slice(2, eq < 0 ? undefined : eq))
      if (!found || (found[1] === 0 && eq >= 0)) return parameterProblem(`unknown option "${word}"`)
      let optarg = eq >= 0 ? word.slice(eq + 1) : undefined
      if (found[1] === 1 && optarg === undefined) {
        if (i >= argv.length) return parameterProblem(`option "${word}" requires an argument`)
        optarg = argv[i++]
      }
      letters.push({ letter: found[2], ...(optarg !== undefined ? { optarg } : {}) })
    } else {
      for (let j = 1; j < word.length; j++) {
        const letter = word[j]!
        const arity = shortArity(letter)
        if (arity === undefined) return parameterProblem(`unknown option "${word}"`)
        if (arity === 0) {
          letters.push({ letter })
          continue
        }
        let optarg: string | undefined = word.slice(j + 1) || undefined
        if (optarg === undefined && arity === 1) {
          if (i >= argv.length) return parameterProblem(`option "-${letter}" requires an argument`)
          optarg = argv[i++]
        }
        letters.push({ letter, ...(optarg !== undefined ? { optarg } : {}) })
        break
      }
    }
    for (const { letter, optarg } of letters) {
      const asCommand = COMMAND_LETTERS[letter]
      if (asCommand) {
        if (invert) return parameterProblem("unexpected '!' flag")
        if (command) return parameterProblem(`Cannot use -${letter} with -${commandLetter}`)
        command = asCommand
        commandLetter = letter
        if (asCommand === 'other') continue
        chain = optarg ?? (hasArg() ? argv[i++] : undefined)
        if (hasArg()) {
          const text = argv[i++]!
          ruleNum = ruleNumber(text)
          if (ruleNum === undefined) return parameterProblem(`Invalid rule number \`${text}'`)
        }
        continue
      }
      if (invert && letter !== 'p' && letter !== 's' && letter !== 'd' && letter !== 'i' && letter !== 'o' && letter !== 'f')
        return parameterProblem(letter === 't' ? 'unexpected ! flag before --table' : `cannot have ! before -${letter}`)
      invert = false
      switch (letter) {
        case 'V':
          return ok(`iptables ${IPTABLES_VERSION}\n`)
        case '6':
          return fail(TRY_HELP, 2)
        case 't':
          table = optarg!
          break
        case 'v':
          verbose = true
          options.add('v')
          break
        case 'm':
          if (!MATCHES[optarg!]) return parameterProblem(`Couldn't load match \`${optarg}':No such file or directory\n`)
          break
        case 'w':
        case 'W': {
          const seconds = optarg ?? (hasArg() ? argv[i++] : undefined)
          if (seconds === undefined && letter === 'W') return parameterProblem('wait interval value required')
          if (seconds !== undefined && !/^\d+/.test(seconds)) return parameterProblem(letter === 'w' ? 'wait seconds not numeric' : 'wait interval not numeric')
          if (letter === 'w') wait = true
          else waitInterval = true
          break
        }
        case 'c':
          if (hasArg()) i++
          options.add(letter)
          break
        case '4':
        case 'M':
          break
        case 'b':
          // In the option string but handled nowhere: iptables falls through to its "unknown arg" message.
          return parameterProblem('Unknown arg "(null)"')
        default:
          // n, x, --line-numbers (0) and the rule options (s d p j g i o f): each at most once.
          if ('nx0'.includes(letter) && options.has(letter)) return parameterProblem(`multiple -${letter} flags not allowed`)
          options.add(letter === 'g' ? 'j' : letter)
      }
    }
  }
  if (invert) return parameterProblem('nothing appropriate following !')
  if (!command) return parameterProblem('no command specified')
  const warning = waitInterval ? 'Ignoring deprecated --wait-interval option.\n' : undefined
  if (waitInterval && !wait) return fail(`${warning}iptables ${IPTABLES_VERSION}: --wait-interval only makes sense with --wait\n\n${TRY_HELP}`, 2)
  if (command === 'other') return fail(`iptables ${IPTABLES_VERSION}: only -L and -S are simulated here (kube-proxy and flannel own these rules)\n`, 2)
  for (const letter of ILLEGAL[command]) if (options.has(letter)) return parameterProblem(`Illegal option \`-${letter}' with this command`)
  return { command, table, ...(chain !== undefined ? { chain } : {}), ...(ruleNum !== undefined ? { ruleNum } : {}), numeric: options.has('n'), verbose, exact: options.has('x'), lineNumbers: options.has('0'), ...(warning ? { warning } : {}) }
}
