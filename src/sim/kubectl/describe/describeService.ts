import { SERVICE_NAME_LABEL, type EndpointSlice } from '../../model/endpointSlice'
import type { Service } from '../../model/service'
import type { SimEvent } from '../../runtime/events'
import type { ClusterState } from '../../state'
import { formatLabels } from '../printers'
import { printObjectEvents } from './eventsSection'
import { printAnnotationsMultiline, printLabelsMultiline } from './multiline'
import { LEVEL_0, tabbedString } from './prefixWriter'

/** The Service's EndpointSlices as the describer lists them: by the service-name label, in name order. */
export function serviceSlices(state: ClusterState, svc: Service): EndpointSlice[] {
  return state.endpointSlices
    .valueSeq()
    .filter((s) => s.metadata.namespace === svc.metadata.namespace && s.metadata.labels?.[SERVICE_NAME_LABEL] === svc.metadata.name)
    .sortBy((s) => s.metadata.name)
    .toArray()
}

/**
 * formatEndpointSlices for one port name: the ready addresses (a nil `ready` counts as ready) as ip:port, the first
 * three, then "+ N more...". Upstream decides "more" before it skips a not-ready endpoint, so three ready endpoints
 * and a not-ready fourth print "+ 0 more..."; we keep that. "<none>" without slices.
 */
export function formatEndpointSlices(slices: readonly EndpointSlice[], portName: string | undefined): string {
  if (slices.length === 0) return '<none>'
  const max = 3
  const list: string[] = []
  let more = false
  let count = 0
  const visit = (address: string, ready: boolean | undefined) => {
    if (list.length === max) more = true
    if (ready === false) return
    if (!more) list.push(address)
    count++
  }
  for (const slice of slices) {
    const ports = slice.ports ?? []
    const endpoints = slice.endpoints ?? []
    // A headless Service may have no ports: its addresses alone.
    if (ports.length === 0) for (const e of endpoints) visit(e.addresses[0]!, e.conditions.ready)
    for (const p of ports) {
      if (portName !== undefined && (p.name ?? '') !== portName) continue
      // net.JoinHostPort: an IPv6 address goes in brackets.
      for (const e of endpoints) visit(e.addresses[0]!.includes(':') ? `[${e.addresses[0]}]:${p.port}` : `${e.addresses[0]}:${p.port}`, e.conditions.ready)
    }
  }
  const text = list.join(',')
  return more ? `${text} + ${count - max} more...` : text
}

/** buildIngressString: each ingress IP, with its ipMode in brackets when set, or its hostname. */
function ingressText(svc: Service): string {
  return (svc.status.loadBalancer.ingress ?? [])
    .map((i) => (i.ip ? `${i.ip}${i.ipMode ? ` (${i.ipMode})` : ''}` : ((i as { hostname?: string }).hostname ?? '')))
    .join(', ')
}

/**
 * kubectl describe service, after describe.go's describeService: type and addresses, each port with its target,
 * NodePort and current ready endpoints, the traffic policies, then the events.
 */
export function describeService(state: ClusterState, svc: Service, events: readonly SimEvent[], now: number): string {
  const slices = serviceSlices(state, svc)
  return tabbedString((w) => {
    const { metadata: meta, spec } = svc
    w.write(LEVEL_0, `Name:\t${meta.name}\n`)
    w.write(LEVEL_0, `Namespace:\t${meta.namespace}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`)
    w.write(LEVEL_0, `Type:\t${spec.type}\n`)
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`)
    w.write(LEVEL_0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`)
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`)
    w.write(LEVEL_0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`)
    if (spec.externalIPs?.length) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs.join(',')}\n`)
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`)
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`)
    if (svc.status.loadBalancer.ingress?.length) w.write(LEVEL_0, `LoadBalancer Ingress:\t${ingressText(svc)}\n`)
    for (const p of spec.ports ?? []) {
      const name = p.name || '<unset>'
      w.write(LEVEL_0, `Port:\t${name}\t${p.port}/${p.protocol}\n`)
      w.write(LEVEL_0, `TargetPort:\t${p.targetPort}/${p.protocol}\n`)
      if (p.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${p.nodePort}/${p.protocol}\n`)
      w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`)
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity}\n`)
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`)
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`)
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`)
    if (spec.loadBalancerSourceRanges?.length) w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`)
    printObjectEvents(w, events, 'Service', meta, now)
  })
}
