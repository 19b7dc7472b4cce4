import { needText } from './checks'
import type { ActionDefinition } from './types'

/** kubectl set image deployment/<name> <container>=<image>: a rolling update. */
export const setImageAction: ActionDefinition<'setImage'> = {
  type: 'setImage',
  check: (a) => needText(a, 'namespace') ?? needText(a, 'name') ?? needText(a, 'container') ?? needText(a, 'image'),
  run: (sim, a) => sim.setImage(a.namespace, a.name, a.container, a.image),
  describe: (a) => `set image ${a.namespace}/${a.name} ${a.container}=${a.image}`,
  recorded: 'accepted',
}
