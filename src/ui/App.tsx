import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react'
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
import { bootPage, exploreSession, lessonSession, type Boot, type Session } from './persistence/boot'
import { createLessonStore, type LessonStore } from '../store/lessonStore'
import { decodeShare } from '../store/shareLink'
import { openScenario } from '../store/simulationStore'
import { LessonHighlights } from './lessons/LessonHighlights'
import { LessonPanel } from './lessons/LessonPanel'
import { LessonsButton } from './lessons/LessonsButton'
import { usePresenterKeys } from './lessons/usePresenterKeys'
import { Welcome } from './lessons/Welcome'
import { NewClusterButton } from './controls/NewClusterButton'
import { ProxyModeControl } from './controls/ProxyModeControl'
import { ShareButton } from './share/ShareButton'
import { createStore } from 'zustand/vanilla'
import { SavedNotice } from './persistence/SavedNotice'
import { ScenarioControls } from './persistence/ScenarioControls'
import { useAutosave } from './persistence/useAutosave'
import { YamlEditor } from './panels/YamlEditor'
import type { Selection } from './selection'
import type { Highlight } from '../lessons'
import { StoreContext, TrafficContext } from './storeContext'
import { HopPlayer } from './traffic/HopPlayer'
import { JourneyStrip } from './traffic/JourneyStrip'
import { TrafficPanel } from './traffic/TrafficPanel'
import { SideTabs, panelId, tabId, type Tab } from './controls/SideTabs'
import { useFrameClock } from './useFrameClock'
import { ConsoleButton } from './console/ConsoleButton'
import { createConsoleStore } from './console/consoleStore'
import { useConsoleKey } from './console/useConsoleKey'
import { ClusterTime } from './timeline/ClusterTime'
import { ActiveFaults } from './faults/ActiveFaults'
import { FaultReportContext } from './faults/faultRunner'

// xterm is a few hundred kilobytes: loaded the first time the console opens, not with the page.
const ConsolePanel = lazy(() => import('./console/ConsolePanel').then((m) => ({ default: m.ConsolePanel })))

/** A stand-in store for a cluster without a lesson (hooks are called whatever the session). */
const NO_LESSON = createStore<LessonStore | undefined>(() => undefined)

