import type { RunResult } from './types'

/** The text filters a pipeline may end in (`kubectl get pods | grep web`), as coreutils and grep behave. */
export function filter(argv: readonly string[], input: string, shell: string): RunResult {
  const [cmd, ...args] = argv
  const lines = input === '' ? [] : input.replace(/\n$/, '').split('\n')
  const out = (ls: string[], code = 0): RunResult => ({ exitCode: code, stdout: ls.map((l) => `${l}\n`).join(''), stderr: '' })
  switch (cmd) {
    case 'grep': {
      const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('')
      const pattern = args.find((a) => !/^-[a-zA-Z]+$/.test(a))
      if (pattern === undefined) return { exitCode: 2, stdout: '', stderr: 'Usage: grep [OPTION]... PATTERNS [FILE]...\nTry \'grep --help\' for more information.\n' }
      let re: RegExp
      try {
        re = new RegExp(flags.includes('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.replace(/\\\|/g, '|'), flags.includes('i') ? 'i' : '')
      } catch {
        return { exitCode: 2, stdout: '', stderr: `grep: Unmatched ( or \\(\n` }
      }
      const kept = lines.filter((l) => re.test(l) !== flags.includes('v'))
      if (flags.includes('c')) return out([String(kept.length)], kept.length ? 0 : 1)
      return out(kept, kept.length ? 0 : 1)
    }
    case 'head':
    case 'tail': {
      const n = Number(/^-n?(\d+)$/.exec(args.join(''))?.[1] ?? (args[0] === '-n' ? args[1] : undefined) ?? 10)
      return out(cmd === 'head' ? lines.slice(0, n) : lines.slice(Math.max(0, lines.length - n)))
    }
    case 'wc':
      if (args.includes('-l')) return out([String(lines.length)])
      return out([`${String(lines.length).padStart(7)} ${String(input.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(input.length).padStart(7)}`])
    case 'sort':
      return out([...lines].sort(args.includes('-r') ? (a, b) => (a < b ? 1 : -1) : undefined))
    default:
      return { exitCode: 127, stdout: '', stderr: `${shell}: ${cmd}: command not found\n` }
  }
}

/** Whether a pipeline stage is one of the filters above. */
export const isFilter = (cmd: string | undefined) => cmd === 'grep' || cmd === 'head' || cmd === 'tail' || cmd === 'wc' || cmd === 'sort'

/** `cat [FILE...]`: the files in turn (read from where the shell runs), or standard input when none is named. */
export function cat(args: readonly string[], stdin: string, read: (path: string) => string | undefined): RunResult {
  if (args.length === 0) return { exitCode: 0, stdout: stdin, stderr: '' }
  let out = ''
  for (const path of args) {
    const text = read(path)
    if (text === undefined) return { exitCode: 1, stdout: out, stderr: `cat: ${path}: No such file or directory\n` }
    out += text
  }
  return { exitCode: 0, stdout: out, stderr: '' }
}
