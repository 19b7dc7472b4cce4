import { createStore, type StoreApi } from 'zustand/vanilla'
import { runStep, type Lesson, type LessonContext } from '../lessons'
import type { ActionResult, SimAction } from '../sim'
import { withoutTime, type SimulationStore, type TypedLine } from './simulationStore'

/**
 * A lesson being followed over one cluster: which step is shown, and what was done since it began (the student's own
 * actions and "Do it for me"'s alike, so a step done by hand is noticed). Step `steps.length` is the tasks page.
 */
export interface LessonStore {
  readonly lesson: Lesson
  readonly step: number
  /** Actions recorded since the shown step began (or, on the tasks page, since the tasks began). */
  readonly actions: readonly SimAction[]
  /** Lines typed in the console since the shown step began. */
  readonly commands: readonly TypedLine[]
  /** Why "Do it for me" stopped short, when it did. */
  readonly problem?: string
  context(): LessonContext
  /** Whether the shown step's condition holds. */
  isDone(): boolean
  /** Forward: on a step not yet done, does it (as a presenter's clicker expects); on a done one, the next step. */
  forward(): void
  next(): void
  previous(): void
  doIt(): void
  goTo(step: number): void
  /** Stops following the cluster's actions. */
  dispose(): void
}


/**
 * `via` may run an action its own way (the page sends a request through the traffic player, so its packet is drawn
 * hop by hop); it returns undefined for the actions it leaves to the cluster.
 */
export function createLessonStore(sim: StoreApi<SimulationStore>, lesson: Lesson, step = 0, via?: (action: SimAction) => ActionResult | undefined): StoreApi<LessonStore> {
  const store = createStore<LessonStore>((set, get) => ({
    lesson,
    step: Math.max(0, Math.min(step, lesson.steps.length)),
    actions: [],
    commands: [],
    context: () => ({ sim: sim.getState().sim, actions: get().actions, commands: get().commands }),
    isDone: () => {
      const s = get().lesson.steps[get().step]
      return s ? s.done(get().context()) : true
    },
    goTo: (n) => set({ step: Math.max(0, Math.min(n, lesson.steps.length)), actions: [], commands: [], problem: undefined }),
    next: () => get().goTo(get().step + 1),
    previous: () => get().goTo(get().step - 1),
    doIt: () => {
      const s = lesson.steps[get().step]
      if (!s) return
      const r = runStep({ dispatch: (a) => via?.(a) ?? sim.getState().dispatch(a), context: () => get().context() }, s)
      set({ problem: r.ok ? undefined : r.reason })
    },
    dispose: () => {},
    forward: () => {
      if (get().step >= lesson.steps.length) return
      if (get().isDone()) get().next()
      else get().doIt()
    },
  }))
  // Follow the recorded actions: whatever is recorded from now on belongs to the shown step.
  let seen = sim.getState().actions
  let typed = sim.getState().typed
  const unsubscribe = sim.subscribe((s) => {
    if (s.typed !== typed) {
      const fresh = s.typed.slice(typed.length)
      typed = s.typed
      if (fresh.length) store.setState({ commands: [...store.getState().commands, ...fresh] })
    }
    if (s.actions === seen) return
    // A continue from an earlier moment keeps a prefix of the actions: nothing new was done.
    const prefix = s.actions.length < seen.length && s.actions.every((a, i) => a === seen[i])
    const fresh = prefix ? [] : s.actions.length >= seen.length && s.actions[seen.length - 1] === seen[seen.length - 1] ? s.actions.slice(seen.length) : s.actions
    seen = s.actions
    if (fresh.length) store.setState({ actions: [...store.getState().actions, ...fresh.map(withoutTime)] })
  })
  store.setState({ dispose: unsubscribe })
  return store
}

/**
 * Brings a lesson's new cluster to `step` (0-based) as "Do it for me" would have: each earlier step done. Returns the
 * step reached (an earlier one if a step could not be done). The clock is left paused: a lesson moves it.
 */
export function prepareLesson(sim: StoreApi<SimulationStore>, lesson: Lesson, step: number): number {
  sim.getState().pause()
  const target = Math.max(0, Math.min(step, lesson.steps.length))
  const run = createLessonStore(sim, lesson)
  for (let i = 0; i < target; i++) {
    if (!run.getState().isDone()) run.getState().doIt()
    if (!run.getState().isDone()) return i
    run.getState().next()
  }
  run.getState().dispose()
  return target
}
