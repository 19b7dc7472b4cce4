import { useEffect, useMemo, useRef, useState } from 'react'

/** Something keyed that can be iterated as [key, value] pairs: a Map, or an Immutable.js Map. */
export interface Keyed<T> {
  has(key: string): boolean
  [Symbol.iterator](): Iterator<[string, T]>
}

/** What left, and with which change (a batch leaves together, `ms` after it went). */
type Gone<T> = ReadonlyMap<string, { readonly value: T; readonly batch: number }>

const NOTHING: Gone<never> = new Map()

/**
 * What was in `current` a moment ago and is no longer: items removed in the last `ms` milliseconds of real time, so
 * that they can be drawn leaving (a pod fading where it stood) instead of vanishing. An item that comes back stops
 * being gone. With `ms` 0 (reduced motion) nothing lingers.
 */
export function useDepartures<T>(current: Keyed<T>, ms: number): ReadonlyMap<string, T> {
  const [tracked, setTracked] = useState<{ current: Keyed<T>; gone: Gone<T>; batch: number }>({ current, gone: NOTHING, batch: 0 })
  let gone = tracked.gone
  if (tracked.current !== current) {
    // Derived from the previous input during render (React's "storing information from previous renders" pattern).
    const batch = tracked.batch + 1
    const next = new Map([...gone].filter(([k]) => !current.has(k)))
    if (ms > 0) for (const [k, v] of tracked.current) if (!current.has(k)) next.set(k, { value: v, batch })
    gone = next.size ? next : NOTHING
    setTracked({ current, gone, batch })
  }
  // Each batch gets one timer, kept however many changes follow, so a long run of changes does not keep ghosts alive.
  const scheduled = useRef(new Set<number>())
  useEffect(() => {
    for (const { batch } of gone.values()) {
      if (scheduled.current.has(batch)) continue
      scheduled.current.add(batch)
      setTimeout(() => {
        scheduled.current.delete(batch)
        setTracked((t) => {
          const left = new Map([...t.gone].filter(([, g]) => g.batch !== batch))
          return left.size === t.gone.size ? t : { ...t, gone: left.size ? left : NOTHING }
        })
      }, ms)
    }
  }, [gone, ms])
  return useMemo(() => new Map([...gone].map(([k, g]) => [k, g.value])), [gone])
}
