import { HOP_RATES, type HopCategory, type TrafficStore } from '../../store/trafficStore'
import { useTraffic, useTrafficApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'
import { stepByArrows } from './stepByArrows'

const selectBatch = (s: TrafficStore) => s.batch
const selectSelected = (s: TrafficStore) => s.selected
const selectPlaying = (s: TrafficStore) => s.playing
const selectRate = (s: TrafficStore) => s.hopRate
const selectFilters = (s: TrafficStore) => s.filters
const selectFreeze = (s: TrafficStore) => s.freeze

const FILTERS: readonly [HopCategory, string][] = [
  ['dns', 'DNS'],
  ['nat', 'NAT and rules'],
  ['routing', 'Routing'],
]

/** Like a network simulator's simulation mode: which request, play or step through its hops, how fast, which hops. */
export function JourneyControls() {
  const traffic = useTrafficApi()
  // A batch grows by dozens of requests a second: read four times a second.
  const batch = useThrottledStore(traffic, selectBatch, 250)
  const selected = useTraffic(selectSelected)
  const playing = useTraffic(selectPlaying)
  const rate = useTraffic(selectRate)
  const filters = useTraffic(selectFilters)
  const freeze = useTraffic(selectFreeze)
  if (!batch) return null
  const t = traffic.getState()
  const watched = batch.sent[selected]
  return (
    <div className="journey-controls">
      {batch.spec.count > 1 ? (
        <label>
          Watch request{' '}
          <input
            type="number"
            min={1}
            max={batch.sent.length}
            value={selected + 1}
            onChange={(e) => t.select(Number(e.target.value) - 1)}
            aria-label="Watch request number"
          />{' '}
          of {batch.sent.length}
          {watched ? <span className="watched-note"> {watched.result.ok ? `→ ${watched.result.pod ?? watched.result.endpoint}` : '✗ failed'}{watched.reused ? ', same connection' : ''}</span> : null}
        </label>
      ) : null}
      <div className="row" role="group" aria-label="Step through the hops" onKeyDown={stepByArrows(t)}>
        <span className="step-pair">
          <button type="button" onClick={() => t.back()} title="Previous hop (←)">
            <span aria-hidden="true">◀ </span>Previous hop
          </button>
          <button type="button" onClick={() => t.forward()} title="Next hop (→)">
            Next hop<span aria-hidden="true"> ▶</span>
          </button>
        </span>
        <button type="button" onClick={() => t.setPlaying(!playing)} aria-pressed={playing}>
          {playing ? 'Pause packet' : 'Play packet'}
        </button>
        <button type="button" onClick={() => t.select(selected)}>
          Replay
        </button>
        <label>
          <select value={rate} onChange={(e) => t.setHopRate(Number(e.target.value))} aria-label="Hops per second">
            {HOP_RATES.map((r) => (
              <option key={r} value={r}>
                {r} hop/s
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="row filters" role="group" aria-label="Show hops">
        {FILTERS.map(([category, label]) => (
          <label key={category}>
            <input type="checkbox" checked={filters[category]} onChange={(e) => t.setFilter(category, e.target.checked)} /> {label}
          </label>
        ))}
      </div>
      <label className="freeze">
        <input type="checkbox" checked={freeze} onChange={(e) => t.setFreeze(e.target.checked)} /> Freeze the cluster while I inspect a packet
      </label>
    </div>
  )
}
