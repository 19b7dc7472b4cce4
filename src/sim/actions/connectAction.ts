import { fmt, isRecord, needText } from './checks'
import type { ActionDefinition } from './types'

/** One request from a pod (or "external") to host:port, and its reply. */
export const connectAction: ActionDefinition<'connect'> = {
  type: 'connect',
  check: (a) => {
    const o = a['options']
    if (o !== undefined && !isRecord(o)) return 'options: must be an object'
    if (o && o['protocol'] !== undefined && o['protocol'] !== 'tcp' && o['protocol'] !== 'udp') return `options.protocol: must be tcp or udp; it is ${fmt(o['protocol'])}`
    if (o && o['keepAlive'] !== undefined && typeof o['keepAlive'] !== 'boolean') return 'options.keepAlive: must be true or false'
    if (o && o['sourcePort'] !== undefined && !Number.isInteger(o['sourcePort'])) return 'options.sourcePort: must be a port number'
    if (o && o['sourceIP'] !== undefined && typeof o['sourceIP'] !== 'string') return 'options.sourceIP: must be an address'
    return needText(a, 'from') ?? needText(a, 'target')
  },
  run: (sim, a) => sim.connect(a.from, a.target, a.options),
  describe: (a) => `request from ${a.from} to ${a.target}`,
  recorded: 'always',
}
