import { humanDuration } from '../../sim'
import { SPEEDS, type SimulationStore } from '../../store/simulationStore'
import type { TrafficStore } from '../../store/trafficStore'
import { useSim, useStoreApi, useTraffic } from '../storeContext'
import { CONTINUE_FIRST, useViewingPast } from '../timeline/useViewingPast'
import { useThrottledStore } from '../useThrottledStore'

const selectPlaying = (s: SimulationStore) => s.playing
const selectSpeed = (s: SimulationStore) => s.speed
const selectNow = (s: SimulationStore) => s.state.now
const selectFrozen = (s: TrafficStore) => s.frozeCluster

/** Play/pause, step, speed and the virtual clock. */
export function Toolbar() {
  const store = useStoreApi()
  const playing = useSim(selectPlaying)
  const speed = useSim(selectSpeed)
  const frozen = useTraffic(selectFrozen)
  // In the past, Play and Step move the moment shown on; the next event is the live cluster's to find.
  const past = useViewingPast()
  // Read ten times a second: at 8x the tenths would change every frame, faster than anyone reads, repainting each time.
  const now = useThrottledStore(store, selectNow, 100)
  return (
    <div className="toolbar" role="toolbar" aria-label="Simulation time">
      <button type="button" onClick={() => (playing ? store.getState().pause() : store.getState().play())} aria-pressed={playing}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={() => store.getState().step(1000)} aria-label="Step 1 second">
        Step 1 s
      </button>
      {/* Exactly to the next thing that happens (a watch event delivered, a sync, a container started): pauses first. */}
      <button
        type="button"
        onClick={() => {
          store.getState().pause()
          store.getState().dispatch({ type: 'nextEvent' })
        }}
        title={past ? CONTINUE_FIRST : 'Move the clock to the next thing that happens in the cluster'}
        disabled={past}
      >
        Next event
      </button>
      <label>
        Speed{' '}
        <select value={speed} onChange={(e) => store.getState().setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <span className="clock" aria-live="off" aria-label="Virtual time">
        t = {(now / 1000).toFixed(1)} s{now >= 120_000 ? <small> ({humanDuration(now)})</small> : null}
      </span>
      {!playing && frozen ? (
        <span className="frozen-note" title="The cluster's clock stopped while a packet is watched; it runs on when the packet arrives, or when you press Play.">
          paused for the packet
        </span>
      ) : null}
    </div>
  )
}
