import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react'
import type { CommandError } from '../../sim'
import { useChange } from '../controls/ChangeGuard'
import { applyQuestion } from '../largeChange'
import { useStoreApi } from '../storeContext'
import { failureText, safely } from '../userMessage'
import { LineGutter } from './LineGutter'
import { TEMPLATES } from './templates'

/** How many lines the text area shows at most; longer manifests scroll inside it. */
const ROWS = 24

/** How many lines a text has (counted, not split: a manifest may be megabytes). */
function lineCount(text: string): number {
  let n = 1
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return n
}

/**
 * kubectl apply from a text area: all or nothing, errors shown at their line, and every refusal said in words (a
 * failure always has its message, with or without a line). A manifest large enough to block the page is asked about
 * first.
 */
export function YamlEditor() {
  const store = useStoreApi()
  const change = useChange()
  const [text, setText] = useState(TEMPLATES['Service (NodePort)']!)
  const [errors, setErrors] = useState<CommandError[]>([])
  const [message, setMessage] = useState('')
  const [internal, setInternal] = useState(false)
  const [applied, setApplied] = useState<string[]>([])
  const [scrollTop, setScrollTop] = useState(0)
  const gutter = useRef<HTMLDivElement>(null)
  const alert = useRef<HTMLDivElement>(null)
  // A refusal is brought into sight (on a small screen it would be below the panel's fold, under the editor).
  useEffect(() => alert.current?.scrollIntoView({ block: 'nearest' }), [errors])
  const lines = useMemo(() => lineCount(text), [text])
  const errorLines = useMemo(() => new Set(errors.map((e) => e.line).filter((l): l is number => l !== undefined)), [errors])
  const apply = () => {
    const perform = () => {
      const r = safely(
        () => store.getState().apply(text),
        () => store.setState({ state: store.getState().sim.state }),
      )
      setErrors(r.ok ? [] : r.errors.length ? r.errors : [{ path: '', message: failureText(r) }])
      setMessage(r.ok ? '' : failureText(r))
      setInternal(r.internal ?? false)
      setApplied(r.ok ? r.applied.map((a) => a.message) : [])
    }
    const question = applyQuestion(text)
    change(question ? { perform, question, title: 'Apply a large manifest?', yes: 'Apply it', working: 'Applying the manifest…' } : { perform })
  }
  const rows = Math.min(ROWS, Math.max(8, lines))
  return (
    <section className="panel yaml" aria-labelledby="yaml-title">
      <h2 id="yaml-title">Apply YAML</h2>
      <label>
        Template{' '}
        <select aria-label="Template" onChange={(e) => e.target.value && setText(TEMPLATES[e.target.value]!)} defaultValue="">
          <option value="">choose…</option>
          {Object.keys(TEMPLATES).map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <div className="editor" style={{ '--rows': rows } as CSSProperties}>
        <LineGutter lines={lines} rows={rows} scrollTop={scrollTop} errorLines={errorLines} gutter={gutter} />
        <textarea
          aria-label="Manifest YAML"
          spellCheck={false}
          value={text}
          wrap="off"
          onChange={(e) => setText(e.target.value)}
          onScroll={(e) => {
            const top = e.currentTarget.scrollTop
            if (gutter.current) gutter.current.scrollTop = top
            setScrollTop(top)
          }}
          rows={rows}
        />
      </div>
      <button type="button" onClick={apply}>
        Apply
      </button>
      {errors.length ? (
        <div className="errors" role="alert" aria-label="Apply errors" ref={alert}>
          <pre className="kubectl-output" tabIndex={0} aria-label="What kubectl apply answered">{message}</pre>
          {errors.some((e) => e.line) ? (
            <ul>
              {errors
                .filter((e) => e.line)
                .map((e, i) => (
                  <li key={i}>
                    <strong>line {e.line}: </strong>
                    {/* The message above already says what is wrong; a syntax error has no field to name here. */}
                    {e.path || 'the YAML cannot be read from here on (see above)'}
                  </li>
                ))}
            </ul>
          ) : null}
          {internal ? null : <p className="hint">Nothing was changed.</p>}
        </div>
      ) : null}
      {applied.length ? (
        <ul className="applied" aria-live="polite">
          {applied.slice(0, 200).map((m, i) => (
            <li key={i}>{m}</li>
          ))}
          {applied.length > 200 ? <li>… and {applied.length - 200} more</li> : null}
        </ul>
      ) : null}
    </section>
  )
}
