import { useCallback, useEffect, useMemo, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { parseSaved, serialize, STORAGE_KEY } from '../store/persistence'
import { createSimulationStore, type SimulationStore } from '../store/simulationStore'
import { createTrafficStore } from '../store/trafficStore'
import { Toolbar } from './controls/Toolbar'
import { WorkloadControls } from './controls/WorkloadControls'
import { DEFAULT_SCENARIO, seedFromLocation, workersFromLocation } from './defaultScenario'
import { ClusterGraph, type Selection } from './graph/ClusterGraph'
import { Inspector } from './panels/Inspector'
import { KubectlTables } from './panels/KubectlTables'
import { Legend } from './panels/Legend'
import { Timeline } from './panels/Timeline'
import { YamlEditor } from './panels/YamlEditor'
import { StoreContext, TrafficContext } from './storeContext'
import { HopPlayer } from './traffic/HopPlayer'
import { JourneyStrip } from './traffic/JourneyStrip'
import { TrafficPanel } from './traffic/TrafficPanel'
import { SideTabs, panelId, tabId, type Tab } from './controls/SideTabs'
import { useFrameClock } from './useFrameClock'

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
      return { store: fresh(), notice: { reason: (e as Error).message, raw: raw! } }
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
  useAutosave(store)
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
        </header>
        {notice && showNotice ? <Notice reason={notice.reason} raw={notice.raw} onClose={() => setShowNotice(false)} /> : null}
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
