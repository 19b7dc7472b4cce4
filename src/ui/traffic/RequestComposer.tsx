import { useId, useMemo, useState } from 'react'
import { COUNTS } from '../../store/trafficStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useTrafficApi } from '../storeContext'
import { targetSuggestions } from './targets'

const selectSim = (s: SimulationStore) => s.sim
const selectPods = (s: SimulationStore) => s.state.pods
const selectServices = (s: SimulationStore) => s.state.services

/** Who sends, to what, how many requests, and whether they share one connection. */
export function RequestComposer() {
  const traffic = useTrafficApi()
  const sim = useSim(selectSim)
  const pods = useSim(selectPods)
  const services = useSim(selectServices)
  const [from, setFrom] = useState('default/client')
  const [target, setTarget] = useState('web:80')
  const [count, setCount] = useState<number>(1)
  const [keepAlive, setKeepAlive] = useState(false)
  const listId = useId()
  const clients = useMemo(
    () => [...pods.values()].filter((p) => p.status.phase === 'Running' && !p.spec.hostNetwork && !p.metadata.deletionTimestamp).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort(),
    [pods],
  )
  // Suggestions follow the Services (and their load-balancer addresses), not every pod change.
  const suggestions = useMemo(() => (void services, targetSuggestions(sim, from)), [sim, from, services])
  return (
    <form
      className="composer"
      aria-label="Send a request"
      onSubmit={(e) => {
        e.preventDefault()
        traffic.getState().send({ from, target: target.trim(), count, keepAlive })
      }}
    >
      <label>
        From{' '}
        <select value={from} onChange={(e) => setFrom(e.target.value)} aria-label="From">
          <option value="external">Internet (198.51.100.23)</option>
          {clients.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
      <label>
        To{' '}
        <input value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Target host:port" list={listId} spellCheck={false} />
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s.value} value={s.value} label={s.label} />
          ))}
        </datalist>
      </label>
      <fieldset className="counts">
        <legend>Requests</legend>
        {COUNTS.map((n) => (
          <label key={n}>
            <input type="radio" name="count" value={n} checked={count === n} onChange={() => setCount(n)} /> {n}
          </label>
        ))}
      </fieldset>
      <label className="keepalive">
        <input type="checkbox" checked={keepAlive} onChange={(e) => setKeepAlive(e.target.checked)} /> Reuse one connection (keep-alive)
      </label>
      <button type="submit">Send request</button>
    </form>
  )
}
