import { useMemo, type ReactNode } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { LessonStore } from '../../store/lessonStore'
import type { SimulationStore } from '../../store/simulationStore'
import { useStoreApi } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'
import { HighlightContext, matcherOf, NOTHING_HIGHLIGHTED } from './highlight'

const selectState = (s: SimulationStore) => s.state

/** Provides the shown step's highlights to the graph's cards; the matcher changes only when the list does. */
export function LessonHighlights({ lesson, step, children }: { lesson: StoreApi<LessonStore> | undefined; step: number | undefined; children: ReactNode }) {
  // Re-read as the cluster changes, at most four times a second: a step's words, exhibit (a node's whole iptables-save
  // for some), condition and highlights are read from it, and while the clock plays the state changes every frame.
  useThrottledStore(useStoreApi(), selectState, 250)
  const list = lesson && step !== undefined ? (lesson.getState().lesson.steps[step]?.highlight?.(lesson.getState().context()) ?? []) : []
  const key = JSON.stringify(list)
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the list's content
  const matcher = useMemo(() => (list.length ? matcherOf(list) : NOTHING_HIGHLIGHTED), [key])
  return <HighlightContext.Provider value={matcher}>{children}</HighlightContext.Provider>
}
