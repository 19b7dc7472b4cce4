import type { Container, Pod } from '../../model/pod'
import { withDefaultRequests } from './describeContainers'
import { addQuantity, greater, parseQuantity, type Quantity } from './quantity'

/** A corev1.ResourceList of parsed quantities. */
export type ResourceTotals = Map<string, Quantity>

type ListOf = (c: Container) => Readonly<Record<string, string | number>> | undefined

/** addResourceList: adds each quantity, keeping the first one's format. */
export function addResources(into: ResourceTotals, list: ResourceTotals | Readonly<Record<string, string | number>> | undefined): void {
  const entries = list instanceof Map ? [...list] : Object.entries(list ?? {}).map(([k, v]) => [k, parseQuantity(v)] as const)
  for (const [name, q] of entries) {
    const had = into.get(name)
    into.set(name, had ? addQuantity(had, q) : q)
  }
}

/** maxResourceList: the greater of the two for each resource. */
function maxResources(into: ResourceTotals, list: ResourceTotals): void {
  for (const [name, q] of list) {
    const had = into.get(name)
    if (!had || greater(q, had)) into.set(name, q)
  }
}

/**
 * kubectl's resourcehelper podRequests / podLimits: the containers summed, restartable init containers (sidecars)
 * added, the largest other init container if it is larger still, plus the pod overhead (for limits, only where a limit
 * is set). Requests are read as the API server stores them, defaulted from the limits.
 */
function podTotals(pod: Pod, listOf: ListOf, isLimits: boolean): ResourceTotals {
  const totals: ResourceTotals = new Map()
  for (const c of pod.spec.containers) addResources(totals, listOf(withDefaultRequests(c)))
  const sidecars: ResourceTotals = new Map()
  const init: ResourceTotals = new Map()
  for (const c of pod.spec.initContainers ?? []) {
    const own: ResourceTotals = new Map()
    addResources(own, listOf(withDefaultRequests(c)))
    if (c['restartPolicy'] === 'Always') {
      addResources(totals, own)
      addResources(sidecars, own)
      maxResources(init, new Map(sidecars))
    } else {
      addResources(own, sidecars)
      maxResources(init, own)
    }
  }
  maxResources(totals, init)
  const overhead = pod.spec['overhead'] as Readonly<Record<string, string | number>> | undefined
  for (const [name, q] of Object.entries(overhead ?? {})) {
    const had = totals.get(name)
    if (!isLimits || (had && had.nano !== 0n)) totals.set(name, had ? addQuantity(had, parseQuantity(q)) : parseQuantity(q))
  }
  return totals
}

/** PodRequestsAndLimits. */
export function podRequestsAndLimits(pod: Pod): { requests: ResourceTotals; limits: ResourceTotals } {
  return { requests: podTotals(pod, (c) => c.resources?.requests, false), limits: podTotals(pod, (c) => c.resources?.limits, true) }
}
