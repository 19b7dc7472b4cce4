import { fmt, needText } from './checks'
import type { ActionDefinition } from './types'

/** kubectl scale deployment <name> --replicas=N. */
export const scaleAction: ActionDefinition<'scale'> = {
  type: 'scale',
  check: (a) => needText(a, 'namespace') ?? needText(a, 'name') ?? (Number.isInteger(a['replicas']) && (a['replicas'] as number) >= 0 ? undefined : `replicas: must be a whole number from 0 up; it is ${fmt(a['replicas'])}`),
  run: (sim, a) => sim.scale(a.namespace, a.name, a.replicas),
  describe: (a) => `scale ${a.namespace}/${a.name} to ${a.replicas}`,
  recorded: 'accepted',
}
