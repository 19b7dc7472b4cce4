import { useEffect, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'

/**
 * A store's selected value, updated at most every `ms` real milliseconds (the last value always arrives). For what a
 * person reads rather than watches move: a count that changes eighty times a second is read no better than four
 * times a second, and each change repaints the page.
 */
export function useThrottledStore<S, T>(store: StoreApi<S>, selector: (s: S) => T, ms: number): T {
  const [value, setValue] = useState(() => selector(store.getState()))
  useEffect(() => {
    let last = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    let current = selector(store.getState())
    const publish = () => {
      timer = undefined
      last = performance.now()
      setValue(() => current)
    }
    publish()
    const unsubscribe = store.subscribe((s) => {
      const next = selector(s)
      if (Object.is(next, current)) return
      current = next
      if (timer !== undefined) return
      const wait = ms - (performance.now() - last)
      if (wait <= 0) publish()
      else timer = setTimeout(publish, wait)
    })
    return () => {
      unsubscribe()
      clearTimeout(timer)
    }
  }, [store, selector, ms])
  return value
}
