import { needText, optionalText } from './checks'
import type { ActionDefinition } from './types'

/** kubectl delete <kind> <name> [-n <namespace>]. */
export const deleteAction: ActionDefinition<'delete'> = {
  type: 'delete',
  check: (a) => needText(a, 'kind') ?? optionalText(a, 'namespace') ?? needText(a, 'name'),
  run: (sim, a) => sim.delete(a.kind, a.namespace, a.name),
  describe: (a) => `delete ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`,
  recorded: 'accepted',
}
