import { describe, expect, it } from 'vitest'
import { LESSONS } from '../lessons'
import { createLessonStore } from './lessonStore'
import { createSimulationStore } from './simulationStore'

describe.each(LESSONS.map((l) => [l.title, l] as const))('lesson "%s", run with "Do it for me" alone', (_, lesson) => {
  it('starts with its first step not yet done, and reaches every step\'s condition in order', () => {
    const sim = createSimulationStore(lesson.start)
    const run = createLessonStore(sim, lesson)
    expect(lesson.steps.length).toBeGreaterThanOrEqual(5)
    expect(lesson.steps.length).toBeLessThanOrEqual(12)
    expect(lesson.tasks.length).toBeGreaterThanOrEqual(1)
    expect(lesson.tasks.length).toBeLessThanOrEqual(3)
    // Something to watch happen: several steps change the cluster.
    expect(lesson.steps.filter((s) => s.action).length).toBeGreaterThanOrEqual(3)
    for (const [i, step] of lesson.steps.entries()) {
      expect(run.getState().step).toBe(i)
      // Forward on a step not yet done does it; on a done one it moves on.
      if (!run.getState().isDone()) run.getState().forward()
      expect(run.getState().step).toBe(i)
      expect(run.getState().problem, step.title).toBeUndefined()
      expect(run.getState().isDone(), step.title).toBe(true)
      // Narration, highlights and exhibits read the cluster without failing and without changing it.
      const before = sim.getState().sim.state
      const ctx = run.getState().context()
      expect(step.narration(ctx).join(' ')).not.toMatch(/undefined|NaN|\[object/)
      step.highlight?.(ctx)
      const exhibit = step.exhibit?.(ctx)
      if (exhibit) expect(exhibit.text.trim(), `${step.title}: its exhibit`).not.toBe('')
      expect(sim.getState().sim.state).toBe(before)
      run.getState().forward()
    }
    expect(run.getState().step).toBe(lesson.steps.length)
    // The tasks are the student's own: none is done by the steps.
    for (const task of lesson.tasks) expect(task.check(run.getState().context()), task.title).toBeUndefined()
  })
})

describe('a lesson notices what the student does by hand', () => {
  it('lesson 1, step 1: applying the Service in the YAML tab completes the step, and Forward then moves on', () => {
    const lesson = LESSONS[0]!
    const sim = createSimulationStore(lesson.start)
    const run = createLessonStore(sim, lesson)
    expect(run.getState().isDone()).toBe(false)
    sim.getState().apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } })
    expect(run.getState().isDone()).toBe(true)
    expect(run.getState().actions.map((a) => a.type)).toEqual(['apply'])
    run.getState().forward()
    expect(run.getState().step).toBe(1)
    expect(run.getState().actions).toEqual([])
  })

  it('lesson 1 steps 2 to 7 each happen at their own moment: CoreDNS, then kube-proxy node by node, after the write', () => {
    const lesson = LESSONS[0]!
    const sim = createSimulationStore(lesson.start)
    const run = createLessonStore(sim, lesson)
    run.getState().forward()
    const written = sim.getState().sim.now
    const times: number[] = []
    for (let i = 1; i < 7; i++) {
      run.getState().forward()
      if (!run.getState().isDone()) run.getState().forward()
      expect(run.getState().step).toBe(i)
      times.push(sim.getState().sim.now)
    }
    // The ClusterIP, the slice and etcd come with the write; CoreDNS and each kube-proxy a moment later.
    expect(times[0]).toBe(written)
    expect(times[2]).toBeGreaterThan(written)
    expect(times[5]).toBeGreaterThanOrEqual(times[4]!)
    expect(times[5]! - written).toBeLessThan(2000)
  })
})
