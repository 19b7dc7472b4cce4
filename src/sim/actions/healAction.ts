import { faultProblem } from './faultAction'
import type { ActionDefinition } from './types'

/** Ends a fault injected before. */
export const healAction: ActionDefinition<'heal'> = {
  type: 'heal',
  check: faultProblem,
  run: (sim, a) => sim.heal(a.fault, a.target),
  describe: (a) => `heal ${a.fault} on ${a.target}`,
  recorded: 'accepted',
}
