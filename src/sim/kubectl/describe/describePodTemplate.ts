import type { PodTemplateSpec } from '../../model/workloads'
import { describeContainers } from './describeContainers'
import { describeTopologySpread } from './describeTopologySpread'
import { describeVolumes } from './describeVolumes'
import { printAnnotationsMultiline, printLabelsMultiline, printTolerationsMultiline } from './multiline'
import { LEVEL_0, LEVEL_1, type PrefixWriter } from './prefixWriter'

/**
 * DescribePodTemplate (describe.go), shared by Deployments and ReplicaSets: the template's labels, containers without
 * status, volumes, node selectors and tolerations, all one level in.
 */
export function describePodTemplate(w: PrefixWriter, template: PodTemplateSpec): void {
  w.write(LEVEL_0, 'Pod Template:\n')
  printLabelsMultiline(w, '  Labels', template.metadata?.labels)
  if (Object.keys(template.metadata?.annotations ?? {}).length > 0) printAnnotationsMultiline(w, '  Annotations', template.metadata?.annotations)
  const spec = template.spec
  if (spec.serviceAccountName) w.write(LEVEL_1, `Service Account:\t${spec.serviceAccountName}\n`)
  if (spec.initContainers?.length) describeContainers(w, 'Init Containers', spec.initContainers, undefined, undefined, '  ')
  describeContainers(w, 'Containers', spec.containers, undefined, undefined, '  ')
  describeVolumes(w, spec['volumes'], '  ')
  describeTopologySpread(w, spec['topologySpreadConstraints'], '  ')
  if (spec.priorityClassName) w.write(LEVEL_1, `Priority Class Name:\t${spec.priorityClassName}\n`)
  printLabelsMultiline(w, '  Node-Selectors', spec.nodeSelector)
  printTolerationsMultiline(w, '  Tolerations', spec.tolerations)
}
