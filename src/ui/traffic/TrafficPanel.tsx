import type { TrafficStore } from '../../store/trafficStore'
import { useTraffic } from '../storeContext'
import { Histogram } from './Histogram'
import { HopList } from './HopList'
import { JourneyControls } from './JourneyControls'
import { RequestComposer } from './RequestComposer'

const selectRequest = (s: TrafficStore) => s.batch?.sent[s.selected]

/** How the watched request ended, in one sentence. */
function Outcome() {
  const request = useTraffic(selectRequest)
  if (!request) return null
  const r = request.result
  const dnat = r.hops.find((h) => h.phase === 'request' && h.before.dst !== h.after.dst)
  return (
    <p role="status" className={r.ok ? 'outcome ok' : 'outcome failed'}>
      {r.ok
        ? `Served by ${r.pod ?? 'a host outside the cluster'} at ${r.endpoint}${dnat ? ` (sent to ${dnat.before.dst}, DNAT-ed on ${dnat.at})` : ''}.`
        : `Failed: ${r.reason}`}
    </p>
  )
}

/** Sending requests and following them: the composer, the player, the hops, the spread over pods. */
export function TrafficPanel({ detailsShown, onShowDetails }: { detailsShown: boolean; onShowDetails: () => void }) {
  const request = useTraffic(selectRequest)
  return (
    <section className="panel traffic" aria-labelledby="traffic-title">
      <h2 id="traffic-title">Send a request</h2>
      <RequestComposer />
      <Outcome />
      <Histogram />
      <JourneyControls />
      {request && !detailsShown ? (
        <button type="button" onClick={onShowDetails}>
          Show the packet under the graph
        </button>
      ) : null}
      <HopList />
    </section>
  )
}
