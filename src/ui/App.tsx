import { useCallback, useEffect, useMemo, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { parseSaved, serialize, STORAGE_KEY } from '../store/persistence'
import { createSimulationStore, type SimulationStore } from '../store/simulationStore'
import { createTrafficStore } from '../store/trafficStore'
import { useStore } from 'zustand'
import { ChangeGuard } from './controls/ChangeGuard'
import { ClockStopped } from './controls/ClockStopped'
import { ExamplesButton } from './controls/ExamplesButton'
import { SkipLinks } from './controls/SkipLinks'
import { Toolbar } from './controls/Toolbar'
import { WorkloadControls } from './controls/WorkloadControls'
import { DEFAULT_SCENARIO, seedFromLocation, workersFromLocation } from './defaultScenario'
import { ErrorBoundary } from './ErrorBoundary'
import { ClusterGraph } from './graph/ClusterGraph'
import type { NamespaceFilter } from './graph/graphTypes'
import { EventList } from './panels/EventList'
import { Inspector } from './panels/Inspector'
import { KubectlTables } from './panels/KubectlTables'
import { Legend } from './panels/Legend'
import { YamlEditor } from './panels/YamlEditor'
import type { Selection } from './selection'
import { StoreContext, TrafficContext } from './storeContext'
import { HopPlayer } from './traffic/HopPlayer'
import { JourneyStrip } from './traffic/JourneyStrip'
import { TrafficPanel } from './traffic/TrafficPanel'
import { SideTabs, panelId, tabId, type Tab } from './controls/SideTabs'
import { useFrameClock } from './useFrameClock'
import { userMessage } from './userMessage'

interface Boot {
  readonly store: StoreApi<SimulationStore>
  /** Why the saved scenario was not restored, with its data to download. */
  readonly notice?: { readonly reason: string; readonly raw: string }
}

/**
 * The saved scenario when there is one (and no other seed was asked for in the address), else a fresh cluster. A save
 * that cannot be used is never half-restored: the app starts fresh and says why.
 */
function boot(): Boot {
  const params = new URLSearchParams(window.location.search)
  const asked = params.has('seed') || params.has('workers')
  const seed = seedFromLocation(window.location.search)
  const workers = workersFromLocation(window.location.search)
  const fresh = () => createSimulationStore({ seed, workers, manifest: DEFAULT_SCENARIO })
  let raw: string | null = null
  try {
    raw = window.localStorage.getItem(STORAGE_KEY)
  } catch {
    raw = null
  }
  const saved = parseSaved(raw)
  if (saved.kind === 'invalid') return { store: fresh(), notice: { reason: saved.reason, raw: saved.raw } }
  if (saved.kind === 'ok' && (!asked || (saved.scenario.seed === seed && (saved.scenario.workers ?? 2) === workers))) {
    try {
      return { store: createSimulationStore({ ...saved.scenario }) }
    } catch (e) {
      return { store: fresh(), notice: { reason: userMessage(e), raw: raw! } }
    }
  }
  return { store: fresh() }
}

/**
 * Saves the scenario (seed, manifest, actions, time) at most once a second: within a second of an action, or of time
 * passing, and when the page is hidden. (A batch of requests adds dozens of actions a second; serialising the whole
 * list after each would cost more than sending them.)
 */
function useAutosave(store: StoreApi<SimulationStore>): void {
  useEffect(() => {
    let last = 0
    let pending: ReturnType<typeof setTimeout> | undefined
    const save = () => {
      clearTimeout(pending)
      pending = undefined
      last = performance.now()
      const { seed, actions, sim } = store.getState()
      try {
        window.localStorage.setItem(STORAGE_KEY, serialize({ seed, workers: sim.list('Node').length - 1, manifest: DEFAULT_SCENARIO, actions, now: sim.now }))
      } catch {
        // Storage full or disabled: the cluster keeps running, only unsaved.
      }
    }
    const unsubscribe = store.subscribe(() => {
      if (pending !== undefined) return
      const wait = 1000 - (performance.now() - last)
      if (wait <= 0) save()
      else pending = setTimeout(save, wait)
    })
    window.addEventListener('pagehide', save)
    return () => {
      unsubscribe()
      clearTimeout(pending)
      window.removeEventListener('pagehide', save)
    }
  }, [store])
}

function Notice({ reason, raw, onClose }: { reason: string; raw: string; onClose: () => void }) {
  const href = useMemo(() => URL.createObjectURL(new Blob([raw], { type: 'application/json' })), [raw])
  return (
    <div className="notice" role="alert">
      Your saved cluster could not be restored: {reason}. A fresh cluster was started instead.{' '}
      <a href={href} download="saved-scenario.json">
        Download the old data
      </a>{' '}
      <button type="button" onClick={onClose}>
        Dismiss
      </button>
    </div>
  )
}

/** The live cluster: graph, controls and panels over one simulation. */
export function App() {
  const [{ store, notice }] = useState(boot)
  const [traffic] = useState(() => createTrafficStore(store))
  const [showNotice, setShowNotice] = useState(true)
  const [tab, setTab] = useState<Tab>('Inspector')
  const [selected, setSelected] = useState<Selection | undefined>()
  // An object chosen outside the graph (an event, a related object): the graph brings it into view.
  const [reveal, setReveal] = useState<{ readonly selection: Selection; readonly seq: number } | undefined>()
  // The Service last looked at (directly or through one of its slices): a Node's rules open with it highlighted.
  const [service, setService] = useState<string | undefined>()
  const select = useCallback(
    (s: Selection) => {
      setSelected(s)
      setTab('Inspector')
      const owner = s.kind === 'Service' ? s.name : s.kind === 'EndpointSlice' ? store.getState().sim.get('EndpointSlice', s.namespace, s.name)?.metadata.labels?.['kubernetes.io/service-name'] : undefined
      if (owner) setService(`${s.namespace}/${owner}`)
    },
    [store],
  )
  const selectElsewhere = useCallback(
    (s: Selection) => {
      select(s)
      setReveal((r) => ({ selection: s, seq: (r?.seq ?? 0) + 1 }))
    },
    [select],
  )
  const [showSystem, setShowSystem] = useState(true)
  // Every namespace is drawn (examples live in their own), kube-system unless hidden.
  const namespaces: NamespaceFilter = useMemo(() => ({ has: (ns: string) => showSystem || ns !== 'kube-system' }), [showSystem])
  const watching = useStore(traffic, (t) => t.watching && t.batch !== undefined)
  const [clockStopped, setClockStopped] = useState<string | undefined>()
  useFrameClock(store, setClockStopped)
  useAutosave(store)
  const panel = (t: Tab) => ({ role: 'tabpanel', id: panelId(t), 'aria-labelledby': tabId(t), hidden: tab !== t }) as const
  return (
    <StoreContext.Provider value={store}>
      <TrafficContext.Provider value={traffic}>
        <ChangeGuard>
          <HopPlayer />
          <SkipLinks packet={watching} />
          <header className="app-header">
            <h1>Service Discovery Simulator</h1>
            <Toolbar />
            <label className="toggle">
              <input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} /> Show kube-system
            </label>
            <ExamplesButton />
          </header>
          {notice && showNotice ? <Notice reason={notice.reason} raw={notice.raw} onClose={() => setShowNotice(false)} /> : null}
          {clockStopped ? <ClockStopped message={clockStopped} onClose={() => setClockStopped(undefined)} /> : null}
          {/* The kubectl tables need a wide panel: with that tab open the side panel takes more of the screen. */}
          <main className={`layout${tab === 'kubectl' ? ' wide-side' : ''}`}>
            <div className="stage">
              {/* First in reading order (a few Tabs from the top, before the graph's many cards), drawn under the graph. */}
              {watching ? (
                <ErrorBoundary part="The packet's details">
                  <JourneyStrip onClose={() => traffic.getState().setWatching(false)} />
                </ErrorBoundary>
              ) : null}
              <ErrorBoundary part="The cluster graph">
                <ClusterGraph namespaces={namespaces} selected={selected} onSelect={select} {...(reveal ? { reveal } : {})} />
              </ErrorBoundary>
            </div>
            <aside className="side" aria-label="Controls and details" id="controls" tabIndex={-1}>
              <div className="side-top">
                <ErrorBoundary part="The Deployments">
                  <WorkloadControls namespaces={namespaces} />
                </ErrorBoundary>
                <Legend />
                <SideTabs tab={tab} onTab={setTab} />
                <div {...panel('Inspector')}>
                  <ErrorBoundary part="The inspector">
                    <Inspector selected={selected} {...(service ? { service } : {})} onSelect={selectElsewhere} />
                  </ErrorBoundary>
                </div>
                <div {...panel('Traffic')}>
                  <ErrorBoundary part="The traffic panel">
                    <TrafficPanel detailsShown={watching} onShowDetails={() => traffic.getState().setWatching(true)} />
                  </ErrorBoundary>
                </div>
                <div {...panel('YAML')}>
                  <ErrorBoundary part="The YAML editor">
                    <YamlEditor />
                  </ErrorBoundary>
                </div>
                {/* The tables are costly to rebuild every frame: only while they are shown. */}
                <div {...panel('kubectl')}>
                  {tab === 'kubectl' ? (
                    <ErrorBoundary part="The kubectl tables">
                      <KubectlTables />
                    </ErrorBoundary>
                  ) : null}
                </div>
              </div>
              <ErrorBoundary part="The event list">
                <EventList onSelect={selectElsewhere} />
              </ErrorBoundary>
            </aside>
          </main>
        </ChangeGuard>
      </TrafficContext.Provider>
    </StoreContext.Provider>
  )
}
