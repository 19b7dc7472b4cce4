import { histogram, type TrafficStore } from '../../store/trafficStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useTraffic } from '../storeContext'

const selectBatch = (s: TrafficStore) => s.batch
const selectPods = (s: SimulationStore) => s.state.pods

/**
 * Which pod served how many of the batch's requests, beside what a fair dice over the pods ready when it started
 * would give; requests that failed, by reason; and how many connections were opened (keep-alive rolls the dice once
 * per connection, not per request).
 */
export function Histogram() {
  const batch = useTraffic(selectBatch)
  const pods = useSim(selectPods)
  if (!batch || batch.spec.count < 2) return null
  const { served, failed, reused } = histogram(batch.sent)
  const ready = batch.backends?.pods ?? []
  const rows = [...new Set([...ready, ...served.keys()])].sort()
  const ok = [...served.values()].reduce((a, b) => a + b, 0)
  const connections = batch.sent.length - reused
  const expected = ready.length ? ok / ready.length : 0
  const max = Math.max(1, expected, ...served.values())
  const chi2 = ready.length > 1 && !batch.spec.keepAlive ? ready.reduce((s, p) => s + ((served.get(p) ?? 0) - expected) ** 2 / expected, 0) : undefined
  return (
    <section className="histogram" aria-labelledby="histogram-title">
      <h3 id="histogram-title">
        {batch.sent.length} of {batch.spec.count} requests sent, {connections} {connections === 1 ? 'connection' : 'connections'}
      </h3>
      <table aria-label="Requests per pod">
        <thead>
          <tr>
            <th scope="col">pod</th>
            <th scope="col">served</th>
            <th scope="col">
              <span className="visually-hidden">bar</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => {
            const n = served.get(p) ?? 0
            const note = !ready.includes(p) ? ' (became ready during the batch)' : !pods.has(p) ? ' (gone now)' : ''
            return (
              <tr key={p} data-pod={p}>
                <th scope="row" title={p}>
                  {p.split('/')[1]}
                  {note ? <small>{note}</small> : null}
                </th>
                <td className="num">{n}</td>
                <td className="bar-cell">
                  <span className="bar" style={{ width: `${(100 * n) / max}%` }} />
                  {expected > 0 && ready.includes(p) ? <span className="expected" style={{ left: `${(100 * expected) / max}%` }} title={`expected ${expected.toFixed(1)}`} /> : null}
                </td>
              </tr>
            )
          })}
          {[...failed].map(([why, n]) => (
            <tr key={why} className="failed">
              <th scope="row">{why}</th>
              <td className="num">{n}</td>
              <td />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {batch.spec.keepAlive
          ? `Keep-alive: the dice is rolled when a connection opens; conntrack keeps every later request on the pod it chose (${reused} of ${batch.sent.length} reused a connection).`
          : ready.length
            ? `A fair dice over the ${ready.length} pods ready at the start gives ${expected.toFixed(1)} each (the line)${chi2 !== undefined ? `; χ² = ${chi2.toFixed(2)} with ${ready.length - 1} degrees of freedom` : ''}.`
            : 'No pod was ready when the batch started.'}
      </p>
    </section>
  )
}
