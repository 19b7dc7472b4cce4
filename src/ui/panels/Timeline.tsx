import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'

// Re-rendered when an event arrives, not on every frame.
const selectEventCount = (s: SimulationStore) => s.sim.eventCount
const selectSim = (s: SimulationStore) => s.sim

/** The story as it happens: API server, etcd, controllers, CoreDNS, kube-proxy on each node, newest first. */
export function Timeline() {
  useSim(selectEventCount)
  const sim = useSim(selectSim)
  const events = sim.recentEvents(60).reverse()
  return (
    <section className="panel timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">What just happened</h2>
      <ul className="events timeline-events" aria-label="Events, newest first" tabIndex={0}>
        {events.map((e, i) => (
          <li key={`${e.time}-${i}`} data-actor={e.actor.split('/')[0]}>
            <time>{(e.time / 1000).toFixed(1)}s</time> <strong>{e.actor}</strong> {e.object}: {e.message}
          </li>
        ))}
      </ul>
    </section>
  )
}
