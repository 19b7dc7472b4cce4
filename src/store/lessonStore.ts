import { createStore, type StoreApi } from 'zustand/vanilla'
import { runStep, type Lesson, type LessonContext } from '../lessons'
import type { SimAction } from '../sim'
import type { RecordedAction, SimulationStore } from './simulationStore'

/**
 * A lesson being followed over one cluster: which step is shown, and what was done since it began (the student's own
 * actions and "Do it for me"'s alike, so a step done by hand is noticed). Step `steps.length` is the tasks page.
 */
export interface LessonStore {
  readonly lesson: Lesson
  readonly step: number
  /** Actions recorded since the shown step began (or, on the tasks page, since the tasks began). */
  readonly actions: readonly SimAction[]
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
}

const plain = ({ at: _at, ...a }: RecordedAction): SimAction => a as SimAction

export function createLessonStore(sim: StoreApi<SimulationStore>, lesson: Lesson, step = 0): StoreApi<LessonStore> {
  const store = createStore<LessonStore>((set, get) => ({
    lesson,
    step: Math.max(0, Math.min(step, lesson.steps.length)),
    actions: [],
    context: () => ({ sim: sim.getState().sim, actions: get().actions }),
    isDone: () => {
      const s = get().lesson.steps[get().step]
      return s ? s.done(get().context()) : true
    },
    goTo: (n) => set({ step: Math.max(0, Math.min(n, lesson.steps.length)), actions: [], problem: undefined }),
    next: () => get().goTo(get().step + 1),
    previous: () => get().goTo(get().step - 1),
    doIt: () => {
      const s = lesson.steps[get().step]
      if (!s) return
      const r = runStep({ dispatch: (a) => sim.getState().dispatch(a), context: () => get().context() }, s)
      set({ problem: r.ok ? undefined : r.reason })
    },
    forward: () => {
      if (get().step >= lesson.steps.length) return
      if (get().isDone()) get().next()
      else get().doIt()
    },
  }))
  // Follow the recorded actions: whatever is recorded from now on belongs to the shown step.
  let seen = sim.getState().actions
  sim.subscribe((s) => {
    if (s.actions === seen) return
    const fresh = s.actions.length >= seen.length && s.actions[seen.length - 1] === seen[seen.length - 1] ? s.actions.slice(seen.length) : s.actions
    seen = s.actions
    if (fresh.length) store.setState({ actions: [...store.getState().actions, ...fresh.map(plain)] })
  })
  return store
}
