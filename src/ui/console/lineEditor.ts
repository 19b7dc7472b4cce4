/** The line being typed at a prompt and where the cursor stands in it. */
export interface EditLine {
  readonly text: string
  readonly cursor: number
}

export const EMPTY_LINE: EditLine = { text: '', cursor: 0 }

/** What a key typed in the terminal means to the shell (xterm hands keys over as the bytes a terminal sends). */
export type ShellKey =
  | 'enter'
  | 'tab'
  | 'up'
  | 'down'
  | 'interrupt'
  | 'clearScreen'
  | 'endOfFile'
  | 'left'
  | 'right'
  | 'wordLeft'
  | 'wordRight'
  | 'home'
  | 'end'
  | 'backspace'
  | 'delete'
  | 'killToStart'
  | 'killToEnd'
  | 'killWord'

/** The byte sequences xterm sends for each key (normal and application cursor mode, readline's Ctrl keys). */
const KEYS: Readonly<Record<string, ShellKey>> = {
  '\r': 'enter',
  '\t': 'tab',
  '\x03': 'interrupt',
  '\x0c': 'clearScreen',
  '\x04': 'endOfFile',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x1b[A': 'up',
  '\x1bOA': 'up',
  '\x10': 'up',
  '\x1b[B': 'down',
  '\x1bOB': 'down',
  '\x0e': 'down',
  '\x1b[C': 'right',
  '\x1bOC': 'right',
  '\x06': 'right',
  '\x1b[D': 'left',
  '\x1bOD': 'left',
  '\x02': 'left',
  '\x1b[1;5C': 'wordRight',
  '\x1bf': 'wordRight',
  '\x1b[1;5D': 'wordLeft',
  '\x1bb': 'wordLeft',
  '\x1b[H': 'home',
  '\x1bOH': 'home',
  '\x1b[1~': 'home',
  '\x01': 'home',
  '\x1b[F': 'end',
  '\x1bOF': 'end',
  '\x1b[4~': 'end',
  '\x05': 'end',
  '\x1b[3~': 'delete',
  '\x15': 'killToStart',
  '\x0b': 'killToEnd',
  '\x17': 'killWord',
}

/**
 * What xterm's data means: a key the shell acts on, text to insert (typed or pasted: line breaks arrive as \r), or
 * nothing (other escape sequences: function keys and the like).
 */
export function readInput(data: string): { readonly key: ShellKey } | { readonly text: string } | undefined {
  const key = KEYS[data]
  if (key) return { key }
  if (data.startsWith('\x1b')) return undefined
  return { text: data }
}

/** Text as it can stand in the line: tabs as a space, other control characters dropped (line breaks are split off before). */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\t/g, ' ').replace(/[\x00-\x1f\x7f]/g, '')
}

/** `text` put in at the cursor. */
export function insertText(line: EditLine, text: string): EditLine {
  return { text: line.text.slice(0, line.cursor) + text + line.text.slice(line.cursor), cursor: line.cursor + text.length }
}

/** Where the word before the cursor starts (readline's Ctrl-W and Alt-B: back over spaces, then over the word). */
function wordStart(text: string, from: number): number {
  let i = from
  while (i > 0 && text[i - 1] === ' ') i--
  while (i > 0 && text[i - 1] !== ' ') i--
  return i
}

function wordEnd(text: string, from: number): number {
  let i = from
  while (i < text.length && text[i] === ' ') i++
  while (i < text.length && text[i] !== ' ') i++
  return i
}

/** The line after an editing key, as readline does it; keys that do not edit leave it as it is (the same object). */
export function editLine(line: EditLine, key: ShellKey): EditLine {
  const { text, cursor } = line
  switch (key) {
    case 'left':
      return cursor > 0 ? { text, cursor: cursor - 1 } : line
    case 'right':
      return cursor < text.length ? { text, cursor: cursor + 1 } : line
    case 'wordLeft':
      return { text, cursor: wordStart(text, cursor) }
    case 'wordRight':
      return { text, cursor: wordEnd(text, cursor) }
    case 'home':
      return { text, cursor: 0 }
    case 'end':
      return { text, cursor: text.length }
    case 'backspace':
      return cursor > 0 ? { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 } : line
    case 'delete':
      return cursor < text.length ? { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor } : line
    case 'killToStart':
      return { text: text.slice(cursor), cursor: 0 }
    case 'killToEnd':
      return { text: text.slice(0, cursor), cursor }
    case 'killWord': {
      const start = wordStart(text, cursor)
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start }
    }
    default:
      return line
  }
}

/** The escape sequence that moves the cursor from one place in the prompt's lines to another (0 = the prompt's start). */
function moveCursor(from: number, to: number, cols: number): string {
  const rows = Math.floor(to / cols) - Math.floor(from / cols)
  const vertical = rows < 0 ? `\x1b[${-rows}A` : rows > 0 ? `\x1b[${rows}B` : ''
  return `${vertical}\x1b[${(to % cols) + 1}G`
}

/**
 * What to write to the terminal to turn the line shown after a prompt `promptWidth` wide into `to`, the cursor where
 * `to` has it, in a terminal `cols` wide; a long line wraps over several rows. Only what changed is written (typing at
 * the end writes just the new text, which a screen reader then reads, not the whole line again).
 */
export function redrawLine(promptWidth: number, cols: number, from: EditLine, to: EditLine): string {
  let same = 0
  while (same < from.text.length && same < to.text.length && from.text[same] === to.text[same]) same++
  const start = promptWidth + from.cursor
  if (same === from.text.length && same === to.text.length) return to.cursor === from.cursor ? '' : moveCursor(start, promptWidth + to.cursor, cols)
  const end = promptWidth + to.text.length
  // A line that ends exactly at the right edge leaves the cursor waiting to wrap: step onto the next row, so that
  // where the cursor is stays what the arithmetic says.
  const wrap = end % cols === 0 && to.text.length > same ? '\r\n' : ''
  const tail = same < from.text.length ? '\x1b[J' : ''
  const move = start === promptWidth + same ? '' : moveCursor(start, promptWidth + same, cols)
  const back = to.cursor === to.text.length ? '' : moveCursor(end, promptWidth + to.cursor, cols)
  return move + tail + to.text.slice(same) + wrap + back
}
