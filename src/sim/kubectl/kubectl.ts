import { fail, ok, type CommandContext, type RunResult } from '../shell/types'
import { annotateCommand, labelCommand } from './commands/label'
import { apiResourcesCommand } from './commands/apiResources'
import { applyCommand } from './commands/apply'
import { clusterInfoCommand } from './commands/clusterInfo'
import { cordonCommand, uncordonCommand } from './commands/cordon'
import type { KubectlCommand } from './commands/command'
import { createCommands } from './commands/create'
import { deleteCommand } from './commands/delete'
import { describeCommand } from './commands/describe'
import { drainCommand } from './commands/drain'
import { execCommand } from './commands/exec'
import { exposeCommand } from './commands/expose'
import { getCommand } from './commands/get'
import { logsCommand } from './commands/logs'
import { rolloutCommands } from './commands/rollout'
import { scaleCommand } from './commands/scale'
import { setImageCommand } from './commands/setImage'
import { versionCommand } from './commands/version'
import { GLOBAL_FLAGS, parseFlags, type FlagSpec } from './flags'
import { HELP } from './helpTexts'

/** The commands this simulator runs, by their path after `kubectl`. */
const COMMANDS: Readonly<Record<string, KubectlCommand>> = {
  get: getCommand,
  describe: describeCommand,
  apply: applyCommand,
  delete: deleteCommand,
  scale: scaleCommand,
  expose: exposeCommand,
  label: labelCommand,
  annotate: annotateCommand,
  logs: logsCommand,
  exec: execCommand,
  'api-resources': apiResourcesCommand,
  'cluster-info': clusterInfoCommand,
  cordon: cordonCommand,
  uncordon: uncordonCommand,
  drain: drainCommand,
  version: versionCommand,
  'set image': setImageCommand,
  ...createCommands,
  ...rolloutCommands,
}

/** kubectl's own commands in the order it registers them (its suggestions for a mistyped command come in this order). */
const KUBECTL_COMMANDS = ['create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale', 'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize', 'label', 'annotate', 'completion', 'api-resources', 'api-versions', 'config', 'plugin', 'version', 'options', 'help']

/** Parent commands whose help lists subcommands: `kubectl create` alone prints it. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  create: ['deployment', 'service', 'namespace'],
  'create service': ['clusterip', 'nodeport', 'loadbalancer', 'externalname'],
  set: ['image'],
  rollout: ['status', 'history', 'undo', 'restart', 'pause', 'resume'],
}

/** Subcommands' aliases, as kubectl declares them. */
const ALIASES: Readonly<Record<string, string>> = { 'create deploy': 'create deployment', 'create svc': 'create service', 'create ns': 'create namespace' }

/** The flags kubectl itself declares for a command, read from its help text: known, even where not simulated. */
function declaredFlags(path: string): FlagSpec[] {
  const out: FlagSpec[] = []
  for (const m of (HELP[path] ?? '').matchAll(/^ {4}(?:-(\w), )?--([\w-]+)=(.*):$/gm)) {
    const d = m[3]!
    const type = d === 'true' || d === 'false' ? 'bool' : /^-?\d+$/.test(d) ? 'int' : d.startsWith('[') ? 'strings' : /^\d+(\.\d+)?(ns|us|ms|s|m|h)/.test(d) ? 'duration' : 'string'
    out.push({ name: m[2]!, ...(m[1] ? { short: m[1] } : {}), type })
  }
  return out
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
  return d[a.length]![b.length]!
}

/** cobra's error for an unknown command, with its suggestions (edit distance 2 or a prefix). */
function unknownCommand(word: string, parent: string): RunResult {
  if (parent) return fail(`error: unknown command "${word}"\nSee 'kubectl ${parent} -h' for help and examples`)
  const near = KUBECTL_COMMANDS.filter((c) => levenshtein(word.toLowerCase(), c) <= 2 || c.startsWith(word.toLowerCase()))
  const hint = near.length ? `\nDid you mean this?\n${near.map((c) => `\t${c}\n`).join('')}\n` : ''
  return fail(`Error: unknown command "${word}" for "kubectl"\n${hint}`)
}

/** Global flags before the command (`kubectl -n kube-system get pods`), to be handed to the command. */
function leadingFlags(argv: readonly string[]): { globals: string[]; rest: string[] } {
  const globals: string[] = []
  let i = 0
  while (i < argv.length && argv[i]!.startsWith('-') && argv[i] !== '--') {
    const a = argv[i]!
    globals.push(a)
    const spec = GLOBAL_FLAGS.find((f) => a === `--${f.name}` || a === `-${f.short}`)
    if (spec && spec.type !== 'bool' && i + 1 < argv.length) globals.push(argv[++i]!)
    i++
  }
  return { globals, rest: argv.slice(i) }
}

/** Runs `kubectl <argv>` against the simulated cluster, printing what kubectl prints. */
export function kubectl(ctx: CommandContext, argv: readonly string[]): RunResult {
  const { globals, rest } = leadingFlags(argv)
  if (rest.length === 0) return ok(HELP['']!)
  let path = ''
  let i = 0
  for (; i < rest.length; i++) {
    const word = rest[i]!
    const typed = path ? `${path} ${word}` : word
    const next = ALIASES[typed] ?? typed
    if (word.startsWith('-')) break
    if (COMMANDS[next] || GROUPS[next]) {
      path = next
      if (COMMANDS[next] && !GROUPS[next]) {
        i++
        break
      }
      continue
    }
    if (!path) return KUBECTL_COMMANDS.includes(word) ? fail(`error: "kubectl ${word}" is not part of this simulator; the commands it runs are listed by "kubectl --help" and in the console's help`) : unknownCommand(word, '')
    if (GROUPS[path]?.includes(word)) return fail(`error: "kubectl ${next}" is not part of this simulator; the commands it runs are listed by "kubectl --help" and in the console's help`)
    if (GROUPS[path] && !COMMANDS[path]) return unknownCommand(word, path)
    break
  }
  const args = [...globals, ...rest.slice(i)]
  const command = COMMANDS[path]
  if (args.includes('--help') || args.includes('-h') || !command) {
    if (!command && !args.includes('--help') && !args.includes('-h')) return { exitCode: path === 'create service' || path === 'rollout' || path === 'set' ? 1 : 0, stdout: HELP[path] ?? '', stderr: '' }
    return ok(HELP[path] ?? `Help for kubectl ${path} is not available here.\n`)
  }
  const known = declaredFlags(path)
  const parsed = parseFlags(args, [...command.flags, ...known.filter((k) => !command.flags.some((f) => f.name === k.name))], `kubectl ${path}`)
  if (!parsed.ok) return fail(parsed.error)
  const unsimulated = Object.keys(parsed.parsed.flags).find((f) => !command.flags.some((c) => c.name === f) && !GLOBAL_FLAGS.some((g) => g.name === f))
  if (unsimulated) return fail(`error: --${unsimulated}: this simulator does not act on this flag of "kubectl ${path}"`)
  return command.run(ctx, parsed.parsed)
}

/**
 * The flags a command acts on, as a terminal completes them: `-x` for a short name, `--name` for a switch, `--name=`
 * where a value follows; the global `-n`/`--namespace=` and `-h`/`--help` after them. Empty for no such command.
 */
export function kubectlFlags(path: string): string[] {
  const command = COMMANDS[ALIASES[path] ?? path]
  if (!command) return []
  const words = (f: FlagSpec) => [...(f.short ? [`-${f.short}`] : []), f.type === 'bool' ? `--${f.name}` : `--${f.name}=`]
  return [...command.flags.flatMap(words), '-n', '--namespace=', '-h', '--help']
}
