import { useMemo, type ReactNode } from 'react'
import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import { createStore } from 'zustand/vanilla'
import type { LessonStore } from '../../store/lessonStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'
import { HighlightContext, matcherOf, NOTHING_HIGHLIGHTED } from './highlight'

const selectState = (s: SimulationStore) => s.state
const NONE = createStore<LessonStore | undefined>(() => undefined)

/** Provides the shown step's highlights to the graph's cards; the matcher changes only when the list does. */
export function LessonHighlights({ lesson, children }: { lesson: StoreApi<LessonStore> | undefined; children: ReactNode }) {
  useSim(selectState)
  const step = useStore(lesson ?? NONE, (l) => l?.step)
  const list = lesson && step !== undefined ? (lesson.getState().lesson.steps[step]?.highlight?.(lesson.getState().context()) ?? []) : []
  const key = JSON.stringify(list)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the list's content
  const matcher = useMemo(() => (list.length ? matcherOf(list) : NOTHING_HIGHLIGHTED), [key])
  return <HighlightContext.Provider value={matcher}>{children}</HighlightContext.Provider>
}
