import { isPodRunning, toYaml, type Deployment, type EndpointSlice, type Pod, type Service } from '../../sim'
import type { ShellTarget } from '../console/consoleStore'
import { useCallback, useMemo } from 'react'
import type { SimulationStore } from '../../store/simulationStore'
import { titleOf, type Selection } from '../selection'
import { useReader, useSim, useStoreApi } from '../storeContext'
import { safely } from '../userMessage'
import { NodeRules } from './NodeRules'
import { RolloutHistory } from './RolloutHistory'
import { FaultMenu } from '../faults/FaultMenu'
import { CONTINUE_FIRST, useViewingPast } from '../timeline/useViewingPast'
import { faultBadgesById } from '../faults/faultLabels'
import type { FaultTarget } from '../faults/faultChoices'

const selectEventCount = (s: SimulationStore) => s.reader.eventCount
const selectFaults = (s: SimulationStore) => s.state.faults

/**
 * The selected object: as `kubectl get -o yaml` shows it, what it is related to, and its events. `service` is the
 * Service last looked at: a Node's rules open with it highlighted. A running Pod and a Node offer a shell there.
 */
export function Inspector({ selected, service, onSelect, onOpenShell }: { selected?: Selection; service?: string; onSelect: (s: Selection) => void; onOpenShell?: (target: ShellTarget) => void }) {
  if (!selected) {
    return (
      <section className="panel inspector" aria-labelledby="inspector-title">
        <h2 id="inspector-title">Inspector</h2>
        <p className="hint">Select a Node, Pod, Service or EndpointSlice in the graph.</p>
      </section>
    )
  }
  return <SelectedObject selected={selected} {...(service ? { service } : {})} onSelect={onSelect} {...(onOpenShell ? { onOpenShell } : {})} />
}

/**
 * One object, re-read when it changes or when something happens (its events, its related objects), not on every
 * frame: its YAML, environment and events are worth building only then.
 */
