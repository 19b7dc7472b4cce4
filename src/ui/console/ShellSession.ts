import type { RunResult } from '../../sim'
import { CommandHistory } from './commandHistory'
import type { Completion } from './completion'
import { unseenLines } from './followedLines'
import { endsHereDocument, openedHereDocument, type HereDocument } from '../../sim'
import { EMPTY_LINE, editLine, insertText, printable, readInput, redrawLine, type EditLine, type ShellKey } from './lineEditor'
import type { Prompt } from './shellPrompt'

/** The part of a terminal a shell needs (xterm's Terminal is one): its width, and writing to it. */
export interface TerminalScreen {
  readonly cols: number
  write(data: string): void
}

/** What a shell runs against: the cluster's commands and changes, completion, and what only the console can do. */
export interface ShellHost {
  /** Runs a command line; `after` is where a followed command's watch stood (the `resumeAfter` it returned). */
  run(text: string, after?: string): RunResult
  /** Calls `listener` after each change of the cluster's state; returns what stops it. */
  watch(listener: () => void): () => void
  complete(before: string): Completion
  /** `kubectl exec -it POD -- sh` asked for an interactive shell there. */
  openSession(session: NonNullable<RunResult['session']>): void
  /** `exit` or Ctrl-D at an empty prompt, in a shell that can end (a pod's, a node's); absent on the laptop. */
  exit?(): void
}

const CONTINUATION: Prompt = { text: '> ', width: 2 }
/** Standard error in the theme's red (a light red, legible on the dark background). */
const STDERR = '\x1b[31m'
const RESET = '\x1b[0m'
const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J'
/** A followed command is run again at most this often (ms): the cluster's state changes every frame while time runs. */
export const FOLLOW_INTERVAL_MS = 100
/** Beyond this many candidates, Tab lists the first ones and says how many more there are. */
const MAX_LISTED = 120

const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n')

/** A command that goes on running (`kubectl get pods -w`): run again as the cluster changes, until it stops or Ctrl-C. */
interface Follow {
  readonly text: string
  readonly printedOut: Set<string>
  readonly printedErr: Set<string>
  readonly unwatch: () => void
  /** Where its watch stands, when the command says (it then prints only what changed since: printed as it comes). */
  resumeAfter: string | undefined
  timer: ReturnType<typeof setTimeout> | undefined
}

/**
 * One interactive shell in a terminal, as bash with readline feels: a prompt, the line edited in place (arrows,
 * Home/End, Backspace/Delete, Ctrl-A/E/U/K/W), history on Up/Down, Tab completion, Ctrl-C and Ctrl-L, here-documents
 * read line by line after `> `, pasted lines run one by one, and commands that follow the cluster re-run as it changes.
 */
export class ShellSession {
  private line: EditLine = EMPTY_LINE
  private readonly history = new CommandHistory()
  private heredoc: { readonly doc: HereDocument; readonly lines: string[] } | undefined
  private follow: Follow | undefined
  /** What was typed or pasted while a command was following: read once it ends, dropped by Ctrl-C (as a tty does). */
  private typeahead = ''

  constructor(
    private readonly screen: TerminalScreen,
    private readonly host: ShellHost,
    private readonly prompt: Prompt,
  ) {}

  /** Writes the greeting, if any, and the first prompt. */
  start(greeting?: string): void {
    if (greeting) this.screen.write(crlf(greeting))
    this.showPrompt()
  }

  /** What the terminal sends: a key, or typed or pasted text. */
  input(data: string): void {
    if (this.follow) {
      if (data.includes('\x03')) this.interrupt()
      else this.typeahead += data
      return
    }
    const read = readInput(data)
    if (!read) return
    if ('key' in read) return this.key(read.key)
    const pieces = read.text.replace(/\r\n|\n/g, '\r').split('\r')
    for (let i = 0; i < pieces.length; i++) {
      if (this.follow) {
        this.typeahead += pieces.slice(i).join('\r')
        return
      }
      const text = printable(pieces[i]!)
      if (text) this.setLine(insertText(this.line, text))
      if (i < pieces.length - 1) this.enter()
    }
  }

  /** Stops following; the shell writes nothing more. */
  dispose(): void {
    this.stopFollow()
  }

  private get currentPrompt(): Prompt {
    return this.heredoc ? CONTINUATION : this.prompt
  }

  private key(key: ShellKey): void {
    switch (key) {
      case 'enter':
        return this.enter()
      case 'interrupt':
        return this.interrupt()
      case 'tab':
        return this.completeWord()
      case 'clearScreen':
        this.screen.write(CLEAR_SCREEN)
        return this.redrawPrompt()
      case 'up':
      case 'down': {
        if (this.heredoc) return
        const entry = key === 'up' ? this.history.previous(this.line.text) : this.history.next()
        if (entry !== undefined) this.setLine({ text: entry, cursor: entry.length })
        return
      }
      case 'endOfFile':
        if (this.line.text !== '') return this.setLine(editLine(this.line, 'delete'))
        if (this.heredoc) {
          this.screen.write('\r\n')
          return this.endHereDocument()
        }
        if (this.host.exit) {
          this.screen.write('exit\r\n')
          this.host.exit()
        }
        return
      default:
        return this.setLine(editLine(this.line, key))
    }
  }

  private setLine(next: EditLine): void {
    this.screen.write(redrawLine(this.currentPrompt.width, this.screen.cols, this.line, next))
    this.line = next
  }

  /** Moves past the line being edited onto a new row (the cursor may stand anywhere in it). */
  private leaveLine(): string {
    const { width } = this.currentPrompt
    const toEnd = redrawLine(width, this.screen.cols, this.line, { text: this.line.text, cursor: this.line.text.length })
    // A line that filled its last row exactly already stands at the start of a new one.
    return toEnd + ((width + this.line.text.length) % this.screen.cols === 0 && this.line.text !== '' ? '' : '\r\n')
  }

