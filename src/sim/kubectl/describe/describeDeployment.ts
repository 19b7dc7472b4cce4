import { byCreation, templateEqualIgnoringHash } from '../../controllers/deploymentUtil'
import { matchesSelector } from '../../model/meta'
import type { Deployment, ReplicaSet } from '../../model/workloads'
import type { SimEvent } from '../../runtime/events'
import type { ClusterState } from '../../state'
import { formatSelector } from '../printers'
import { describePodTemplate } from './describePodTemplate'
import { printObjectEvents } from './eventsSection'
import { rfc1123z } from './fieldFormat'
import { printAnnotationsMultiline, printLabelsMultiline } from './multiline'
import { LEVEL_0, LEVEL_1, tabbedString } from './prefixWriter'

/**
 * deploymentutil.GetAllReplicaSetsInChunks as the describer uses it: the ReplicaSets its selector lists and it
 * controls, oldest first; the new one is the oldest whose template matches; "old" is every other, scaled to zero or not.
 */
function replicaSetsOf(state: ClusterState, d: Deployment): { old: ReplicaSet[]; current: ReplicaSet[] } {
  const owned = state.replicaSets
    .valueSeq()
    .filter((rs) => rs.metadata.namespace === d.metadata.namespace && matchesSelector(d.spec.selector, rs.metadata.labels))
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid))
    .toArray()
    .sort(byCreation)
  const current = owned.find((rs) => templateEqualIgnoringHash(rs.spec.template, d.spec.template))
  return { old: owned.filter((rs) => rs !== current), current: current ? [current] : [] }
}

/** printReplicaSetsByLabels: "name (created/desired replicas created)", comma-separated, "<none>" for none. */
const replicaSetList = (rss: readonly ReplicaSet[]) =>
  rss.map((rs) => `${rs.metadata.name} (${rs.status.replicas ?? 0}/${rs.spec.replicas} replicas created)`).join(', ') || '<none>'

/** intstr.String of maxSurge / maxUnavailable: "25%" or "1". */
const intOrString = (v: number | string | undefined) => String(v ?? 0)

/**
 * kubectl describe deployment, after describe.go's describeDeployment: the replica counts, the strategy, the pod
 * template, conditions, old and new ReplicaSets, then the events.
 */
export function describeDeployment(state: ClusterState, d: Deployment, events: readonly SimEvent[], now: number): string {
  const { old, current } = replicaSetsOf(state, d)
  return tabbedString((w) => {
    const { metadata: meta, spec, status } = d
    w.write(LEVEL_0, `Name:\t${meta.name}\n`)
    w.write(LEVEL_0, `Namespace:\t${meta.namespace}\n`)
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(meta.creationTimestamp)}\n`)
    printLabelsMultiline(w, 'Labels', meta.labels)
    printAnnotationsMultiline(w, 'Annotations', meta.annotations)
    // LabelSelectorAsSelector(...).String(): an empty selector prints as nothing, not "<none>".
    const selector = formatSelector(spec.selector)
    w.write(LEVEL_0, `Selector:\t${selector === '<none>' ? '' : selector}\n`)
    const s = (n: number | undefined) => n ?? 0
    w.write(LEVEL_0, `Replicas:\t${spec.replicas} desired | ${s(status.updatedReplicas)} updated | ${s(status.replicas)} total | ${s(status.availableReplicas)} available | ${s(status.unavailableReplicas)} unavailable\n`)
    w.write(LEVEL_0, `StrategyType:\t${spec.strategy.type}\n`)
    w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`)
    const ru = spec.strategy.rollingUpdate
    if (ru) w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`)
    describePodTemplate(w, spec.template)
    if (status.conditions?.length) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n')
      w.write(LEVEL_1, '----\t------\t------\n')
      for (const c of status.conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason}\n`)
    }
    if (old.length > 0 || current.length > 0) {
      w.write(LEVEL_0, `OldReplicaSets:\t${replicaSetList(old)}\n`)
      w.write(LEVEL_0, `NewReplicaSet:\t${replicaSetList(current)}\n`)
    }
    printObjectEvents(w, events, 'Deployment', meta, now)
  })
}
