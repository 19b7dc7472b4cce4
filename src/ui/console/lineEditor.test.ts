import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMPTY_LINE, editLine, insertText, readInput, redrawLine, type EditLine, type ShellKey } from './lineEditor'
import { TestScreen } from './TestScreen'

const PROMPT = '$ '

/** What a screen `cols` wide must show for `line` after the prompt: its rows, and where the cursor stands. */
function expected(line: EditLine, cols: number) {
  const all = PROMPT + line.text
  const rows: string[] = []
  for (let i = 0; i < all.length; i += cols) rows.push(all.slice(i, i + cols).trimEnd())
  while (rows.length > 0 && rows.at(-1) === '') rows.pop()
  const at = PROMPT.length + line.cursor
  return { rows, cursor: { x: at % cols, y: Math.floor(at / cols) } }
}

const EDIT_KEYS: ShellKey[] = ['left', 'right', 'wordLeft', 'wordRight', 'home', 'end', 'backspace', 'delete', 'killToStart', 'killToEnd', 'killWord']
const edit = fc.oneof(fc.constantFrom(...EDIT_KEYS), fc.stringMatching(/^[a-z -]{1,9}$/).map((text) => ({ text })))

describe('editing the line at a prompt', () => {
  it('reads the keys xterm sends, in normal and application cursor mode', () => {
    expect(readInput('\x1b[D')).toEqual({ key: 'left' })
    expect(readInput('\x1bOD')).toEqual({ key: 'left' })
    expect(readInput('\x1b[H')).toEqual({ key: 'home' })
    expect(readInput('\x1b[3~')).toEqual({ key: 'delete' })
    expect(readInput('\x7f')).toEqual({ key: 'backspace' })
    expect(readInput('\x03')).toEqual({ key: 'interrupt' })
    expect(readInput('\x1b[15~')).toBeUndefined()
    expect(readInput('kubectl get pods\rkubectl get svc')).toEqual({ text: 'kubectl get pods\rkubectl get svc' })
  })

  it('edits as readline does: in the middle, by words, to either end', () => {
    let line = insertText(EMPTY_LINE, 'kubectl get pod')
    line = editLine(line, 'wordLeft')
    expect(line.cursor).toBe('kubectl get '.length)
    line = insertText(editLine(line, 'killWord'), 'describe ')
    expect(line).toEqual({ text: 'kubectl describe pod', cursor: 'kubectl describe '.length })
    expect(editLine(line, 'killToEnd').text).toBe('kubectl describe ')
    expect(editLine(line, 'killToStart')).toEqual({ text: 'pod', cursor: 0 })
    expect(editLine(editLine(line, 'home'), 'delete').text).toBe('ubectl describe pod')
    expect(editLine(EMPTY_LINE, 'backspace')).toBe(EMPTY_LINE)
  })

  it('typing at the end writes only what was typed (a screen reader reads that, not the line again)', () => {
    expect(redrawLine(2, 80, { text: 'kub', cursor: 3 }, { text: 'kube', cursor: 4 })).toBe('e')
  })

  it('whatever the edits and however the line wraps, the screen shows the prompt and the line, the cursor in its place', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 24 }), fc.array(edit, { maxLength: 40 }), (cols, edits) => {
        const screen = new TestScreen(cols)
        screen.write(PROMPT)
        let line = EMPTY_LINE
        for (const e of edits) {
          const next = typeof e === 'string' ? editLine(line, e) : insertText(line, e.text)
          screen.write(redrawLine(PROMPT.length, cols, line, next))
          line = next
          const want = expected(line, cols)
          expect(screen.lines).toEqual(want.rows)
          expect(screen.cursor).toEqual(want.cursor)
        }
      }),
      { seed: 20240611, numRuns: 300 },
    )
  })
})
