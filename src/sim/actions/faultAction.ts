import { FAULT_KINDS, isFaultKind } from '../model/fault'
import { fmt, needText } from './checks'
import type { ActionDefinition } from './types'

export const faultProblem = (a: Readonly<Record<string, unknown>>): string | undefined =>
  (isFaultKind(a['fault']) ? undefined : `fault: must be one of ${FAULT_KINDS.join(', ')}; it is ${fmt(a['fault'])}`) ?? needText(a, 'target')

/** Breaks something on purpose: a node down, a failing readiness probe, a crashing container, a stalled kube-proxy, a partition. */
export const faultAction: ActionDefinition<'fault'> = {
  type: 'fault',
  check: faultProblem,
  run: (sim, a) => sim.fault(a.fault, a.target),
  describe: (a) => `fault ${a.fault} on ${a.target}`,
  recorded: 'accepted',
}
