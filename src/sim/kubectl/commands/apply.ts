import type { CommandResult } from '../../commands/results'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { refusal, type KubectlCommand } from './command'
import { readManifest } from './manifestInput'

/** What an accepted apply or create prints: one line per object, kubectl's warnings first on stderr. */
export function printOutcome(result: CommandResult): RunResult {
  if (!result.ok) return refusal(result)
  const stderr = (result.warnings ?? []).map((w) => `Warning: ${w}\n`).join('')
  return { exitCode: 0, stdout: result.applied.map((a) => `${a.message.replace(/ \(stored, not simulated\)$/, '')}\n`).join(''), stderr }
}

/** `kubectl apply -f` and `kubectl create -f`: the files' objects, sent as that action. */
export function fromFiles(type: 'apply' | 'create') {
  return (ctx: CommandContext, p: ParsedFlags): RunResult => {
    const files = p.flags['filename'] as string[] | undefined
    if (!files?.length) return fail('error: must specify one of -f and -k\n')
    const input = readManifest(ctx, files)
    if (!input.ok) return fail(input.error)
    return printOutcome(ctx.dispatch({ type, manifest: input.text }) as CommandResult)
  }
}

/** kubectl apply -f FILE | -f - (a here-document or pasted YAML). */
export const applyCommand: KubectlCommand = { name: 'apply', flags: [{ name: 'filename', short: 'f', type: 'strings' }], run: fromFiles('apply') }
