import type { Endpoints } from '../../model/endpointSlice'
import type { SimEvent } from '../../runtime/events'
import { printObjectEvents } from './eventsSection'
import { printAnnotationsMultiline, printLabelsMultiline } from './multiline'
import { LEVEL_0, LEVEL_1, LEVEL_2, tabbedString } from './prefixWriter'

/**
 * kubectl describe endpoints, after describe.go's describeEndpoints: each subset's ready and not-ready addresses and
 * its ports, a blank line after each subset. (kubectl 1.33 also warns on stderr that v1 Endpoints is deprecated: the
 * API server's warning header, not part of the description.)
 */
export function describeEndpoints(ep: Endpoints, events: readonly SimEvent[], now: number): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${ep.metadata.name}\n`)
    w.write(LEVEL_0, `Namespace:\t${ep.metadata.namespace}\n`)
    printLabelsMultiline(w, 'Labels', ep.metadata.labels)
    printAnnotationsMultiline(w, 'Annotations', ep.metadata.annotations)
    w.write(LEVEL_0, 'Subsets:\n')
    for (const subset of ep.subsets ?? []) {
      const ready = (subset.addresses ?? []).map((a) => a.ip).join(',')
      w.write(LEVEL_1, `Addresses:\t${ready || '<none>'}\n`)
      const notReady = (subset.notReadyAddresses ?? []).map((a) => a.ip).join(',')
      w.write(LEVEL_1, `NotReadyAddresses:\t${notReady || '<none>'}\n`)
      if (subset.ports?.length) {
        w.write(LEVEL_1, 'Ports:\n')
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n')
        w.write(LEVEL_2, '----\t----\t--------\n')
        for (const p of subset.ports) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol}\n`)
      }
      w.write(LEVEL_0, '\n')
    }
    printObjectEvents(w, events, 'Endpoints', ep.metadata, now)
  })
}
