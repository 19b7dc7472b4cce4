import { dnsAndEnvironment } from './dnsAndEnvironment'
import { fromTheInternet } from './fromTheInternet'
import { headlessAndExternalName } from './headlessAndExternalName'
import { howAServiceIsFound } from './howAServiceIsFound'
import { podsComeAndGo } from './podsComeAndGo'
import type { Lesson } from './types'
import { threeWaysToProxy } from './threeWaysToProxy'
import { whenANodeDies } from './whenANodeDies'

/** The lessons, in the order the first screen offers them. */
export const LESSONS: readonly Lesson[] = [howAServiceIsFound, podsComeAndGo, dnsAndEnvironment, fromTheInternet, headlessAndExternalName, whenANodeDies, threeWaysToProxy]

export const lessonById = (id: string): Lesson | undefined => LESSONS.find((l) => l.id === id)

export type { Exhibit, Highlight, Lesson, LessonContext, LessonStep, LessonTask } from './types'
export { runStep } from './runStep'
