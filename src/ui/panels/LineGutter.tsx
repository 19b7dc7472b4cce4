import type { RefObject } from 'react'

/** The line height of the editor, in ems (as the CSS sets it), and the smallest and largest font it is drawn at (px). */
const LINE_EM = 1.35
const FONT_PX = { min: 16, max: 20 }

/**
 * The line numbers beside the YAML text area. The gutter scrolls with the text (its scroll position is set by the
 * text area's scroll handler through `gutter`), and only the numbers near the lines in view are drawn: a manifest of
 * a million lines would otherwise be a million elements. Lines with an error are marked.
 */
export function LineGutter({ lines, rows, scrollTop, errorLines, gutter }: { lines: number; rows: number; scrollTop: number; errorLines: ReadonlySet<number>; gutter: RefObject<HTMLDivElement | null> }) {
  // Which lines are in view depends on the font size (larger on a large screen): draw what either size would show.
  const first = Math.max(0, Math.floor(scrollTop / (LINE_EM * FONT_PX.max)) - 1)
  const last = Math.min(lines, Math.ceil(scrollTop / (LINE_EM * FONT_PX.min)) + rows + 2)
  const numbers = Array.from({ length: Math.max(0, last - first) }, (_, i) => first + i + 1)
  return (
    <div className="gutter" aria-hidden="true" ref={gutter}>
      <div className="gutter-lines" style={{ height: `${(lines + 1) * LINE_EM}em` }}>
        {numbers.map((n) => (
          <div key={n} className={errorLines.has(n) ? 'error-line' : undefined} style={{ top: `${(n - 1) * LINE_EM}em` }}>
            {n}
          </div>
        ))}
      </div>
    </div>
  )
}
