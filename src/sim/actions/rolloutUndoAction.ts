import { needText } from './checks'
import type { ActionDefinition } from './types'

/** kubectl rollout undo deployment/<name>: back to the previous revision's template. */
export const rolloutUndoAction: ActionDefinition<'rolloutUndo'> = {
  type: 'rolloutUndo',
  check: (a) => needText(a, 'namespace') ?? needText(a, 'name'),
  run: (sim, a) => sim.rolloutUndo(a.namespace, a.name),
  describe: (a) => `rollout undo ${a.namespace}/${a.name}`,
  recorded: 'accepted',
}
