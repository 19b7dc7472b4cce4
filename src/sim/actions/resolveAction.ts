import { fmt, needText } from './checks'
import type { ActionDefinition } from './types'

const TYPES = ['A', 'AAAA', 'CNAME', 'PTR', 'SRV', 'TXT']

/** A DNS lookup from inside a pod (nslookup / dig): its queries change conntrack and draw from the RNG. */
export const resolveAction: ActionDefinition<'resolve'> = {
  type: 'resolve',
  check: (a) => needText(a, 'pod') ?? needText(a, 'name') ?? (a['queryType'] === undefined || TYPES.includes(a['queryType'] as string) ? undefined : `queryType: must be one of ${TYPES.join(', ')}; it is ${fmt(a['queryType'])}`),
  run: (sim, a) => sim.resolve(a.pod, a.name, a.queryType),
  describe: (a) => `lookup of ${a.name} from ${a.pod}`,
  recorded: 'always',
}
