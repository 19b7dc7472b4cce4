import { needManifest } from './checks'
import type { ActionDefinition } from './types'

/** kubectl apply -f: YAML text, an object or a list. */
export const applyAction: ActionDefinition<'apply'> = {
  type: 'apply',
  check: needManifest,
  run: (sim, a) => sim.apply(a.manifest),
  describe: () => 'kubectl apply',
  recorded: 'accepted',
}
