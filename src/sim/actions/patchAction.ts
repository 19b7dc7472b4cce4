import { isRecord, needText, optionalText } from './checks'
import type { ActionDefinition } from './types'

/** kubectl label / annotate / rollout restart: a JSON merge patch of one object. */
export const patchAction: ActionDefinition<'patch'> = {
  type: 'patch',
  check: (a) => needText(a, 'kind') ?? optionalText(a, 'namespace') ?? needText(a, 'name') ?? (isRecord(a['patch']) ? undefined : 'patch: must be an object (a JSON merge patch)'),
  run: (sim, a) => sim.patch(a.kind, a.namespace, a.name, a.patch),
  describe: (a) => `patch ${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name}`,
  recorded: 'accepted',
}
