import type { Hop } from '../../sim'
import type { TrafficStore } from '../../store/trafficStore'
import { CompareModesButton } from '../modes/CompareModesButton'
import { useTraffic } from '../storeContext'
import { Histogram } from './Histogram'
import { HopList } from './HopList'
import { JourneyControls } from './JourneyControls'
import { RequestComposer } from './RequestComposer'

const selectRequest = (s: TrafficStore) => s.batch?.sent[s.selected]
const selectHop = (s: TrafficStore) => s.hop

/** The hop at which the watched request's fate is known: its delivery to a pod, or where it was refused or lost. */
function revealHop(hops: readonly Hop[]): number {
  const i = hops.findIndex((h) => (h.phase === 'request' && h.step === 'deliver') || h.step === 'drop' || h.step === 'reject')
  return i >= 0 ? i : hops.length - 1
}

/**
 * How the watched request ended, in one sentence, once the packet has got that far: said earlier, it would answer
 * the question a teacher asks while it travels ("which pod will it reach?").
 */
function Outcome() {
  const request = useTraffic(selectRequest)
  const hop = useTraffic(selectHop)
  if (!request) return null
  const r = request.result
  if (hop < revealHop(r.hops) && r.hops.length > 0) {
    return (
      <p role="status" className="outcome pending">
        On its way: follow the packet.
      </p>
    )
  }
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
      {/* Right after the outcome: one Tab from the send button to the packet's details under the graph. */}
      {request ? (
        detailsShown ? (
          <a className="to-details" href="#packet-details">
            Go to the packet's details
          </a>
        ) : (
          <button type="button" onClick={onShowDetails}>
            Show the packet under the graph
          </button>
        )
      ) : null}
      <Histogram />
      {/* After the packet's link: the send button stays one Tab from the packet's details. */}
      <p className="compare-modes">
        The same request through iptables, IPVS and nftables, side by side: <CompareModesButton />
      </p>
      <JourneyControls />
      <HopList />
    </section>
  )
}