function SelectedObject({ selected, service, onSelect, onOpenShell }: { selected: Selection; service?: string; onSelect: (s: Selection) => void; onOpenShell?: (target: ShellTarget) => void }) {
  // The object as it is, or as it was at the moment shown on the "Cluster time" slider.
  const sim = useReader()
  const store = useStoreApi()
  const past = useViewingPast()
  const obj = useSim(useCallback((s: SimulationStore) => s.reader.get(selected.kind, selected.namespace, selected.name), [selected]))
  useSim(selectEventCount)
  const faults = useSim(selectFaults)
  const faultTarget: FaultTarget | undefined = useMemo(
    () => (selected.kind === 'Node' ? { kind: 'node', name: selected.name } : selected.kind === 'Pod' && selected.namespace ? { kind: 'pod', namespace: selected.namespace, name: selected.name } : undefined),
    [selected],
  )
  const faultsHere = useMemo(() => (faultTarget ? (faultBadgesById(faults.values()).get(faultTarget.kind === 'node' ? `node:${faultTarget.name}` : `pod:${faultTarget.namespace}/${faultTarget.name}`) ?? []) : []), [faults, faultTarget])
  const objectName = titleOf(selected)
  const events = sim.recentEvents(2000).filter((e) => e.object === objectName).slice(-12)
  const related: Selection[] = []
  if (obj && selected.kind === 'Pod') {
    const pod = obj as Pod
    if (pod.spec.nodeName) related.push({ kind: 'Node', name: pod.spec.nodeName })
    for (const s of sim.list('Service', pod.metadata.namespace) as Service[]) {
      const sel = s.spec.selector
      if (sel && Object.keys(sel).length && Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v)) related.push({ kind: 'Service', namespace: s.metadata.namespace, name: s.metadata.name })
    }
  }
  if (obj && selected.kind === 'EndpointSlice') {
    const slice = obj as EndpointSlice
    const owner = slice.metadata.labels?.['kubernetes.io/service-name']
    if (owner) related.push({ kind: 'Service', namespace: slice.metadata.namespace, name: owner })
    for (const ep of slice.endpoints ?? []) if (ep.targetRef) related.push({ kind: 'Pod', namespace: ep.targetRef.namespace, name: ep.targetRef.name })
  }
  if (obj && selected.kind === 'Service') {
    for (const s of sim.list('EndpointSlice', selected.namespace)) if (s.metadata.labels?.['kubernetes.io/service-name'] === selected.name) related.push({ kind: 'EndpointSlice', namespace: s.metadata.namespace, name: s.metadata.name })
  }
  let env: Record<string, string> | undefined
  if (selected.kind === 'Pod') {
    try {
      env = sim.env(`${selected.namespace}/${selected.name}`)
    } catch {
      env = undefined
    }
  }
  return (
    <section className="panel inspector" aria-labelledby="inspector-title">
      <h2 id="inspector-title">{objectName}</h2>
      {!obj ? <p className="hint">It is gone: deleted, or replaced.</p> : null}
      {obj && selected.kind === 'Pod' && onOpenShell ? (
        <button type="button" onClick={() => onOpenShell({ pod: `${selected.namespace}/${selected.name}` })} disabled={!isPodRunning(obj as Pod) || !!obj.metadata.deletionTimestamp} title="kubectl exec -it … -- sh, in the console">
          Open a shell in this pod
        </button>
      ) : null}{' '}
      {obj && selected.kind === 'Pod' ? (
        <button type="button" className="danger" onClick={() => safely(() => store.getState().deletePod(selected.namespace!, selected.name), () => store.setState({ state: store.getState().sim.state }))} aria-label={`Delete pod ${selected.name}`} disabled={!!obj.metadata.deletionTimestamp || past} {...(past ? { title: CONTINUE_FIRST } : {})}>
          {obj.metadata.deletionTimestamp ? 'Terminating…' : 'Delete pod'}
        </button>
      ) : null}{' '}
      {obj && faultTarget ? <FaultMenu target={faultTarget} label={`Faults on ${selected.kind === 'Pod' ? 'pod ' : ''}${selected.name}`} active={faultsHere.length} /> : null}
      {faultsHere.length ? (
        <p className="inspector-faults">
          <span aria-hidden="true">⚠ </span>
          {faultsHere.join(', ')}
        </p>
      ) : null}
      {related.length ? (
        <div className="related">
          Related:{' '}
          {related.map((r) => (
            <button type="button" className="link" key={`${r.kind}/${r.namespace}/${r.name}`} onClick={() => onSelect(r)}>
              {r.kind} {r.name}
            </button>
          ))}
        </div>
      ) : null}
      {selected.kind === 'Node' && obj && onOpenShell ? (
        <button type="button" onClick={() => onOpenShell({ node: selected.name })} title="A root shell on the node, in the console: iptables-save, conntrack -L, crictl ps">
          Open a shell on this node
        </button>
      ) : null}
      {selected.kind === 'Deployment' && obj ? <RolloutHistory deployment={obj as Deployment} /> : null}
      {selected.kind === 'Node' && obj ? <NodeRules node={selected.name} {...(service ? { service } : {})} /> : null}
      {env ? (
        <details>
          <summary>Environment (fixed when the container started)</summary>
          <pre tabIndex={0} aria-label="Environment variables">{Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n')}</pre>
        </details>
      ) : null}
      {events.length ? (
        <details open>
          <summary>Events</summary>
          <ol className="events">
            {events.map((e, i) => (
              <li key={i}>
                <time>{(e.time / 1000).toFixed(1)}s</time> <strong>{e.actor}</strong>: {e.message}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {obj ? (
        <details>
          <summary>YAML (kubectl get -o yaml)</summary>
          <pre tabIndex={0} aria-label={`${objectName} as YAML`}>{toYaml(obj)}</pre>
        </details>
      ) : null}
    </section>
  )
}
