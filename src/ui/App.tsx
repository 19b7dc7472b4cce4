import { useCallback, useEffect, useMemo, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { SimulationStore } from '../store/simulationStore'
import { createTrafficStore } from '../store/trafficStore'
import { Toolbar } from './controls/Toolbar'
import { WorkloadControls } from './controls/WorkloadControls'
import { ClusterGraph, type Selection } from './graph/ClusterGraph'
import { Inspector } from './panels/Inspector'
import { KubectlTables } from './panels/KubectlTables'
import { Legend } from './panels/Legend'
import { boot, type Session } from './persistence/boot'
import { SavedNotice } from './persistence/SavedNotice'
import { ScenarioControls } from './persistence/ScenarioControls'
import { useAutosave } from './persistence/useAutosave'
import { Timeline } from './panels/Timeline'
import { YamlEditor } from './panels/YamlEditor'
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
  const [showSystem, setShowSystem] = useState(true)
  const namespaces = useMemo(() => new Set(showSystem ? ['default', 'kube-system'] : ['default']), [showSystem])
  // The packet's details open under the graph with every new batch, until closed.
  const [showStrip, setShowStrip] = useState(true)
  useEffect(() => traffic.subscribe((t, prev) => t.batch?.id !== prev.batch?.id && setShowStrip(true)), [traffic])
  useFrameClock(store)
  const saveStatus = useAutosave(store)
  const panel = (t: Tab) => ({ role: 'tabpanel', id: panelId(t), 'aria-labelledby': tabId(t), hidden: tab !== t }) as const
  return (
    <StoreContext.Provider value={store}>
      <TrafficContext.Provider value={traffic}>
        <HopPlayer />
        <a className="skip-link" href="#controls">
          Skip to the controls
        </a>
        <header className="app-header">
          <h1>Service Discovery Simulator</h1>
          <Toolbar />
          <label className="toggle">
            <input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} /> Show kube-system
          </label>
          <ScenarioControls store={store} status={saveStatus} onReplace={onReplace} />
        </header>
        {notice && showNotice ? <SavedNotice reason={notice.reason} raw={notice.raw} onClose={() => setShowNotice(false)} /> : null}
        <main className="layout">
          <div className="stage">
            <ClusterGraph namespaces={namespaces} selected={selected} onSelect={select} />
            {showStrip ? <JourneyStrip onClose={() => setShowStrip(false)} /> : null}
          </div>
          <aside className="side" aria-label="Controls and details" id="controls" tabIndex={-1}>
            <WorkloadControls namespaces={namespaces} />
            <Legend />
            <SideTabs tab={tab} onTab={setTab} />
            <div {...panel('Inspector')}>
              <Inspector selected={selected} {...(service ? { service } : {})} onSelect={select} />
            </div>
            <div {...panel('Traffic')}>
              <TrafficPanel detailsShown={showStrip} onShowDetails={() => setShowStrip(true)} />
            </div>
            <div {...panel('YAML')}>
              <YamlEditor />
            </div>
            {/* The tables are costly to rebuild every frame: only while they are shown. */}
            <div {...panel('kubectl')}>{tab === 'kubectl' ? <KubectlTables /> : null}</div>
            <Timeline />
          </aside>
        </main>
      </TrafficContext.Provider>
    </StoreContext.Provider>
  )
}
