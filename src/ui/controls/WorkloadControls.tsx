import { CommandError } from '../CommandError'
import { useState } from 'react'
import type { Deployment } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import type { NamespaceFilter } from '../graph/graphTypes'
import type { Selection } from '../selection'
import { scaleQuestion, thousands } from '../largeChange'
import { useSim, useStoreApi } from '../storeContext'
import { failureText, safely } from '../userMessage'
import { useChange } from './ChangeGuard'
import { CONTINUE_FIRST, useViewingPast } from '../timeline/useViewingPast'

const selectDeployments = (s: SimulationStore) => s.state.deployments

/** One Deployment: buttons to scale by one and a number to type. */
function DeploymentRow({ d, onError, onSelect }: { d: Deployment; onError: (message: string | undefined) => void; onSelect?: (s: Selection) => void }) {
  const store = useStoreApi()
  const { name, namespace } = d.metadata
  const [draft, setDraft] = useState<string | undefined>(undefined)
  const change = useChange()
  // The Deployments as they were at the moment shown: read, not changed, there.
  const past = useViewingPast()
  const frozen = past ? { disabled: true, title: CONTINUE_FIRST } : {}
  const scale = (n: number) => {
    const perform = () => {
      const r = safely(
        () => store.getState().scale(namespace, name, n),
        () => store.setState({ state: store.getState().sim.state }),
      )
      onError(r.ok ? undefined : failureText(r))
    }
    const question = scaleQuestion(name, d.spec.replicas, n)
    change(question ? { perform, question, title: `Scale ${name} to ${thousands(n)}?`, yes: `Scale to ${thousands(n)}`, working: `Scaling ${name} to ${thousands(n)} replicas…` } : { perform })
  }
  const commit = () => {
    if (draft === undefined) return
    scale(draft.trim() === '' ? NaN : Number(draft))
    setDraft(undefined)
  }
  return (
    <li className="workload">
      <span className="workload-name">
        {/* A long namespace/name wraps after the slash, not inside a word. Its name opens it in the inspector, rollout history and all. */}
        <button type="button" className="link workload-link" aria-label={`Inspect Deployment ${namespace}/${name} and its rollout history`} onClick={() => onSelect?.({ kind: 'Deployment', ...(namespace ? { namespace } : {}), name })}>
          {namespace === 'default' ? (
            name
          ) : (
            <>
              {namespace}/<wbr />
              {name}
            </>
          )}
        </button>{' '}
        <small>
          {d.status.readyReplicas ?? 0}/{d.spec.replicas} ready
        </small>
      </span>
      <button type="button" aria-label={`Scale down ${name}`} onClick={() => scale(Math.max(0, d.spec.replicas - 1))} disabled={d.spec.replicas === 0} {...frozen}>
        −
      </button>
      <input
        type="number"
        role="spinbutton"
        aria-label={`${name} replicas`}
        min={0}
        max={10000}
        value={draft ?? String(d.spec.replicas)}
        {...frozen}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit()
          if (e.key === 'Escape') setDraft(undefined)
        }}
      />
      <button type="button" aria-label={`Scale up ${name}`} onClick={() => scale(d.spec.replicas + 1)} {...frozen}>
        +
      </button>
    </li>
  )
}

/** The Deployments of the shown namespaces, each with its scale controls. */
export function WorkloadControls({ namespaces, onSelect }: { namespaces: NamespaceFilter; onSelect?: (s: Selection) => void }) {
  const deployments = useSim(selectDeployments)
  const [error, setError] = useState<string | undefined>()
  const list = [...deployments.values()].filter((d) => namespaces.has(d.metadata.namespace)).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
  return (
    <section className="panel" aria-labelledby="workloads-title">
      <h2 id="workloads-title">Deployments</h2>
      <ul className="workloads">
        {list.map((d) => (
          <DeploymentRow key={`${d.metadata.namespace}/${d.metadata.name}`} d={d} onError={setError} {...(onSelect ? { onSelect } : {})} />
        ))}
      </ul>
      <CommandError message={error} />
    </section>
  )
}
