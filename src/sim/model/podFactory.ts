import type { OwnerReference } from './meta'
import type { Pod } from './pod'
import { defaultPodSpec } from './podSpecAdmission'
import type { PodTemplateSpec } from './workloads'

/** QoS class from requests and limits (pkg/apis/core/helper/qos). */
export function qosClass(pod: Pick<Pod, 'spec'>): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const containers = pod.spec.containers
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length > 0 || Object.keys(c.resources?.limits ?? {}).length > 0)
  if (!any) return 'BestEffort'
  const guaranteed = containers.every((c) => {
    const l = c.resources?.limits ?? {}
    const r = c.resources?.requests ?? l
    return l['cpu'] !== undefined && l['memory'] !== undefined && String(r['cpu']) === String(l['cpu']) && String(r['memory']) === String(l['memory'])
  })
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

/** A pod as a workload controller posts it: generateName, template labels, a controller reference to its owner. */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, generateName: string, owner: OwnerReference): Pod {
  const spec = defaultPodSpec(template.spec, true)
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: '',
      generateName,
      namespace,
      ...(template.metadata?.labels ? { labels: template.metadata.labels } : {}),
      ...(template.metadata?.annotations ? { annotations: template.metadata.annotations } : {}),
      ownerReferences: [owner],
    },
    spec,
    status: { phase: 'Pending' },
  }
  return { ...pod, status: { phase: 'Pending', qosClass: qosClass(pod) } }
}

/** Parses a CPU quantity ("100m", "0.5", 2) to millicores. */
export function cpuMillis(q: string | number | undefined): number {
  if (q === undefined) return 0
  const s = String(q)
  if (s.endsWith('m')) return Number(s.slice(0, -1)) || 0
  return Math.round((Number(s) || 0) * 1000)
}

const MEMORY_UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }

/** Parses a memory quantity ("64Mi", "1G", 1048576) to bytes. */
export function memoryBytes(q: string | number | undefined): number {
  if (q === undefined) return 0
  const m = /^(\d+(?:\.\d+)?)([A-Za-z]*)$/.exec(String(q))
  if (!m) return 0
  return Number(m[1]) * (MEMORY_UNITS[m[2]!] ?? 1)
}

/** The pod's summed container requests (what the scheduler's NodeResourcesFit filter counts). */
export function podRequests(pod: Pod): { cpu: number; memory: number } {
  let cpu = 0
  let memory = 0
  for (const c of pod.spec.containers) {
    const r = c.resources?.requests ?? c.resources?.limits ?? {}
    cpu += cpuMillis(r['cpu'])
    memory += memoryBytes(r['memory'])
  }
  return { cpu, memory }
}
