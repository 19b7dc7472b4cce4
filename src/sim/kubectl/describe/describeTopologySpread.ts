import type { LabelSelector } from '../../model/meta'
import { formatSelector } from '../printers'
import { LEVEL_0, type PrefixWriter } from './prefixWriter'

interface TopologySpreadConstraint {
  readonly maxSkew: number
  readonly topologyKey: string
  readonly whenUnsatisfiable: string
  readonly labelSelector?: LabelSelector
}

/** describeTopologySpreadConstraints: nothing without any; else one "key:Action when max skew N is exceeded" each. */
export function describeTopologySpread(w: PrefixWriter, constraints: unknown, space: string): void {
  const list = [...((constraints as readonly TopologySpreadConstraint[] | undefined) ?? [])]
  if (list.length === 0) return
  list.sort((a, b) => (a.topologyKey < b.topologyKey ? -1 : a.topologyKey > b.topologyKey ? 1 : 0))
  w.write(LEVEL_0, `${space}Topology Spread Constraints:\t`)
  list.forEach((c, i) => {
    if (i !== 0) w.write(LEVEL_0, `${space}\t`)
    const selector = c.labelSelector ? ` for selector ${formatSelector(c.labelSelector)}` : ''
    w.write(LEVEL_0, `${c.topologyKey}:${c.whenUnsatisfiable} when max skew ${c.maxSkew} is exceeded${selector}\n`)
  })
}
