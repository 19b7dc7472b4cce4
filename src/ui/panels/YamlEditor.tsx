import { useState } from 'react'
import type { CommandError } from '../../sim'
import { useStoreApi } from '../storeContext'
import { TEMPLATES } from './templates'

/** kubectl apply from a text area: all or nothing, errors shown at their line. */
export function YamlEditor() {
  const store = useStoreApi()
  const [text, setText] = useState(TEMPLATES['Service (NodePort)']!)
  const [errors, setErrors] = useState<CommandError[]>([])
  const [message, setMessage] = useState('')
  const [applied, setApplied] = useState<string[]>([])
  const lines = text.split('\n')
  const errorLines = new Set(errors.map((e) => e.line).filter((l): l is number => l !== undefined))
  const apply = () => {
    const r = store.getState().apply(text)
    setErrors(r.errors)
    setMessage(r.message ?? '')
    setApplied(r.ok ? r.applied.map((a) => a.message) : [])
  }
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
      <div className="editor">
        <div className="gutter" aria-hidden="true">
          {lines.map((_, i) => (
            <div key={i} className={errorLines.has(i + 1) ? 'error-line' : undefined}>
              {i + 1}
            </div>
          ))}
        </div>
        <textarea aria-label="Manifest YAML" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} rows={Math.min(24, Math.max(8, lines.length))} />
      </div>
      <button type="button" onClick={apply}>
        Apply
      </button>
      {errors.length ? (
        <div className="errors" role="alert" aria-label="Apply errors">
          <pre className="kubectl-output">{message}</pre>
          <ul>
            {errors
              .filter((e) => e.line)
              .map((e, i) => (
                <li key={i}>
                  <strong>line {e.line}: </strong>
                  {e.path || e.message}
                </li>
              ))}
          </ul>
          <p className="hint">Nothing was changed.</p>
        </div>
      ) : null}
      {applied.length ? (
        <ul className="applied" aria-live="polite">
          {applied.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}
