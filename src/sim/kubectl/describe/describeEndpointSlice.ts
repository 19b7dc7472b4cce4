import type { EndpointSlice } from '../../model/endpointSlice'
import type { SimEvent } from '../../runtime/events'
import { printObjectEvents } from './eventsSection'
import { printAnnotationsMultiline, printLabelsMultiline } from './multiline'
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbedString } from './prefixWriter'

/** A value kubectl shows as "<unset>" when the field is absent. */
const orUnset = (v: string | number | boolean | undefined) => (v === undefined ? '<unset>' : String(v))

/**
 * kubectl describe endpointslice, after describe.go's describeEndpointSliceV1: address type, the ports table, then
 * each endpoint with its Ready condition (v1 prints no other condition), hostname, target, node and zone.
 */
export function describeEndpointSlice(slice: EndpointSlice, events: readonly SimEvent[], now: number): string {
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${slice.metadata.name}\n`)
    w.write(LEVEL_0, `Namespace:\t${slice.metadata.namespace}\n`)
    printLabelsMultiline(w, 'Labels', slice.metadata.labels)
    printAnnotationsMultiline(w, 'Annotations', slice.metadata.annotations)
    w.write(LEVEL_0, `AddressType:\t${slice.addressType}\n`)
    const ports = slice.ports ?? []
    if (ports.length === 0) {
      w.write(LEVEL_0, 'Ports: <unset>\n')
    } else {
      w.write(LEVEL_0, 'Ports:\n')
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n')
      w.write(LEVEL_1, '----\t----\t--------\n')
      for (const p of ports) w.write(LEVEL_1, `${p.name || '<unset>'}\t${orUnset(p.port)}\t${p.protocol ?? ''}\n`)
    }
    const endpoints = slice.endpoints ?? []
    if (endpoints.length === 0) {
      w.write(LEVEL_0, 'Endpoints: <none>\n')
    } else {
      w.write(LEVEL_0, 'Endpoints:\n')
      for (const e of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`)
        w.write(LEVEL_2, 'Conditions:\n')
        w.write(LEVEL_3, `Ready:\t${orUnset(e.conditions.ready)}\n`)
        w.write(LEVEL_2, `Hostname:\t${orUnset(e.hostname)}\n`)
        if (e.targetRef) w.write(LEVEL_2, `TargetRef:\t${e.targetRef.kind}/${e.targetRef.name}\n`)
        w.write(LEVEL_2, `NodeName:\t${orUnset(e.nodeName)}\n`)
        w.write(LEVEL_2, `Zone:\t${orUnset(e.zone)}\n`)
      }
    }
    printObjectEvents(w, events, 'EndpointSlice', slice.metadata, now)
  })
}
