import { filter, isFilter } from './filters'
import type { CommandContext, RunResult } from './types'
import { hereDocument, splitLine, splitList } from './words'

/** Runs one command's argv with its standard input. */
export type Runner = (argv: readonly string[], stdin: string) => RunResult

/**
 * Runs shell text line by line as sh would: words split and expanded, here-documents fed to their command, pipelines
 * through the text filters (grep, head, tail, wc, sort). Output of all lines in order; the exit code of the last one.
 */
export function runScript(ctx: CommandContext, text: string, runner: Runner, shell: string, env: (name: string) => string | undefined = () => undefined): RunResult {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n')
  let stdout = ''
  let stderr = ''
  let exitCode = 0
  let follows = false
  let stderrFirst = false
  let session: RunResult['session']
  let resumeAfter: string | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '') continue
    const parts = splitList(line)
    if (parts.length > 1) {
      // `a; b`, `a && b`, `a || b`: each part run as a line of its own, if the one before allows.
      for (const part of parts) {
        if ((part.after === '&&' && exitCode !== 0) || (part.after === '||' && exitCode === 0)) continue
        const r = runScript(ctx, part.text, runner, shell, env)
        stdout += r.stdout
        stderr += r.stderr
        exitCode = r.exitCode
      }
      continue
    }
    // `$(command)` runs in the same shell; what it writes on stderr reaches the terminal.
    const split = splitLine(line, env, (command) => {
      const r = runScript(ctx, command, runner, shell, env)
      stderr += r.stderr
      return r.stdout
    })
    if (!split.ok) {
      stderr += `${shell}: ${split.error}\n`
      exitCode = 2
      continue
    }
    let stdin = ctx.stdin ?? ''
    const { stages, heredoc, hereString } = split.line
    if (hereString !== undefined) stdin = `${hereString}\n`
    if (heredoc) {
      const doc = hereDocument(lines.slice(i + 1), heredoc.delimiter, heredoc.stripTabs)
      i += doc.consumed
      // Without its delimiter sh warns and takes the rest of the input.
      if (!doc.complete) stderr += `${shell}: warning: here-document at line ${i - doc.consumed + 1} delimited by end-of-file (wanted \`${heredoc.delimiter}')\n`
      stdin = doc.body
    }
    if (stages[0]!.length === 0) continue
    const { redirectOut, redirectErr, errFollowsOut } = split.line
    const nowhere = [redirectOut, redirectErr].find((f) => f !== undefined && f !== '/dev/null' && f !== '&1')
    if ((redirectOut !== undefined || redirectErr !== undefined) && stages.length > 1) {
      stderr += `${shell}: redirections in a pipeline are not simulated: redirect a single command, as in "nslookup web >/dev/null"\n`
      exitCode = 2
      continue
    }
    if (nowhere !== undefined) {
      // The container's filesystem is not simulated: only /dev/null takes output.
      stderr += `${shell}: 1: cannot create ${nowhere}: Read-only file system\n`
      exitCode = 2
      continue
    }
    let result: RunResult | undefined
    // What the first stages write on stderr reaches the terminal while the last is still reading: before its output.
    let earlyStderr = false
    for (const [n, argv] of stages.entries()) {
      const input = result ? result.stdout : stdin
      const r = result && isFilter(argv[0]) ? filter(argv, input, shell) : runner(argv, input)
      stderr += r.stderr
      earlyStderr ||= n < stages.length - 1 && r.stderr !== ''
      result = r
    }
    const lastErr = result!.stderr
    if (redirectErr === '/dev/null') stderr = stderr.slice(0, stderr.length - lastErr.length)
    if (redirectErr === '&1') {
      stderr = stderr.slice(0, stderr.length - lastErr.length)
      if (!errFollowsOut || redirectOut !== '/dev/null') stdout += lastErr
    }
    if (redirectOut !== '/dev/null') stdout += result!.stdout
    stderrFirst ||= stages.length === 1 ? result!.stderrFirst === true : earlyStderr
    exitCode = result!.exitCode
    follows ||= result!.follows === true && stages.length === 1
    session = result!.session ?? session
    resumeAfter = result!.resumeAfter ?? resumeAfter
  }
  return { exitCode, stdout, stderr, ...(follows ? { follows } : {}), ...(stderrFirst ? { stderrFirst } : {}), ...(session ? { session } : {}), ...(resumeAfter !== undefined ? { resumeAfter } : {}) }
}
