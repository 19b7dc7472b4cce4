import { howAServiceIsFound } from './howAServiceIsFound'
import type { Lesson } from './types'

/** The lessons, in the order the first screen offers them. */
export const LESSONS: readonly Lesson[] = [howAServiceIsFound]

export const lessonById = (id: string): Lesson | undefined => LESSONS.find((l) => l.id === id)

export type { Exhibit, Highlight, Lesson, LessonContext, LessonStep, LessonTask } from './types'
export { runStep } from './runStep'
