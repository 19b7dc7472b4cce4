import type { TerminalScreen } from './ShellSession'

/**
 * A terminal for tests, `cols` wide and without a bottom: it understands what the shell writes (text, CR, LF, cursor
 * up/down, column, erase below, clear screen, colours ignored) and wraps at the right edge the way xterm does, the
 * cursor waiting at the edge until the next character. What it shows can then be read as rows.
 */
export class TestScreen implements TerminalScreen {
  private rows: string[][] = [[]]
  private x = 0
  private y = 0
  private pendingWrap = false

  constructor(readonly cols = 80) {}

  write(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!
      if (c === '\x1b' && data[i + 1] === '[') {
        // eslint-disable-next-line no-control-regex
        const m = /^\x1b\[([\d;]*)([A-Za-z])/.exec(data.slice(i))
        if (!m) throw new Error(`an escape sequence the test screen does not know: ${JSON.stringify(data.slice(i, i + 8))}`)
        this.control(m[2]!, Number(m[1]!.split(';')[0] || 0))
        i += m[0].length - 1
      } else if (c === '\r') {
        this.x = 0
        this.pendingWrap = false
      } else if (c === '\n') {
        this.moveTo(this.y + 1)
        this.pendingWrap = false
      } else {
        if (this.pendingWrap) {
          this.x = 0
          this.moveTo(this.y + 1)
          this.pendingWrap = false
        }
        const row = this.rows[this.y]!
        while (row.length < this.x) row.push(' ')
        row[this.x] = c
        if (this.x === this.cols - 1) this.pendingWrap = true
        else this.x++
      }
    }
  }

  private moveTo(y: number): void {
    this.y = Math.max(0, y)
    while (this.rows.length <= this.y) this.rows.push([])
  }

  private control(command: string, n: number): void {
    this.pendingWrap = false
    switch (command) {
      case 'A':
        return this.moveTo(this.y - Math.max(1, n))
      case 'B':
        return this.moveTo(this.y + Math.max(1, n))
      case 'G':
        this.x = Math.max(1, n) - 1
        return
      case 'H':
        this.x = 0
        this.y = 0
        return
      case 'J':
        if (n === 0) {
          this.rows[this.y] = this.rows[this.y]!.slice(0, this.x)
          this.rows.length = this.y + 1
        } else this.rows = this.rows.map(() => [])
        return
      case 'm':
        return
      default:
        throw new Error(`a control the test screen does not know: ${command}`)
    }
  }

  /** The rows as shown, trailing spaces and empty rows at the bottom left out. */
  get lines(): string[] {
    const out = this.rows.map((r) => r.join('').trimEnd())
    while (out.length > 0 && out.at(-1) === '') out.pop()
    return out
  }

  /** Everything shown, as one text. */
  get text(): string {
    return this.lines.join('\n')
  }

  /** The cursor, as a column and a row (a cursor waiting at the right edge is past it). */
  get cursor(): { readonly x: number; readonly y: number } {
    return { x: this.pendingWrap ? this.cols : this.x, y: this.y }
  }
}
