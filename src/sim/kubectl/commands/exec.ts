import { runtimeId } from '../../shell/netInfo'
import { podCommand, podSession } from '../../shell/podShell'
import { runScript } from '../../shell/script'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { namespaceOf, type KubectlCommand } from './command'

const SHELLS = ['sh', 'bash', '/bin/sh', '/bin/bash']

/**
 * kubectl exec POD [-c CONTAINER] [-it] -- COMMAND: runs in the pod's container (the tools of its image); with -it and a
 * shell, the terminal opens that shell. A command that fails ends with kubectl's "command terminated with exit code N".
 */
function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  if (!p.dashed) {
    if (p.args.length > 1) return fail(`error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples`)
    return fail(p.args.length === 0 ? `error: expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command\nSee 'kubectl exec -h' for help and examples` : 'error: you must specify at least one command for the container')
  }
  if (p.args.length === 0) return fail(`error: expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command\nSee 'kubectl exec -h' for help and examples`)
  if (p.dashed.length === 0) return fail('error: you must specify at least one command for the container')
  const target = p.args[0]!.replace(/^(pod|pods|po)\//, '')
  const s = podSession(ctx, `${namespaceOf(ctx, p)}/${target}`, p.flags['container'] as string | undefined)
  if (!s.ok) return fail(s.error)
  const [cmd, ...rest] = p.dashed
  let result: RunResult
  if (SHELLS.includes(cmd!)) {
    if (rest[0] === '-c' && rest[1] !== undefined) result = runScript(ctx, rest[1], (argv, stdin) => podCommand(ctx, s.session, argv, stdin), 'sh', (n) => s.session.env[n])
    else if (p.flags['stdin'] === true && p.flags['tty'] === true) return { exitCode: 0, stdout: '', stderr: '', session: { pod: s.session.key } }
    else return { exitCode: 0, stdout: '', stderr: '' }
  } else {
    result = podCommand(ctx, s.session, p.dashed, ctx.stdin ?? '')
    if (result.exitCode === 127) {
      return { exitCode: 126, stdout: '', stderr: `error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${runtimeId(`${target}/${cmd}`)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd}": executable file not found in $PATH: unknown\n` }
    }
  }
  if (result.exitCode !== 0) return { ...result, stderr: `${result.stderr}command terminated with exit code ${result.exitCode}\n` }
  return result
}

/** kubectl exec. */
export const execCommand: KubectlCommand = {
  name: 'exec',
  flags: [
    { name: 'container', short: 'c', type: 'string' },
    { name: 'stdin', short: 'i', type: 'bool' },
    { name: 'tty', short: 't', type: 'bool' },
  ],
  run,
}
