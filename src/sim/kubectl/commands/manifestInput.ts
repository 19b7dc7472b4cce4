import type { CommandContext } from '../../shell/types'

/** What `-f` names: `-` for standard input, or a file in the working directory. */
export function readManifest(ctx: CommandContext, files: readonly string[]): { ok: true; text: string } | { ok: false; error: string } {
  const parts: string[] = []
  for (const f of files) {
    if (f === '-') {
      if (ctx.stdin === undefined || ctx.stdin.trim() === '') return { ok: false, error: 'error: no objects passed to apply\n' }
      parts.push(ctx.stdin)
      continue
    }
    const text = ctx.files[f.replace(/^\.\//, '')]
    if (text === undefined) return { ok: false, error: `error: the path "${f}" does not exist\n` }
    parts.push(text)
  }
  return { ok: true, text: parts.join('\n---\n') }
}
