import { matchesSelector } from '../../model/meta'
import type { ReplicaSet } from '../../model/workloads'
import type { SimEvent } from '../../runtime/events'
import type { ClusterState } from '../../state'
import { formatSelector } from '../printers'
import { describePodTemplate } from './describePodTemplate'
import { printObjectEvents } from './eventsSection'
import { controllerText } from './fieldFormat'
import { printAnnotationsMultiline, printLabelsMultiline } from './multiline'
import { LEVEL_0, LEVEL_1, tabbedString } from './prefixWriter'

/** getPodStatusForController: the ReplicaSet's own pods (selector and controller uid) counted by phase. */
function podPhases(state: ClusterState, rs: ReplicaSet): Record<'Running' | 'Pending' | 'Succeeded' | 'Failed', number> {
  const counts = { Running: 0, Pending: 0, Succeeded: 0, Failed: 0 }
  for (const pod of state.pods.values()) {
    if (pod.metadata.namespace !== rs.metadata.namespace || !matchesSelector(rs.spec.selector, pod.metadata.labels)) continue
    if (!pod.metadata.ownerReferences?.some((r) => r.controller && r.uid === rs.metadata.uid)) continue
    if (pod.status.phase in counts) counts[pod.status.phase as keyof typeof counts]++
  }
  return counts
}

/**
 * kubectl describe replicaset, after describe.go's describeReplicaSet: selector, owner, replica counts and its pods by
 * phase, the pod template, conditions, then the events.
 */
export function describeReplicaSet(state: ClusterState, rs: ReplicaSet, events: readonly SimEvent[], now: number): string {
  const phases = podPhases(state, rs)
  return tabbedString((w) => {
    const { metadata: meta, spec, status } = rs
    w.write(LEVEL_0, `Name:\t${meta.name}\n`)
    w.write(LEVEL_0, `Namespace:\t${meta.namespace}\n`)
    w.write(LEVEL_0, `Selector:\t${formatSelector(spec.selector)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    const controlledBy = controllerText(meta)
    if (controlledBy) w.write(LEVEL_0, `Controlled By:\t${controlledBy}\n`)
    w.write(LEVEL_0, `Replicas:\t${status.replicas ?? 0} current / ${spec.replicas} desired\n`)
    w.write(LEVEL_0, 'Pods Status:\t')
    w.write(LEVEL_0, `${phases.Running} Running / ${phases.Pending} Waiting / ${phases.Succeeded} Succeeded / ${phases.Failed} Failed\n`)
    describePodTemplate(w, spec.template)
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n')
      w.write(LEVEL_1, '----\t------\t------\n')
      for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason}\n`)
    }
    printObjectEvents(w, events, 'ReplicaSet', meta, now)
  })
}
