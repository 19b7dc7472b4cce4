import { useState } from 'react'
import type { ConnectResult } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'

const selectSim = (s: SimulationStore) => s.sim
const selectPods = (s: SimulationStore) => s.state.pods

/** Sends one request through the simulated dataplane and lists its hops. */
export function RequestPanel() {
  const sim = useSim(selectSim)
  const pods = useSim(selectPods)
  const [from, setFrom] = useState('default/client')
  const [target, setTarget] = useState('web:80')
  const [result, setResult] = useState<ConnectResult | undefined>()
  const clients = [...pods.values()].filter((p) => p.status.phase === 'Running' && !p.spec.hostNetwork).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort()
  return (
    <section className="panel" aria-labelledby="request-title">
      <h2 id="request-title">Send a request</h2>
      <div className="row">
        <label>
          From{' '}
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            <option value="external">Internet</option>
            {clients.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          To <input value={target} onChange={(e) => setTarget(e.target.value)} aria-label="Target host:port" size={18} />
        </label>
        <button type="button" onClick={() => setResult(sim.connect(from, target))}>
          Send request
        </button>
      </div>
      {result ? (
        <>
          <p role="status">{result.ok ? `Served by ${result.pod ?? 'a host outside the cluster'} at ${result.endpoint}.` : `Failed: ${result.reason}`}</p>
          <ol className="hops" aria-label="Hops">
            {result.hops.map((h, i) => (
              <li key={i}>
                <strong>{h.step}</strong> at {h.at}: <code>{h.before.src} → {h.before.dst}</code>
                {h.after.src !== h.before.src || h.after.dst !== h.before.dst ? (
                  <>
                    {' '}becomes <code>{h.after.src} → {h.after.dst}</code>
                  </>
                ) : null}
                <div className="note">{h.note}</div>
                {h.rule ? <code className="rule">{h.rule}</code> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  )
}
