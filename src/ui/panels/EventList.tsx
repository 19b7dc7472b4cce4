import { useState } from 'react'
import type { SimEvent } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { selectionOf, type Selection } from '../selection'
import { useSim, useStoreApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'
import { eventRows, isComponentWrite, type EventRow } from './eventRows'

// Re-rendered when events arrive, at most four times a second: while hundreds of pods start, events come by the
// hundred a second, faster than anyone reads, and each re-render rebuilds the rows.
const selectEventCount = (s: SimulationStore) => s.sim.eventCount
const selectSim = (s: SimulationStore) => s.sim

/** How many events are listed at first, and how many more each "older" press adds (the engine keeps 20,000). */
const PAGE = 200

/** "12.8 s" */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

function Row({ row, onSelect }: { row: EventRow; onSelect: (s: Selection) => void }) {
  const { event } = row
  const target = selectionOf(event.object)
  const body = (
    <>
      <span className="event-head">
        <time>{seconds(event.time)}</time> <strong>{row.actors.join(' → ')}</strong>
        {row.repeats > 1 ? <span className="event-repeats"> ×{row.repeats}</span> : null}
      </span>{' '}
      <span className="event-text">
        {event.object}: {event.message}
        {event.write?.watchers ? (
          <span className="watch-line">
            {' '}
            → watch event {event.write.watch} to {event.write.watchers.join(', ')}
          </span>
        ) : null}
      </span>
    </>
  )
  return (
    <li data-actor={event.actor.split('/')[0]} data-api-write={row.write}>
      {target ? (
        <button type="button" className="event-button" onClick={() => onSelect(target)} title={`Show ${event.object}`}>
          {body}
        </button>
      ) : (
        <div className="event-button">{body}</div>
      )}
    </li>
  )
}

/**
 * The story as it happens, newest first: the user's writes through the API server into etcd, the controllers, CoreDNS,
 * kube-proxy on each node. Each event names its object: pressing it shows that object (in the inspector, and on the
 * graph). Every write of the cluster's own components passes through the API server too; those are many, and shown on
 * request. Runs of the same message on the same object are one row with a count. It fills the space the side panel
 * leaves, and older events are a press away.
 */
export function EventList({ onSelect }: { onSelect: (s: Selection) => void }) {
  useThrottledStore(useStoreApi(), selectEventCount, 250)
  const sim = useSim(selectSim)
  const [showWrites, setShowWrites] = useState(false)
  const [limit, setLimit] = useState(PAGE)
  // With the components' writes hidden, look further back for as many events as are listed (most are writes).
  const window: readonly SimEvent[] = sim.recentEvents(showWrites ? limit : limit * 10, { writes: true })
  const shown = showWrites ? window : window.filter((e) => !isComponentWrite(e))
  const recent = shown.length > limit ? shown.slice(shown.length - limit) : shown
  const rows = eventRows(recent, { componentWrites: showWrites })
  const hidden = showWrites ? 0 : window.length - shown.length
  const older = recent.length >= limit
  return (
    <section className="panel events-panel" aria-labelledby="events-title">
      <div className="events-bar">
        <h2 id="events-title">What just happened</h2>
        <label className="events-filter">
          <input type="checkbox" checked={showWrites} onChange={(e) => setShowWrites(e.target.checked)} /> Every API server write
          {hidden ? <span className="hint"> ({hidden} hidden)</span> : null}
        </label>
      </div>
      <ol className="events timeline-events" aria-label="Events, newest first">
        {rows.map((row) => (
          <Row key={row.key} row={row} onSelect={onSelect} />
        ))}
      </ol>
      {older ? (
        <button type="button" className="link events-older" onClick={() => setLimit((n) => n + PAGE)}>
          Show older events
        </button>
      ) : null}
    </section>
  )
}
