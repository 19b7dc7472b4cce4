import { kubectl } from '../kubectl/kubectl'
import { cat } from './filters'
import { nodeCommand } from './nodeShell'
import { podCommand, podSession, processEnv } from './podShell'
import { runScript } from './script'
import { fail, ok, type CommandContext, type RunOptions, type RunResult, type ShellHost } from './types'

/** The student's own machine: kubectl, and the manifests in the working directory. */
function workstation(ctx: CommandContext, argv: readonly string[], stdin: string): RunResult {
  const [cmd, ...args] = argv
  const here = { ...ctx, stdin }
  switch (cmd) {
    case 'kubectl':
      return kubectl(here, args)
    case 'ls':
      return ok(Object.keys(ctx.files).sort().map((f) => `${f}\n`).join(''))
    case 'cat':
      return cat(args, stdin, (f) => ctx.files[f.replace(/^\.\//, '')])
    case 'echo':
      return ok(`${args.join(' ')}\n`)
    default:
      return fail(`bash: ${cmd}: command not found`, 127)
  }
}

/**
 * Runs a command line (or several, or one with a here-document) where the options say: on the student's machine, in
 * a pod, or on a node. Never throws; a command that changes the cluster sends its actions through `dispatch`.
 */
export function run(host: ShellHost, line: string, options: RunOptions = {}): RunResult {
  if (typeof line !== 'string') return fail('sh: the command line must be text', 2)
  const ctx: CommandContext = { host, stdin: options.stdin, ...(options.after !== undefined ? { after: options.after } : {}), dispatch: options.dispatch ?? ((a) => host.dispatch(a)), files: options.files ?? {} }
  if (options.pod !== undefined) {
    const s = podSession(ctx, options.pod)
    if (!s.ok) return fail(s.error)
    const env = new Map(processEnv(s.session))
    return runScript(ctx, line, (argv, stdin) => podCommand(ctx, s.session, argv, stdin), 'sh', (n) => env.get(n))
  }
  if (options.node !== undefined) {
    const node = options.node
    if (!host.state.nodes.has(node)) return fail(`error: node "${node}" not found`)
    return runScript(ctx, line, (argv, stdin) => nodeCommand(ctx, node, argv, stdin), '-bash')
  }
  return runScript(ctx, line, (argv, stdin) => workstation(ctx, argv, stdin), 'bash')
}
