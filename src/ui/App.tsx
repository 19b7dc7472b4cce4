import { useCallback, useMemo, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { SimulationStore } from '../store/simulationStore'
import { createTrafficStore } from '../store/trafficStore'
import { useStore } from 'zustand'
import { ChangeGuard } from './controls/ChangeGuard'
import { ClockStopped } from './controls/ClockStopped'
import { ExamplesButton } from './controls/ExamplesButton'
import { SkipLinks } from './controls/SkipLinks'
import { Toolbar } from './controls/Toolbar'
import { WorkloadControls } from './controls/WorkloadControls'
import { ErrorBoundary } from './ErrorBoundary'
import { ClusterGraph } from './graph/ClusterGraph'
import type { NamespaceFilter } from './graph/graphTypes'
import { EventList } from './panels/EventList'
import { Inspector } from './panels/Inspector'
import { KubectlTables } from './panels/KubectlTables'
import { Legend } from './panels/Legend'
import { boot, type Session } from './persistence/boot'
import { SavedNotice } from './persistence/SavedNotice'
import { ScenarioControls } from './persistence/ScenarioControls'
import { useAutosave } from './persistence/useAutosave'
import { YamlEditor } from './panels/YamlEditor'
import type { Selection } from './selection'
import { StoreContext, TrafficContext } from './storeContext'
import { HopPlayer } from './traffic/HopPlayer'
import { JourneyStrip } from './traffic/JourneyStrip'
import { TrafficPanel } from './traffic/TrafficPanel'
import { SideTabs, panelId, tabId, type Tab } from './controls/SideTabs'
import { useFrameClock } from './useFrameClock'

/** The app: the saved cluster (or a fresh one), until an imported scenario replaces it. */
export function App() {
  const [session, setSession] = useState<Session>(boot)
  const replace = useCallback((store: StoreApi<SimulationStore>) => setSession((s) => ({ id: s.id + 1, store })), [])
  // A new key mounts everything afresh over the new store: no panel keeps state that belonged to the old cluster.
  return <Cluster key={session.id} session={session} onReplace={replace} />
}

/** The live cluster: graph, controls and panels over one simulation. */
function Cluster({ session: { store, notice }, onReplace }: { session: Session; onReplace: (store: StoreApi<SimulationStore>) => void }) {
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
  const saveStatus = useAutosave(store)
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
            <ScenarioControls store={store} status={saveStatus} onReplace={onReplace} />
          </header>
          {notice && showNotice ? <SavedNotice reason={notice.reason} raw={notice.raw} onClose={() => setShowNotice(false)} /> : null}
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
