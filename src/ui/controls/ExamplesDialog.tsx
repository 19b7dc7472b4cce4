import { useState } from 'react'
import { EXAMPLES, type Example } from '../../examples'
import { useStoreApi } from '../storeContext'
import { ListDialog } from './ListDialog'
import { failureText, safely } from '../userMessage'

/** "3 Deployments, 3 Services, 1 Namespace": what an example is made of, read from its manifest. */
function contents(e: Example): string {
  const counts = new Map<string, number>()
  for (const m of e.manifest.matchAll(/^kind: (\w+)$/gm)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1)
  return [...counts].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : kind.endsWith('s') ? 'es' : 's'}`).join(', ')
}

/** What happened when an example was added: kubectl apply's lines, or why it was refused. */
type Outcome = { readonly id: string; readonly ok: boolean; readonly lines: readonly string[] }

/**
 * The example applications, each with what it is and what it is made of. Adding one is `kubectl apply -f` of its
 * manifest: it joins what runs (in its own namespace), nothing running is removed or replaced, and adding it again
 * changes nothing. Its YAML can be read before.
 */
export function ExamplesDialog({ onClose }: { onClose: () => void }) {
  const store = useStoreApi()
  const [outcome, setOutcome] = useState<Outcome | undefined>()
  const add = (e: Example) => {
    const r = safely(
      () => store.getState().apply(e.manifest),
      () => store.setState({ state: store.getState().sim.state }),
    )
    setOutcome({ id: e.id, ok: r.ok, lines: r.ok ? r.applied.map((a) => a.message) : [failureText(r)] })
  }
  return (
    <ListDialog id="examples" title="Example applications" onClose={onClose}>
      <p className="hint">
        Adding an example applies its manifest to the running cluster, as <code>kubectl apply -f</code> would: it runs beside what is there, in its own namespace; nothing already running is removed or replaced. Every image and port works as written on a real cluster.
      </p>
      <ul className="examples">
        {EXAMPLES.map((e) => (
          <li key={e.id} className="example" aria-labelledby={`example-${e.id}`}>
            <h3 id={`example-${e.id}`}>{e.title}</h3>
            <p>{e.summary}</p>
            <p className="hint">
              Namespace <code>{e.namespace}</code>: {contents(e)}.
            </p>
            <div className="row">
              <button type="button" className="primary" onClick={() => add(e)} aria-describedby={`example-${e.id}`}>
                Add to the cluster
              </button>
            </div>
            <details>
              <summary>Read its YAML</summary>
              <pre tabIndex={0} aria-label={`${e.title} as YAML`}>{e.manifest}</pre>
            </details>
            {outcome?.id === e.id ? (
              <div className={outcome.ok ? 'example-outcome' : 'example-outcome errors'} role={outcome.ok ? 'status' : 'alert'} aria-label={`${e.title}: ${outcome.ok ? 'added' : 'refused'}`}>
                {outcome.ok ? <p>Added. Close this list to watch it start.</p> : null}
                <pre className="kubectl-output" tabIndex={0} aria-label={`What kubectl apply answered for ${e.title}`}>{outcome.lines.join('\n')}</pre>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </ListDialog>
  )
}
