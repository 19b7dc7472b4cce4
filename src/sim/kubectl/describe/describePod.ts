import type { Container, Pod } from '../../model/pod'
import type { SimEvent } from '../../runtime/events'
import { qosClass } from '../../model/podFactory'
import { isMirrorPod } from '../../controllers/mirrorPod'
import { describeContainers, describeResources, withDefaultRequests } from './describeContainers'
import { podEnvResolver } from './describeEnv'
import { describeTopologySpread } from './describeTopologySpread'
import { describeVolumes } from './describeVolumes'
import { printObjectEvents } from './eventsSection'
import { controllerText, rfc1123z, timestampSince } from './fieldFormat'
import { printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline } from './multiline'
import { LEVEL_0, LEVEL_1, tabbedString, type PrefixWriter } from './prefixWriter'

/** Fields of a pod our Pod type leaves open, read as the API has them. */
const open = <T>(o: object, name: string) => (o as Record<string, unknown>)[name] as T | undefined

/** describePodIPs: "IPs:\t<none>", or each address on its own "IP:" line. */
function describePodIPs(w: PrefixWriter, pod: Pod): void {
  const ips = pod.status.podIPs ?? []
  if (ips.length === 0) {
    w.write(LEVEL_0, 'IPs:\t<none>\n')
    return
  }
  w.write(LEVEL_0, 'IPs:\n')
  for (const ip of ips) w.write(LEVEL_1, `IP:\t${ip.ip}\n`)
}

/**
 * kubectl describe pod, after describe.go's describePod: identity, placement, status, containers, conditions, volumes,
 * QoS and scheduling constraints, then the events. A pod's containers are shown as the API server stores them, so a
 * limit without a request shows the request SetDefaults_Pod gives it.
 */
export function describePod(pod: Pod, events: readonly SimEvent[], now: number): string {
  return tabbedString((w) => {
    const { metadata: meta, spec, status } = pod
    w.write(LEVEL_0, `Name:\t${meta.name}\n`)
    w.write(LEVEL_0, `Namespace:\t${meta.namespace}\n`)
    const priority = open<number>(spec, 'priority')
    if (priority !== undefined) w.write(LEVEL_0, `Priority:\t${priority}\n`)
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`)
    const runtimeClass = open<string>(spec, 'runtimeClassName')
    if (runtimeClass) w.write(LEVEL_0, `Runtime Class Name:\t${runtimeClass}\n`)
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`)
    w.write(LEVEL_0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n')
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      // The deletion timestamp is when the grace period ends, so during it the age is negative: "<invalid>".
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${timestampSince(meta.deletionTimestamp, now)})\n`)
      w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`)
    } else {
      w.write(LEVEL_0, `Status:\t${status.phase}\n`)
    }
    if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`)
    if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`)
    const seccomp = open<{ seccompProfile?: { type: string; localhostProfile?: string } }>(spec, 'securityContext')?.seccompProfile
    if (seccomp) {
      w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`)
      if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`)
    }
    w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`)
    describePodIPs(w, pod)
    const controlledBy = controllerText(meta)
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`)
    const nominated = open<string>(status, 'nominatedNodeName')
    if (nominated) w.write(LEVEL_0, `NominatedNodeName:\t${nominated}\n`)
    const podResources = open<Parameters<typeof describeResources>[1]>(spec, 'resources')
    if (podResources) {
      w.write(LEVEL_0, 'Resources:\n')
      describeResources(w, podResources, LEVEL_1)
    }
    const resolve = podEnvResolver(pod)
    if (spec.initContainers?.length) {
      describeContainers(w, 'Init Containers', spec.initContainers.map(withDefaultRequests), open(status, 'initContainerStatuses'), resolve, '')
    }
    describeContainers(w, 'Containers', spec.containers.map(withDefaultRequests), status.containerStatuses, resolve, '')
    const ephemeral = open<Container[]>(spec, 'ephemeralContainers') ?? []
    if (ephemeral.length > 0) describeContainers(w, 'Ephemeral Containers', ephemeral, open(status, 'ephemeralContainerStatuses'), resolve, '')
    const gates = open<{ conditionType: string }[]>(spec, 'readinessGates') ?? []
    if (gates.length > 0) {
      w.write(LEVEL_0, 'Readiness Gates:\n  Type\tStatus\n')
      for (const g of gates) {
        const c = (status.conditions as readonly { type: string; status: string }[] | undefined)?.find((x) => x.type === g.conditionType)
        w.write(LEVEL_1, `${g.conditionType} \t${c?.status ?? '<none>'} \n`)
      }
    }
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\n')
      for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status} \n`)
    }
    describeVolumes(w, spec['volumes'], '')
    // GetPodQOS: the class the API server recorded, computed only when it recorded none.
    w.write(LEVEL_0, `QoS Class:\t${status.qosClass || qosClass(pod)}\n`)
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector)
    printTolerationsMultiline(w, 'Tolerations', spec.tolerations)
    describeTopologySpread(w, spec['topologySpreadConstraints'], '')
    printObjectEvents(w, events, 'Pod', meta, now, !isMirrorPod(pod))
  })
}