/** The app: the first screen, a share link being read, or a cluster (explore mode or a lesson). */
export function App() {
  const [page, setPage] = useState<Boot>(bootPage)
  const [shareProblem, setShareProblem] = useState<string>()
  const nextId = useRef(1)
  const open = useCallback((make: (id: number) => Session) => setPage({ kind: 'session', session: make(nextId.current++) }), [])
  useEffect(() => {
    if (page.kind !== 'share') return
    let live = true
    void decodeShare(page.hash).then((r) => {
      if (!live) return
      // The hash is read once: a reload then opens what the user has (their saved cluster), not the link again.
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`)
      const opened = r.ok ? openScenario(r.shared.scenario) : undefined
      if (r.ok && opened?.ok) {
        opened.store.getState().pause()
        open((id) => ({ id, store: opened.store, persist: false, shared: true, view: r.shared.view, ...(r.shared.lesson ? { lesson: r.shared.lesson } : {}) }))
        return
      }
      setShareProblem(r.ok ? `This share link cannot be opened: ${opened && !opened.ok ? opened.reason : 'it does not replay'}. Nothing was changed.` : r.reason)
      setPage(bootPage())
    })
    return () => {
      live = false
    }
  }, [page, open])
  useEffect(() => syncAddress(page.kind === 'session' ? page.session : undefined), [page])
  // A share link pasted into the address bar of the open page changes only the hash: read it then too.
  useEffect(() => {
    const onHash = () => {
      if (window.location.hash.startsWith('#share=')) setPage({ kind: 'share', hash: window.location.hash })
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  if (page.kind === 'share') return <p className="welcome" role="status">Opening the shared cluster…</p>
  if (page.kind === 'welcome') return <Welcome hasSave={page.hasSave} notice={shareProblem} onLesson={(l) => open((id) => lessonSession(id, l, 0))} onExplore={() => open((id) => exploreSession(id))} />
  // A new key mounts everything afresh over the new store: no panel keeps state that belonged to the old cluster.
  return <Cluster key={page.session.id} session={page.session} open={open} shareProblem={shareProblem} onKeep={() => setPage({ kind: 'session', session: { ...page.session, persist: true, shared: false } })} />
}

/** The first highlighted element drawn as a card, as a selection the graph can bring into view. */
function firstCard(list: readonly Highlight[], pods: readonly string[]): Selection | undefined {
  const KINDS = { pod: 'Pod', service: 'Service', slice: 'EndpointSlice', node: 'Node', 'kube-proxy': 'Node' } as const
  for (const h of list) {
    if (!(h.kind in KINDS)) continue
    const kind = KINDS[h.kind as keyof typeof KINDS]
    const full = 'prefix' in h ? (h.kind === 'pod' ? pods.find((p) => p.startsWith(h.prefix)) : undefined) : h.name
    if (!full) continue
    const [ns, name] = full.includes('/') ? full.split('/') : [undefined, full]
    return { kind, name: name!, ...(ns ? { namespace: ns } : {}) }
  }
  return undefined
}

/** The address says which lesson and step are shown (?lesson=<id>&step=<n>), so a reload or a bookmark returns there. */
function syncAddress(session: Session | undefined): void {
  const params = new URLSearchParams(window.location.search)
  if (session?.lesson) return
  if (!params.has('lesson') && !params.has('step')) return
  params.delete('lesson')
  params.delete('step')
  const q = params.toString()
  window.history.replaceState(null, '', `${window.location.pathname}${q ? `?${q}` : ''}`)
}

/** The live cluster: graph, controls and panels over one simulation. */
function Cluster({ session, open, shareProblem, onKeep }: { session: Session; open: (make: (id: number) => Session) => void; shareProblem: string | undefined; onKeep: () => void }) {
  const { store, notice } = session
  const onReplace = useCallback((next: StoreApi<SimulationStore>) => open((id) => ({ id, store: next, persist: true })), [open])
  const [traffic] = useState(() => createTrafficStore(store))
  // A lesson's request is sent through the traffic player, so its packet is drawn hop by hop as the step tells it.
  const [lesson] = useState(() =>
    session.lesson
      ? createLessonStore(store, session.lesson.lesson, session.lesson.step, (a) => {
          if (a.type !== 'connect' || a.options) return undefined
          traffic.getState().send({ from: a.from, target: a.target, count: 1, keepAlive: false })
          return traffic.getState().batch?.sent[0]?.result
        })
      : undefined,
  )
  useEffect(() => () => lesson?.getState().dispose(), [lesson])
  const lessonStep = useStore(lesson ?? NO_LESSON, (l) => l?.step)
  useEffect(() => {
    if (!lesson || lessonStep === undefined) return
    const params = new URLSearchParams(window.location.search)
    params.set('lesson', lesson.getState().lesson.id)
    params.set('step', String(lessonStep + 1))
    window.history.replaceState(null, '', `${window.location.pathname}?${params.toString()}`)
  }, [lesson, lessonStep])
  const [presenter, setPresenter] = useState(session.view?.presenter ?? false)
  const [problem, setProblem] = useState(shareProblem)
  const forward = useCallback(() => lesson?.getState().forward(), [lesson])
  const back = useCallback(() => lesson?.getState().previous(), [lesson])
  usePresenterKeys(presenter, { forward, back })
  useEffect(() => {
    document.documentElement.classList.toggle('presenter', presenter)
    return () => document.documentElement.classList.remove('presenter')
  }, [presenter])
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
      const owner = s.kind === 'Service' ? s.name : s.kind === 'EndpointSlice' ? store.getState().reader.get('EndpointSlice', s.namespace, s.name)?.metadata.labels?.['kubernetes.io/service-name'] : undefined
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
  const [showSystem, setShowSystem] = useState(session.view?.showSystem ?? true)
  // A new step brings the first card it points at into view (a Node's kube-proxy: its Node).
  useEffect(() => {
    if (!lesson) return
    const show = () => {
      const { lesson: l, context, step } = lesson.getState()
      const target = firstCard(l.steps[step]?.highlight?.(context()) ?? [], store.getState().reader.list('Pod').map((p) => `${p.metadata.namespace}/${p.metadata.name}`))
      if (target) selectElsewhere(target)
    }
    const first = setTimeout(show, 0)
    const unsubscribe = lesson.subscribe((s, prev) => {
      if (s.step !== prev.step) show()
    })
    return () => {
      clearTimeout(first)
      unsubscribe()
    }
  }, [lesson, store, selectElsewhere])
  // Every namespace is drawn (examples live in their own), kube-system unless hidden.
  const namespaces: NamespaceFilter = useMemo(() => ({ has: (ns: string) => showSystem || ns !== 'kube-system' }), [showSystem])
  const watching = useStore(traffic, (t) => t.watching && t.batch !== undefined)
  const [clockStopped, setClockStopped] = useState<string | undefined>()
  useFrameClock(store, setClockStopped)
  const saveStatus = useAutosave(store, session.persist)
  const [consoleStore] = useState(createConsoleStore)
  useConsoleKey(consoleStore)
  const consoleMounted = useStore(consoleStore, (c) => c.mounted)
  const showingPast = useStore(store, (s) => s.viewAt !== undefined)
  // Why the cluster refused the last fault or heal asked for (from a card's menu, the inspector or the list).
  const [faultProblem, setFaultProblem] = useState<string | undefined>()
  const dismissFaultProblem = useCallback(() => setFaultProblem(undefined), [])
  const panel = (t: Tab) => ({ role: 'tabpanel', id: panelId(t), 'aria-labelledby': tabId(t), hidden: tab !== t }) as const
  return (
    <StoreContext.Provider value={store}>
      <TrafficContext.Provider value={traffic}>
        <FaultReportContext.Provider value={setFaultProblem}>
        <ChangeGuard>
          <HopPlayer />
          <SkipLinks packet={watching} />
          <header className="app-header">
            <h1>Service Discovery Simulator</h1>
            <Toolbar />
            <ConsoleButton consoleStore={consoleStore} />
            <ProxyModeControl />
            <div className="header-group" role="group" aria-label="Lessons and sharing">
              <LessonsButton onStart={(l) => open((id) => lessonSession(id, l, 0))} />
              <button type="button" aria-pressed={presenter} onClick={() => setPresenter((p) => !p)} title="Large type and only the lesson beside the graph; Right/PageDown and Left/PageUp move through the steps, F is full screen">
                Presenter mode
              </button>
              <ShareButton store={store} lesson={lesson ? () => ({ id: lesson.getState().lesson.id, step: lesson.getState().step }) : undefined} view={{ presenter, showSystem }} />
              <NewClusterButton onConfirm={() => open((id) => exploreSession(id, true, store.getState().sim.proxyMode))} />
            </div>
            {presenter ? null : (
              <>
                <label className="toggle">
                  <input type="checkbox" checked={showSystem} onChange={(e) => setShowSystem(e.target.checked)} /> Show kube-system
                </label>
                <ExamplesButton />
                <ScenarioControls store={store} status={saveStatus} onReplace={onReplace} />
              </>
            )}
          </header>
          {problem ? (
            <div className="notice" role="alert">
              {problem}{' '}
              <button type="button" onClick={() => setProblem(undefined)}>
                Dismiss
              </button>
            </div>
          ) : null}
          {session.shared ? (
            <div className="notice shared-notice" role="status">
              This cluster was opened from a share link. Your own saved cluster is untouched; this one is not saved unless you keep it.{' '}
              <button type="button" onClick={onKeep}>
                Keep this cluster
              </button>
            </div>
          ) : null}
          {notice && showNotice ? <SavedNotice reason={notice.reason} raw={notice.raw} onClose={() => setShowNotice(false)} /> : null}
          {clockStopped ? <ClockStopped message={clockStopped} onClose={() => setClockStopped(undefined)} /> : null}
          {/* The kubectl tables need a wide panel: with that tab open the side panel takes more of the screen. */}
          <main className={`layout${tab === 'kubectl' && !presenter ? ' wide-side' : ''}${lesson ? ' with-lesson' : ''}`}>
            <div className={`stage${showingPast ? ' showing-past' : ''}`}>
              {/* Under the toolbar, across the graph: the moment shown, live or past, and the way back and forth. */}
              <ErrorBoundary part="The cluster time slider">
                <ClusterTime />
              </ErrorBoundary>
              {/* First in reading order (a few Tabs from the top, before the graph's many cards), drawn under the graph. */}
              {watching ? (
                <ErrorBoundary part="The packet's details">
                  <JourneyStrip onClose={() => traffic.getState().setWatching(false)} />
                </ErrorBoundary>
              ) : null}
              {/* Under the graph, across its width (kubectl's columns need it), the graph still in sight above. */}
              {consoleMounted ? (
                <ErrorBoundary part="The console">
                  <Suspense fallback={null}>
                    <ConsolePanel consoleStore={consoleStore} />
                  </Suspense>
                </ErrorBoundary>
              ) : null}
              <ErrorBoundary part="The cluster graph">
                <LessonHighlights lesson={lesson} step={lessonStep}>
                  <ClusterGraph namespaces={namespaces} selected={selected} onSelect={select} {...(reveal ? { reveal } : {})} />
                </LessonHighlights>
              </ErrorBoundary>
            </div>
            <aside className="side" aria-label="Controls and details" id="controls" tabIndex={-1}>
              {lesson ? (
                <ErrorBoundary part="The lesson">
                  <LessonPanel lesson={lesson} onRestart={() => open((id) => lessonSession(id, lesson.getState().lesson, 0))} onLeave={() => open((id) => exploreSession(id))} />
                </ErrorBoundary>
              ) : null}
              <div className="side-top" hidden={presenter}>
                <ErrorBoundary part="The Deployments">
                  <WorkloadControls namespaces={namespaces} onSelect={selectElsewhere} />
                </ErrorBoundary>
                <Legend />
                <SideTabs tab={tab} onTab={setTab} />
                <div {...panel('Inspector')}>
                  <ErrorBoundary part="The inspector">
                    <Inspector selected={selected} {...(service ? { service } : {})} onSelect={selectElsewhere} onOpenShell={(target) => consoleStore.getState().openShell(target)} />
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
              {/* What is broken on purpose, above the story it makes (and shown beside a lesson in presenter mode too). */}
              <ErrorBoundary part="The list of active faults">
                <ActiveFaults problem={faultProblem} onDismiss={dismissFaultProblem} />
              </ErrorBoundary>
              {presenter && lesson ? null : (
                <ErrorBoundary part="The event list">
                  <EventList onSelect={selectElsewhere} />
                </ErrorBoundary>
              )}
            </aside>
          </main>
        </ChangeGuard>
        </FaultReportContext.Provider>
      </TrafficContext.Provider>
    </StoreContext.Provider>
  )
}
