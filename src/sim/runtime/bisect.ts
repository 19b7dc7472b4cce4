/** How many of `items`, in order of time, come at or before `t`: the index after the last of them (binary search). */
export function countUpTo<T>(items: readonly T[], t: number, timeOf: (item: T) => number): number {
  let lo = 0
  let hi = items.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (timeOf(items[mid]!) <= t) lo = mid + 1
    else hi = mid
  }
  return lo
}
