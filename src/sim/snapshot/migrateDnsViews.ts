import { Map as IMap } from 'immutable'
import { isRecord } from './validateObjects'

/** What a version-2 snapshot holds that version 3 holds otherwise. */
interface V2Parts {
  readonly snapshot: Record<string, unknown>
  readonly state: unknown
  readonly memories: (readonly [unknown, unknown])[]
}

/**
 * Version 2 kept one view of what CoreDNS watched, shared by its pods, with one pending `sync` timer. Version 3 gives
 * each pod its own: each pod that was serving gets the shared view and the shared pending changes, and the timer
 * becomes one per pod, due when the shared one was. Anything of another shape is left as it is, for the checks to
 * refuse with their reasons.
 */
export function migrateDnsViews({ snapshot, state, memories }: V2Parts): V2Parts {
  const at = memories.findIndex(([c]) => c === 'coredns')
  const mem = at >= 0 ? memories[at]![1] : undefined
  if (!isRecord(state) || !isRecord(state['dns']) || IMap.isMap(state['dns'])) return { snapshot, state, memories }
  const serving = isRecord(mem) && mem['serving'] instanceof Set ? [...(mem['serving'] as Set<unknown>)].filter((n): n is string => typeof n === 'string').map((n) => `kube-system/${n}`) : []
  const changed = isRecord(mem) && mem['changed'] instanceof Set ? [...(mem['changed'] as Set<unknown>)] : []
  const dns = IMap(serving.map((key) => [key, state['dns']] as const))
  const nextMemories = [...memories]
  if (at >= 0) nextMemories[at] = ['coredns', { pending: new Set(serving.flatMap((key) => changed.map((svc) => `${key}|${String(svc)}`))), serving: new Set(serving) }]

  let seq = typeof snapshot['timerSeq'] === 'number' ? snapshot['timerSeq'] : 0
  const perPod = (key: unknown) => (key === 'sync' ? serving.map((pod) => `sync:${pod}`) : [key])
  const timers = Array.isArray(snapshot['timers'])
    ? snapshot['timers'].flatMap((t: unknown) => (Array.isArray(t) && t[2] === 'coredns' && t[3] === 'sync' ? serving.map((_, i) => [t[0], i === 0 ? t[1] : seq++, 'coredns', perPod('sync')[i]]) : [t]))
    : snapshot['timers']
  const due = Array.isArray(snapshot['due']) ? snapshot['due'].flatMap((d: unknown) => (Array.isArray(d) && d[0] === 'coredns' && d[1] === 'sync' ? perPod('sync').map((k) => ['coredns', k, d[2]]) : [d])) : snapshot['due']
  const queues = Array.isArray(snapshot['queues']) ? snapshot['queues'].map((q: unknown) => (Array.isArray(q) && q[0] === 'coredns' && Array.isArray(q[1]) ? ['coredns', q[1].flatMap(perPod)] : q)) : snapshot['queues']
  return { snapshot: { ...snapshot, timers, due, queues, timerSeq: seq }, state: { ...state, dns }, memories: nextMemories }
}
