import type { ActionResult, SimAction } from '../sim'
import type { LessonContext, LessonStep } from './types'

/** Next events "Do it for me" may wait through for a step's condition (a load balancer takes 2 s: a few dozen). */
const MAX_WAIT_EVENTS = 500

export interface StepHost {
  dispatch(action: SimAction): ActionResult
  /** The context as it is now (the actions since the step began included). */
  context(): LessonContext
}

/**
 * "Do it for me": dispatches the step's actions, then moves the clock from event to event until the step's condition
 * holds, so what the step tells is seen to happen. Returns why it stopped short, in plain words, when it did.
 */
export function runStep(host: StepHost, step: LessonStep): { readonly ok: true } | { readonly ok: false; readonly reason: string } {
  for (const action of step.action?.(host.context()) ?? []) {
    const r = host.dispatch(action)
    if ('errors' in r && !r.ok) return { ok: false, reason: r.message ?? r.errors[0]?.message ?? 'the cluster refused it' }
  }
  for (let i = 0; i < MAX_WAIT_EVENTS && !step.done(host.context()); i++) {
    const r = host.dispatch({ type: 'nextEvent' })
    if ('ok' in r && !r.ok) break
  }
  return step.done(host.context()) ? { ok: true } : { ok: false, reason: `the step "${step.title}" did not complete: the cluster settled before it did` }
}
