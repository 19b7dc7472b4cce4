import { CommandError } from '../CommandError'
import { useMemo } from 'react'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useStoreApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'
import { faultRows } from './faultLabels'
import { useFaultRunner } from './faultRunner'
import './faults.css'

const selectFaults = (s: SimulationStore) => s.state.faults
/** The clock to the second: how long a fault has lasted is read, not watched. */
const selectSecond = (s: SimulationStore) => Math.floor(s.state.now / 1000)

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

/**
 * What is broken on purpose right now, above the story it makes (the event list): each fault, where, since when
 * (virtual time, as the clock shows it), with a Heal button; Heal all when there are several. A refused fault or heal
 * is said here. Drawn only while there is something to say.
 */
export function ActiveFaults({ problem, onDismiss }: { problem: string | undefined; onDismiss: () => void }) {
  const faults = useSim(selectFaults)
  const rows = useMemo(() => faultRows(faults.entries()), [faults])
  const run = useFaultRunner()
  if (!rows.length && !problem) return null
  const healAll = () => {
    for (const r of rows) if (!run({ type: 'heal', fault: r.fault, target: r.target }).ok) break
  }
  return (
    <section className="active-faults" aria-labelledby="active-faults-title">
      {rows.length ? (
        <>
          <div className="active-faults-head">
            <h2 id="active-faults-title">
              <span aria-hidden="true">⚠ </span>
              {rows.length === 1 ? 'Active fault' : `Active faults (${rows.length})`}
            </h2>
            {rows.length > 1 ? (
              <button type="button" className="heal-all" onClick={healAll}>
                Heal all
              </button>
            ) : null}
          </div>
          <ul>
            {rows.map((r) => (
              <li key={r.key} data-fault={r.fault} data-target={r.target}>
                <span className="active-fault-what">
                  <strong>{r.title}</strong>
                  <span className="visually-hidden">: </span>
                  <span>
                    <span className="mono">{r.where}</span>, <Since since={r.since} />
                  </span>
                </span>
                <button type="button" onClick={() => run({ type: 'heal', fault: r.fault, target: r.target })} aria-label={`Heal ${r.title} on ${r.where}`}>
                  Heal
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <h2 id="active-faults-title" className="visually-hidden">
          Faults
        </h2>
      )}
      {problem ? (
        <div className="active-faults-problem">
          <CommandError message={problem} label="Refused" />
          <button type="button" onClick={onDismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </section>
  )
}

/** "since t = 20.3 s (lasting 12 s)": when it began on the cluster's clock, and how long it has lasted. */
function Since({ since }: { since: number }) {
  const store = useStoreApi()
  const now = useThrottledStore(store, selectSecond, 500) * 1000
  const lasted = Math.max(0, Math.floor((now - since) / 1000))
  return (
    <span className="active-fault-since">
      since <time>t = {seconds(since)}</time> (lasting {lasted} s)
    </span>
  )
}
