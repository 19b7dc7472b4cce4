import type { ActionDefinition } from './types'

/** Runs the clock exactly to the next thing that happens (a watch delivered, a sync, a container started). */
export const nextEventAction: ActionDefinition<'nextEvent'> = {
  type: 'nextEvent',
  check: () => undefined,
  run: (sim) => sim.nextEvent(),
  describe: () => 'next event',
  recorded: 'never',
}
