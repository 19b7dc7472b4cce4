import { useId, useState, type KeyboardEvent } from 'react'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useStoreApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'
import { userMessage } from '../userMessage'
import { clockText, sliderValueText, spokenDuration } from './timeWords'
import './timeline.css'

const selectViewAt = (s: SimulationStore) => s.viewAt
// The live clock: it moves every frame while live (read four times a second), and stands still while the past is shown.
const selectLiveNow = (s: SimulationStore) => s.sim.now
const selectStart = (s: SimulationStore) => s.sim.historyStart ?? s.sim.now
const selectDiscarded = (s: SimulationStore) => s.discarded

/** The keys the slider answers, and how far each moves it (virtual ms; Home and End go to either end). */
const KEY_STEPS: Readonly<Record<string, number>> = { ArrowLeft: -1000, ArrowDown: -1000, ArrowRight: 1000, ArrowUp: 1000, PageDown: -10_000, PageUp: 10_000 }

/**
 * The "Cluster time" slider: from the first moment kept to now. Dragging it (or arrows: 1 s, Page Up/Down: 10 s,
 * Home/End) shows the whole page as the cluster was then; while it does, the bar turns amber and says so, the live
 * clock stands still and nothing can be changed until "Live" or "Continue from here" (which forks the history, with
 * Undo to take the fork back once).
 */
export function ClusterTime() {
  const store = useStoreApi()
  const viewAt = useSim(selectViewAt)
  const liveNow = useThrottledStore(store, selectLiveNow, 250)
  const start = useSim(selectStart)
  const discarded = useSim(selectDiscarded)
  const [problem, setProblem] = useState<string | undefined>()
  const readoutId = useId()
  const past = viewAt !== undefined
  // While live the thumb sits at the right end, the end moving on with the clock.
  const end = Math.max(start, past ? store.getState().sim.now : liveNow)
  const shown = past ? viewAt : end
  const go = (t: number) => {
    setProblem(undefined)
    if (t >= end) store.getState().live()
    else store.getState().setViewAt(t)
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Home') go(start)
    else if (e.key === 'End') go(end)
    // From live, a step back is from the clock as it is (the one drawn is read four times a second).
    else if (e.key in KEY_STEPS) go(Math.max(start, (past ? shown : store.getState().sim.now) + KEY_STEPS[e.key]!))
    else return
    e.preventDefault()
  }
  const continueHere = () => {
    const r = store.getState().continueFromHere()
    setProblem(r.ok ? undefined : `The cluster cannot continue from ${clockText(shown)}: ${userMessage(r.error)}.`)
  }
  return (
    <section className={`cluster-time${past ? ' cluster-time-past' : ''}`} aria-label="Cluster time">
      <div className="cluster-time-row">
        <label className="cluster-time-label" htmlFor={`${readoutId}-slider`}>
          Cluster time
        </label>
        <input
          id={`${readoutId}-slider`}
          className="cluster-time-slider"
          type="range"
          aria-label="Cluster time"
          aria-describedby={readoutId}
          aria-valuetext={sliderValueText(shown, end, !past)}
          min={start}
          max={end}
          step="any"
          value={shown}
          disabled={end <= start}
          onChange={(e) => go(Number(e.target.value))}
          onKeyDown={onKey}
        />
        {/* Not an <output>: that is a status region, and the page has one status, the outcome of a request. */}
        <span id={readoutId} className="cluster-time-readout">
          {past ? (
            <>
              <strong>{clockText(shown)}</strong> <span className="cluster-time-ago">{spokenDuration(end - shown)} ago</span>
            </>
          ) : (
            <>
              <strong className="cluster-time-live-mark">Live</strong> <span className="cluster-time-ago">{clockText(shown)}</span>
            </>
          )}
        </span>
        <div className="cluster-time-actions">
          <button type="button" onClick={() => store.getState().live()} disabled={!past} title="Show the cluster as it is now, its clock as it was">
            Live
          </button>
          <button type="button" className="primary" onClick={continueHere} disabled={!past} title="Make this moment the live cluster: what came after it is set aside (Undo brings it back once)">
            Continue from here
          </button>
          {discarded ? (
            <button type="button" onClick={() => store.getState().undoContinue()} title={`Bring back the cluster as it was before continuing from ${clockText(discarded.from)}, up to ${clockText(discarded.to)}; what was done since is dropped`}>
              Undo
            </button>
          ) : null}
        </div>
      </div>
      {past ? (
        <p className="cluster-time-note cluster-time-banner">
          <strong>Showing the cluster at {clockText(shown)}</strong> — nothing can be changed here: go Live, or Continue from here.
        </p>
      ) : discarded ? (
        <p className="cluster-time-note" role="status">
          Continued from {clockText(discarded.from)}: what came after it (up to {clockText(discarded.to)}) was set aside. Undo brings it back.
        </p>
      ) : null}
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  )
}
