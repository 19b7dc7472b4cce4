import { useId, useMemo, useState } from 'react'
import type { SimEvent } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { selectionOf, type Selection } from '../selection'
import { useSim, useStoreApi } from '../storeContext'
import { clockText } from '../timeline/timeWords'
import { useThrottledStore } from '../useThrottledStore'
import { componentsOf, eventRows, pickEvents, type EventRow } from './eventRows'

// Re-rendered when events arrive, at most four times a second: while hundreds of pods start, events come by the
// hundred a second, faster than anyone reads, and each re-render rebuilds the rows. In the past, the count is the
// events up to the moment shown; a continue (or its undo) swaps the simulation.
const selectEventCount = (s: SimulationStore) => s.reader.eventCount
const selectSim = (s: SimulationStore) => s.sim
const selectViewAt = (s: SimulationStore) => s.viewAt

/** How many events are listed at first, and how many more each "older" press adds (the whole history is kept). */
const PAGE = 200

/** "12.8 s" */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

function Row({ row, onPick }: { row: EventRow; onPick: (e: SimEvent) => void }) {
  const { event } = row
  const target = selectionOf(event.object)
  return (
    <li data-actor={event.actor.split('/')[0]} data-api-write={row.write}>
      <button type="button" className="event-button" onClick={() => onPick(event)} title={`Show the cluster at ${clockText(event.time)}${target ? `, and ${event.object}` : ''}`}>
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
      </button>
    </li>
  )
}

/**
 * The story, newest first: the user's writes through the API server into etcd, the controllers, CoreDNS, kube-proxy
 * on each node; the whole history, up to the moment shown. Pressing an event shows the cluster at its moment (on the
 * "Cluster time" slider) and its object (in the inspector, and on the graph). Every write of the cluster's own
 * components passes through the API server too; those are many, and shown on request. It can be narrowed to an object
 * and to a component. Runs of the same message on the same object are one row with a count. It fills the space the
 * side panel leaves, and older events are a press away.
 */
export function EventList({ onSelect }: { onSelect: (s: Selection) => void }) {
  const store = useStoreApi()
  const count = useThrottledStore(store, selectEventCount, 250)
  const sim = useSim(selectSim)
  const viewAt = useSim(selectViewAt)
  const [showWrites, setShowWrites] = useState(false)
  const [object, setObject] = useState('')
  const [component, setComponent] = useState<string | undefined>()
  const [limit, setLimit] = useState(PAGE)
  const ids = useId()
  // The story up to the moment shown, rebuilt when an event arrives (or the moment passes one), not on every frame.
  const all = useMemo(() => (void count, void sim, void viewAt, store.getState().reader.events({ writes: true })), [store, count, sim, viewAt])
  const components = useMemo(() => componentsOf(all), [all])
  const picked = useMemo(() => pickEvents(all, { object, component, componentWrites: showWrites }, limit), [all, object, component, showWrites, limit])
  const rows = eventRows(picked.events, { componentWrites: showWrites })
  const pick = (e: SimEvent) => {
    store.getState().setViewAt(e.time)
    const target = selectionOf(e.object)
    if (target) onSelect(target)
  }
  const narrowed = object.trim() !== '' || component !== undefined
  return (
    <section className="panel events-panel" aria-labelledby="events-title">
      <div className="events-bar">
        <h2 id="events-title">{viewAt === undefined ? 'What just happened' : `What had happened by ${clockText(viewAt)}`}</h2>
        <label className="events-filter">
          <input type="checkbox" checked={showWrites} onChange={(e) => setShowWrites(e.target.checked)} /> Every API server write
          {picked.hidden ? <span className="hint"> ({picked.hidden} hidden)</span> : null}
        </label>
      </div>
      <div className="events-filters" role="group" aria-label="Narrow the events">
        <label htmlFor={`${ids}-object`}>Object</label>
        <input id={`${ids}-object`} type="search" value={object} onChange={(e) => setObject(e.target.value)} placeholder="web, Pod…" spellCheck={false} />
        <label htmlFor={`${ids}-component`}>Component</label>
        <select id={`${ids}-component`} value={component ?? ''} onChange={(e) => setComponent(e.target.value === '' ? undefined : e.target.value)}>
          <option value="">all</option>
          {/* The one chosen stays offered when the moment shown comes before its first event. */}
          {(component === undefined || components.includes(component) ? components : [...components, component]).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
      <ol className="events timeline-events" aria-label="Events, newest first">
        {rows.map((row) => (
          <Row key={row.key} row={row} onPick={pick} />
        ))}
      </ol>
      {rows.length === 0 ? <p className="hint">{narrowed ? 'No event matches.' : 'Nothing has happened yet.'}</p> : null}
      {picked.more ? (
        <button type="button" className="link events-older" onClick={() => setLimit((n) => n + PAGE)}>
          Show older events
        </button>
      ) : null}
    </section>
  )
}
