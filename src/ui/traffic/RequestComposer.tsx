import { useId, useMemo, useState } from 'react'
import { COUNTS } from '../../store/trafficStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useStoreApi, useTrafficApi } from '../storeContext'
import { CONTINUE_FIRST, useViewingPast } from '../timeline/useViewingPast'
import { userMessage } from '../userMessage'
import { externalTargetFor, targetSuggestions } from './targets'

const selectPods = (s: SimulationStore) => s.state.pods
const selectServices = (s: SimulationStore) => s.state.services

/** How many pods the From list offers at most. */
const MAX_CLIENTS = 100

/** Who sends, to what, how many requests, and whether they share one connection. */
export function RequestComposer() {
  const traffic = useTrafficApi()
  const store = useStoreApi()
  const past = useViewingPast()
  const pods = useSim(selectPods)
  const services = useSim(selectServices)
  const [from, setFrom] = useState('default/client')
  const [target, setTarget] = useState('web:80')
  const [count, setCount] = useState<number>(1)
  const [keepAlive, setKeepAlive] = useState(false)
  const listId = useId()
  const noteId = useId()
  const [failure, setFailure] = useState<string | undefined>()
  // Thousands of pods make no list to choose from: the first ones (and the one chosen) are offered.
  const clients = useMemo(() => {
    const running = [...pods.values()].filter((p) => p.status.phase === 'Running' && !p.spec.hostNetwork && !p.metadata.deletionTimestamp).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()
    const first = running.slice(0, MAX_CLIENTS)
    return first.includes(from) || from === 'external' || !running.includes(from) ? first : [...first, from]
  }, [pods, from])
  // Suggestions follow the Services (and their load-balancer addresses), not every pod change.
  const suggestions = useMemo(() => (void services, targetSuggestions(store.getState().reader, from)), [store, from, services])
  const external = from === 'external'
  const unreachable = external && !suggestions.some((s) => s.value === target.trim())
  const choose = (next: string) => {
    // A name or ClusterIP works only inside the cluster: from the Internet, offer the Service's external address.
    if (next === 'external' && from !== 'external') {
      const outside = externalTargetFor(store.getState().reader, from, target.trim())
      if (outside) setTarget(outside)
    }
    setFrom(next)
  }
  return (
    <form
      className="composer"
      aria-label="Send a request"
      onSubmit={(e) => {
        e.preventDefault()
        try {
          traffic.getState().send({ from, target: target.trim(), count, keepAlive })
          setFailure(undefined)
        } catch (error) {
          console.error(error)
          setFailure(`The request could not be sent: ${userMessage(error)}.`)
        }
      }}
    >
      <label>
        From{' '}
        <select value={from} onChange={(e) => choose(e.target.value)} aria-label="From">
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
        <input value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Target host:port" list={listId} spellCheck={false} {...(unreachable ? { 'aria-describedby': noteId } : {})} />
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s.value} value={s.value} label={s.label} />
          ))}
        </datalist>
      </label>
      {unreachable ? (
        <p className="hint target-note" id={noteId}>
          {suggestions.length
            ? `From the Internet only a NodePort (a node's address) or a load-balancer address can be reached: ${suggestions
                .slice(0, 2)
                .map((s) => s.value)
                .join(' or ')}${suggestions.length > 2 ? ', …' : ''}.`
            : 'Nothing is exposed outside the cluster yet: a Service of type NodePort or LoadBalancer (YAML tab, or an example) gives the Internet an address to send to.'}
        </p>
      ) : null}
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
      <button type="submit" disabled={past} {...(past ? { title: CONTINUE_FIRST } : {})}>
        Send request
      </button>
      {past ? <p className="hint">{CONTINUE_FIRST}.</p> : null}
      {failure ? (
        <p className="error" role="alert">
          {failure}
        </p>
      ) : null}
    </form>
  )
}
