import { fmt } from './checks'
import type { ActionDefinition } from './types'

/** Runs the virtual clock on by `ms`. Not recorded: every recorded action carries the time it ran at. */
export const advanceAction: ActionDefinition<'advance'> = {
  type: 'advance',
  check: (a) => (typeof a['ms'] === 'number' && Number.isFinite(a['ms']) && a['ms'] >= 0 ? undefined : `ms: must be a number of milliseconds from 0 up; it is ${fmt(a['ms'])}`),
  run: (sim, a) => sim.advance(a.ms),
  describe: (a) => `advance ${a.ms / 1000} s`,
  recorded: 'never',
}
