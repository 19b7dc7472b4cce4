import type { Endpoint } from '../model/endpointSlice'

/** The pods the selector matched, and why those that make no endpoint were left out (what the story says). */
export interface LeftOut {
  matching: number
  finished: number
  noIP: number
}

/** What the controller says it wrote into a slice: its endpoints, or why it is an empty placeholder. */
export function sliceSummary(endpoints: readonly Endpoint[], left: LeftOut, object: string): string {
  if (endpoints.length > 0) {
    const ready = endpoints.filter((e) => e.conditions.ready).length
    const terminating = endpoints.filter((e) => e.conditions.terminating).length
    return `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'} (${ready} ready${terminating ? `, ${terminating} terminating` : ''}) for ${object}`
  }
  return `${placeholderReason(left)}: placeholder slice with no endpoints for ${object}`
}

/** Why a Service has no endpoint at all: nothing matches, or what keeps the matching pods out. */
function placeholderReason(left: LeftOut): string {
  if (left.matching === 0) return 'No pods match the selector'
  const n = left.matching
  const pods = `${n} pod${n === 1 ? '' : 's'} match${n === 1 ? 'es' : ''} the selector`
  const finished = 'finished (Succeeded or Failed)'
  if (left.noIP === n) return `${pods}, but ${n === 1 ? 'it has no IP' : 'none has an IP'} yet`
  if (left.finished === n) return `${pods}, but ${n === 1 ? 'it has' : 'all have'} ${finished}`
  return `${pods}, but ${left.noIP} ${left.noIP === 1 ? 'has' : 'have'} no IP yet and ${left.finished} ${left.finished === 1 ? 'has' : 'have'} ${finished}`
}
