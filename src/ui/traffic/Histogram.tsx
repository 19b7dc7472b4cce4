import { BarTable, type BarRow } from './BarTable'
import type { SpreadPolicy } from '../../store/backends'
import { histogram, type TrafficStore } from '../../store/trafficStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useTrafficApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'
import { chiSquareTail } from './chiSquare'

const selectBatch = (s: TrafficStore) => s.batch
const selectPods = (s: SimulationStore) => s.state.pods

/** Why a batch is not spread by a fair dice over the ready pods, when a Service's policy says otherwise. */
const POLICY_NOTES: Record<SpreadPolicy, string> = {
  externalLocal: "From outside under externalTrafficPolicy: Local, a node sends only to its own pods (keeping the client's address), so the spread follows the nodes traffic enters, not the pods: a pod alone on its node gets that node's whole share.",
  internalLocal: "internalTrafficPolicy: Local: a pod's traffic to the Service goes only to the ready pods on its own node (the line spreads over those); with none there, it is dropped.",
  clientIP: "sessionAffinity: ClientIP: kube-proxy's `recent` rules send every connection from one client address to the pod it was first given (for 3 hours), so one client's requests all land on one pod.",
}

/** "42%", or "under 0.1%" */
const percent = (p: number) => (p < 0.001 ? 'under 0.1%' : `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%`)

/** Beyond this many pods one bar each is unreadable: the spread is shown as how many pods served k requests. */
const MAX_BARS = 24

/** Binomial probability of k successes in n tries at p, through logs (n may be in the thousands). */
function binomial(n: number, k: number, p: number): number {
  let log = k * Math.log(p) + (n - k) * Math.log1p(-p)
  for (let i = 1; i <= k; i++) log += Math.log(n - k + i) - Math.log(i)
  return Math.exp(log)
}



/** How many pods served 0, 1, 2, … requests, beside what a fair dice over `pods` pods would give for `n` requests. */
function spreadRows(counts: readonly number[], pods: number, n: number): BarRow[] {
  return Array.from({ length: Math.max(...counts) + 1 }, (_, k) => ({ key: String(k), label: String(k), count: counts.filter((c) => c === k).length, expected: pods * binomial(n, k, 1 / pods) }))
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
  const chi2 = ready.length > 1 && !batch.spec.keepAlive && !batch.backends?.policy ? ready.reduce((s, p) => s + ((served.get(p) ?? 0) - expected) ** 2 / expected, 0) : undefined
  return (
    <section className="histogram" aria-labelledby="histogram-title">
      <h3 id="histogram-title">
        {batch.sent.length} of {batch.spec.count} requests sent, {connections} {connections === 1 ? 'connection' : 'connections'}
      </h3>
      {rows.length > MAX_BARS ? (
        <BarTable label="Pods by requests served" headers={['requests', 'pods']} rows={spreadRows(rows.map((p) => served.get(p) ?? 0), rows.length, ok)} />
      ) : (
        <BarTable
          label="Requests per pod"
          headers={['pod', 'served']}
          rows={rows.map((p) => {
            const note = !ready.includes(p) ? ' (became ready during the batch)' : !pods.has(p) ? ' (gone now)' : undefined
            return { key: p, label: p.split('/')[1]!, podName: true, count: served.get(p) ?? 0, ...(note ? { note } : {}), ...(expected > 0 && ready.includes(p) ? { expected } : {}) }
          })}
        />
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
        {batch.backends?.policy
          ? POLICY_NOTES[batch.backends.policy]
          : batch.spec.keepAlive
          ? `Keep-alive: the dice is rolled when a connection opens; conntrack keeps every later request on the pod it chose (${reused} of ${batch.sent.length} reused a connection).`
          : rows.length > MAX_BARS
            ? `A fair dice over these ${rows.length} pods gives ${(ok / rows.length).toFixed(1)} requests each on average; the lines show how many pods it would leave with each number of requests.`
          : ready.length
            ? `A fair dice over the ${ready.length} pods ready at the start gives ${expected.toFixed(1)} each (the line)${chi2 !== undefined ? `. χ² = ${chi2.toFixed(2)} (${ready.length - 1} degrees of freedom): a fair dice spreads at least this unevenly ${percent(chiSquareTail(chi2, ready.length - 1))} of the time` : ''}.`
            : 'No pod was ready when the batch started.'}
      </p>
    </section>
  )
}
