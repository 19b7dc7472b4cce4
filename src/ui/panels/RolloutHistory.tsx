import { CommandError } from '../CommandError'
import { useState } from 'react'
import type { CommandResult, Deployment } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { useReader, useSim, useStoreApi } from '../storeContext'
import { CONTINUE_FIRST, useViewingPast } from '../timeline/useViewingPast'
import { failureText } from '../userMessage'
import { rolloutRevisions } from './rolloutRevisions'

const selectReplicaSets = (s: SimulationStore) => s.state.replicaSets

/**
 * A Deployment's revisions side by side, newest first: each ReplicaSet with its image and its pods (desired and
 * ready), so a rolling update is seen moving pods from the old one to the new, and a rollback as the old template
 * coming back under a new revision number. "Roll back" is `kubectl rollout undo`.
 */
export function RolloutHistory({ deployment }: { deployment: Deployment }) {
  const reader = useReader()
  useSim(selectReplicaSets)
  const store = useStoreApi()
  const past = useViewingPast()
  const [error, setError] = useState<string | undefined>()
  const revisions = rolloutRevisions(reader, deployment)
  const { namespace, name } = deployment.metadata
  const previous = revisions.find((r) => !r.current)
  const undo = () => {
    const r = store.getState().dispatch({ type: 'rolloutUndo', namespace: namespace!, name }) as CommandResult
    setError(r.ok ? undefined : failureText(r))
  }
  const widest = Math.max(1, ...revisions.map((r) => r.desired))
  return (
    <section className="rollout-history" aria-labelledby="rollout-title">
      <h3 id="rollout-title">Rollout history</h3>
      <ol className="revisions">
        {revisions.map((r) => (
          <li key={r.replicaSet} className={r.current ? 'revision current' : 'revision'} aria-current={r.current ? 'true' : undefined}>
            <span className="revision-number">
              Revision {r.revision}
              {r.current ? ' (current)' : ''}
            </span>
            <span className="revision-pods">
              {r.ready}/{r.desired} pods ready
            </span>
            <span className="revision-bar" aria-hidden="true">
              <span style={{ width: `${(100 * r.desired) / widest}%` }} />
            </span>
            {r.images.map((i) => (
              <code key={i} className="revision-image">
                {i.slice(i.indexOf('=') + 1)}
              </code>
            ))}
            <code className="revision-rs">{r.replicaSet}</code>
          </li>
        ))}
      </ol>
      <button type="button" onClick={undo} disabled={past || !previous} title={past ? CONTINUE_FIRST : previous ? `kubectl rollout undo deployment/${name}: back to revision ${previous.revision}'s template` : 'There is no earlier revision to roll back to'}>
        Roll back to revision {previous?.revision ?? '–'}
      </button>
      <CommandError message={error} />
    </section>
  )
}
