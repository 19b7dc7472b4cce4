/**
 * kubectl describe's writer, byte for byte: a PrefixWriter (two spaces per level) over Go's text/tabwriter as
 * tabbedString sets it up, `tabwriter.NewWriter(buf, 0, 8, 2, ' ', 0)` (staging/src/k8s.io/kubectl/pkg/describe/
 * describe.go: prefixWriter, tabbedString). The column layout is the tabwriter's, not a guess at it: a column block is
 * a run of consecutive lines that all have a tab-terminated cell in that column, padded to its widest cell plus 2;
 * a line with fewer cells ends the block (so a line without a tab starts the layout over).
 */

/** describe.go's LEVEL_0..LEVEL_4: each level indents by two spaces. */
export const LEVEL_0 = 0
export const LEVEL_1 = 1
export const LEVEL_2 = 2
export const LEVEL_3 = 3

/** cli-runtime printers.WriteEscaped: terminal escapes in user data cannot reach the terminal. */
const escapeTerminal = (s: string) => s.replaceAll('\u001b', '^[').replaceAll('\r', '\\r')

/** What the describers write to: describe.go's PrefixWriter interface. */
export class PrefixWriter {
  private pending = ''
  private done = ''

  /** Write(level, format, a...): the text, already formatted, after `level` two-space indents. */
  write(level: number, text: string): void {
    this.pending += escapeTerminal('  '.repeat(level) + text)
  }

  /** WriteLine(a...): fmt.Sprintln of the values (joined by spaces, then a newline), with no indent. */
  writeLine(...values: readonly (string | number | boolean)[]): void {
    this.pending += escapeTerminal(`${values.join(' ')}\n`)
  }

  /** Flush(): lays out everything written so far on its own; DescribeEvents calls it so its table aligns apart. */
  flush(): void {
    this.done += formatTabbed(this.pending)
    this.pending = ''
  }

  /** The text as the tabwriter prints it once flushed at the end. */
  toString(): string {
    return this.done + formatTabbed(this.pending)
  }
}

/** tabbedString: runs a describer against a fresh writer and returns what it printed. */
export function tabbedString(describe: (w: PrefixWriter) => void): string {
  const w = new PrefixWriter()
  describe(w)
  return w.toString()
}

/** utf8.RuneCount: the tabwriter measures cells in runes, not UTF-16 units. */
function runeCount(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/**
 * text/tabwriter's format and writeLines with minwidth 0, padding 2, padchar ' ' and no flags. Cells are split on
 * '\t'; the last cell of a line (after its last tab) belongs to no column and is never padded.
 */
export function formatTabbed(text: string): string {
  if (text === '') return ''
  const lines = text.split('\n').map((l) => l.split('\t'))
  const widths: number[] = []
  let out = ''
  const writeLines = (line0: number, line1: number) => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i]!
      line.forEach((cell, j) => {
        out += cell
        if (j < widths.length) out += ' '.repeat(widths[j]! - runeCount(cell))
      })
      // The text after the last newline is a line still open: Go writes it without a newline.
      if (i + 1 < lines.length) out += '\n'
    }
  }
  const format = (line0: number, line1: number) => {
    const column = widths.length
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue
      writeLines(line0, t)
      line0 = t
      let width = 0
      for (; t < line1; t++) {
        const line = lines[t]!
        if (column >= line.length - 1) break
        width = Math.max(width, runeCount(line[column]!) + 2)
      }
      widths.push(width)
      format(line0, t)
      widths.pop()
      line0 = t
    }
    writeLines(line0, line1)
  }
  format(0, lines.length)
  return out
}
