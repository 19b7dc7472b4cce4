import { expect } from 'vitest'
import type { ActionResult, SimAction } from '../sim'
import { createLessonStore } from '../store/lessonStore'
import { createSimulationStore } from '../store/simulationStore'
import type { Exhibit, Lesson } from './types'

/**
 * For lesson tests: the lesson over its own cluster, every action "Do it for me" sends seen with its result.
 * `doStep` does the shown step as a student pressing Forward would, and moves on: what it sent, when it was done,
 * and the step's exhibit at that moment.
 */
export function followLesson(lesson: Lesson) {
  const sim = createSimulationStore(lesson.start)
  const sent: { action: SimAction; result: ActionResult }[] = []
  const run = createLessonStore(sim, lesson, 0, (action) => {
    const result = sim.getState().dispatch(action)
    sent.push({ action, result })
    return result
  })
  const doStep = (): { mine: { action: SimAction; result: ActionResult }[]; at: number; exhibit: Exhibit | undefined } => {
    const from = sent.length
    // Forward on a step not yet done does it; on a done one it moves on.
    if (!run.getState().isDone()) run.getState().forward()
    expect(run.getState().problem).toBeUndefined()
    expect(run.getState().isDone()).toBe(true)
    const exhibit = lesson.steps[run.getState().step]?.exhibit?.({ sim: sim.getState().sim, actions: [], commands: [] })
    const at = sim.getState().sim.now
    run.getState().forward()
    return { mine: sent.slice(from), at, exhibit }
  }
  return { sim, run, doStep, now: () => sim.getState().sim.now }
}
