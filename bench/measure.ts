/** What the benchmarks share: a heap reading after full collections (node --expose-gc), and timing one call. */
export function heap(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed
}

export function time<T>(f: () => T): [T, number] {
  const t0 = performance.now()
  const r = f()
  return [r, performance.now() - t0]
}

export const ms = (t: number) => `${t.toFixed(t < 10 ? 2 : 0)} ms`