  private showPrompt(): void {
    this.line = EMPTY_LINE
    this.screen.write(this.currentPrompt.text)
  }

  /** The prompt and the line again, the cursor where it was (after a clear screen or a list of completions). */
  private redrawPrompt(): void {
    const line = this.line
    this.line = EMPTY_LINE
    this.screen.write(this.currentPrompt.text)
    this.setLine(line)
  }

  private enter(): void {
    const text = this.line.text
    this.screen.write(this.leaveLine())
    this.line = EMPTY_LINE
    if (this.heredoc) {
      this.heredoc.lines.push(text)
      return endsHereDocument(this.heredoc.doc, text) ? this.endHereDocument() : this.showPrompt()
    }
    if (text.trim() === '') return this.showPrompt()
    this.history.add(text)
    const doc = openedHereDocument(text)
    if (doc) {
      this.heredoc = { doc, lines: [text] }
      return this.showPrompt()
    }
    this.execute(text)
  }

  /** The here-document is complete (or cut short by Ctrl-D: the shell then warns): the command runs with it. */
  private endHereDocument(): void {
    const text = this.heredoc!.lines.join('\n')
    this.heredoc = undefined
    this.execute(text)
  }

  private interrupt(): void {
    if (this.follow) {
      this.stopFollow()
      this.typeahead = ''
      this.screen.write('^C\r\n')
    } else {
      this.screen.write(redrawLine(this.currentPrompt.width, this.screen.cols, this.line, { text: this.line.text, cursor: this.line.text.length }) + '^C\r\n')
      this.heredoc = undefined
    }
    this.showPrompt()
  }

  private execute(text: string): void {
    const command = text.trim()
    if (command === 'clear') {
      this.screen.write(CLEAR_SCREEN)
      return this.showPrompt()
    }
    if (command === 'exit' && this.host.exit) return this.host.exit()
    const result = this.run(text)
    this.print(result)
    if (result.session) this.host.openSession(result.session)
    if (result.follows) this.startFollow(text, result)
    else this.showPrompt()
  }

  private run(text: string, after?: string): RunResult {
    try {
      return this.host.run(text, after)
    } catch (e) {
      return { exitCode: 1, stdout: '', stderr: `error: ${e instanceof Error ? e.message : String(e)}\n` }
    }
  }

  /**
   * Standard output, then standard error in its colour (the other way round when the command wrote its errors first:
   * curl -v's trace); a last line without its newline gets one, so that the prompt starts a row.
   */
  private print({ stdout, stderr, stderrFirst }: Pick<RunResult, 'stdout' | 'stderr' | 'stderrFirst'>): void {
    const err = stderr ? STDERR + crlf(stderr) + RESET : ''
    const out = stderrFirst ? err + crlf(stdout) : crlf(stdout) + err
    const last = stderrFirst ? stdout || stderr : stderr || stdout
    if (out) this.screen.write(last && !last.endsWith('\n') ? `${out}\r\n` : out)
  }

  private startFollow(text: string, first: RunResult): void {
    const printedOut = new Set<string>()
    const printedErr = new Set<string>()
    unseenLines(first.stdout, printedOut)
    unseenLines(first.stderr, printedErr)
    const unwatch = this.host.watch(() => {
      const f = this.follow
      if (f && f.timer === undefined) f.timer = setTimeout(() => this.followAgain(), FOLLOW_INTERVAL_MS)
    })
    this.follow = { text, printedOut, printedErr, unwatch, resumeAfter: first.resumeAfter, timer: undefined }
  }

  private followAgain(): void {
    const f = this.follow
    if (!f) return
    f.timer = undefined
    const result = this.run(f.text, f.resumeAfter)
    // A command that says where its watch stands prints only what is new; otherwise what it had not printed is new.
    if (f.resumeAfter !== undefined) this.print(result)
    else this.print({ stdout: unseenLines(result.stdout, f.printedOut), stderr: unseenLines(result.stderr, f.printedErr), ...(result.stderrFirst ? { stderrFirst: true } : {}) })
    f.resumeAfter = result.resumeAfter ?? f.resumeAfter
    if (result.follows) return
    this.stopFollow()
    this.showPrompt()
    const typed = this.typeahead
    this.typeahead = ''
    if (typed) this.input(typed)
  }

  private stopFollow(): void {
    const f = this.follow
    if (!f) return
    this.follow = undefined
    f.unwatch()
    if (f.timer !== undefined) clearTimeout(f.timer)
  }

  /** Tab: the completion inserted, or the candidates listed under the line and the prompt drawn again, as bash does. */
  private completeWord(): void {
    if (this.heredoc) return this.setLine(insertText(this.line, '  '))
    const { insert, candidates } = this.host.complete(this.line.text.slice(0, this.line.cursor))
    if (insert) return this.setLine(insertText(this.line, insert))
    if (candidates.length === 0) return
    this.screen.write(this.leaveLine() + columns(candidates, this.screen.cols))
    this.redrawPrompt()
  }
}

/** Words in columns across the terminal's width, as bash lists completions. */
function columns(words: readonly string[], cols: number): string {
  const shown = words.slice(0, MAX_LISTED)
  const width = Math.max(...shown.map((w) => w.length)) + 2
  const perRow = Math.max(1, Math.floor(cols / width))
  let out = ''
  for (let i = 0; i < shown.length; i += perRow) out += `${shown.slice(i, i + perRow).map((w) => w.padEnd(width)).join('').trimEnd()}\r\n`
  if (words.length > shown.length) out += `… and ${words.length - shown.length} more\r\n`
  return out
}
