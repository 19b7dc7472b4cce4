import { histogram, type TrafficStore } from '../../store/trafficStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useTrafficApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'

const selectBatch = (s: TrafficStore) => s.batch
const selectPods = (s: SimulationStore) => s.state.pods

/** Beyond this many pods one bar each is unreadable: the spread is shown as how many pods served k requests. */
const MAX_BARS = 24

/** Binomial probability of k successes in n tries at p, through logs (n may be in the thousands). */
function binomial(n: number, k: number, p: number): number {
  let log = k * Math.log(p) + (n - k) * Math.log1p(-p)
  for (let i = 1; i <= k; i++) log += Math.log(n - k + i) - Math.log(i)
  return Math.exp(log)
}

/** How many pods served 0, 1, 2, … requests, beside what a fair dice over `pods` pods would give for `n` requests. */
function Spread({ counts, pods, n }: { counts: readonly number[]; pods: number; n: number }) {
  const top = Math.max(...counts)
  const rows = Array.from({ length: top + 1 }, (_, k) => ({ k, seen: counts.filter((c) => c === k).length, expected: pods * binomial(n, k, 1 / pods) }))
  const max = Math.max(1, ...rows.map((r) => Math.max(r.seen, r.expected)))
  return (
    <table aria-label="Pods by requests served">
      <thead>
        <tr>
          <th scope="col">requests</th>
          <th scope="col">pods</th>
          <th scope="col">
            <span className="visually-hidden">bar</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.k}>
            <th scope="row">{r.k}</th>
            <td className="num">{r.seen}</td>
            <td className="bar-cell">
              <span className="bar" style={{ width: `${(100 * r.seen) / max}%` }} />
              <span className="expected" style={{ left: `${(100 * r.expected) / max}%` }} title={`expected ${r.expected.toFixed(1)}`} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/**
 * Which pod served how many of the batch's requests, beside what a fair dice over the pods ready when it started
 * would give; requests that failed, by reason; and how many connections were opened (keep-alive rolls the dice once
 * per connection, not per request).
 */
export function Histogram() {
  // A batch grows by dozens of requests a second: read four times a second.
  const batch = useThrottledStore(useTrafficApi(), selectBatch, 250)
  const pods = useSim(selectPods)
  if (!batch || batch.spec.count < 2) return null
  const { served, failed, reused } = histogram(batch.sent)
  const ready = batch.backends?.pods ?? []
  const rows = [...new Set([...ready, ...served.keys()])].sort()
  const ok = [...served.values()].reduce((a, b) => a + b, 0)
  const connections = batch.sent.length - reused
  const expected = ready.length ? ok / ready.length : 0
  const max = Math.max(1, expected, ...served.values())
  const chi2 = ready.length > 1 && !batch.spec.keepAlive && !batch.backends?.local ? ready.reduce((s, p) => s + ((served.get(p) ?? 0) - expected) ** 2 / expected, 0) : undefined
  return (
    <section className="histogram" aria-labelledby="histogram-title">
      <h3 id="histogram-title">
        {batch.sent.length} of {batch.spec.count} requests sent, {connections} {connections === 1 ? 'connection' : 'connections'}
      </h3>
      {rows.length > MAX_BARS ? (
        <Spread counts={rows.map((p) => served.get(p) ?? 0)} pods={rows.length} n={ok} />
      ) : (
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
                  <th scope="row" title={p} data-pod-name="">
                    <bdi>{p.split('/')[1]}</bdi>
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
          </tbody>
        </table>
      )}
      {failed.size ? (
        <ul className="failures" aria-label="Failed requests">
          {[...failed].map(([why, n]) => (
            <li key={why}>
              {n} × {why}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="hint">
        {batch.backends?.local
          ? `externalTrafficPolicy: Local: the load balancer (or the node you sent to) picks a node, and each node sends only to its own pods, keeping the client's address. A pod alone on its node gets that node's whole share; the dice over pods is not fair.`
          : batch.spec.keepAlive
          ? `Keep-alive: the dice is rolled when a connection opens; conntrack keeps every later request on the pod it chose (${reused} of ${batch.sent.length} reused a connection).`
          : ready.length
            ? `A fair dice over the ${ready.length} pods ready at the start gives ${expected.toFixed(1)} each${rows.length > MAX_BARS ? ', so the number of pods serving k requests follows a binomial law (the lines)' : ' (the line)'}${chi2 !== undefined ? `; χ² = ${chi2.toFixed(2)} with ${ready.length - 1} degrees of freedom` : ''}.`
            : 'No pod was ready when the batch started.'}
      </p>
    </section>
  )
}
