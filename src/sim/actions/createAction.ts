import { needManifest } from './checks'
import type { ActionDefinition } from './types'

/** kubectl create (a generator such as `create deployment`, or `create -f`): new objects only, nothing recorded on them. */
export const createAction: ActionDefinition<'create'> = {
  type: 'create',
  check: needManifest,
  run: (sim, a) => sim.create(a.manifest),
  describe: () => 'kubectl create',
  recorded: 'accepted',
}
