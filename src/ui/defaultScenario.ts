import { webScenario } from '../scenarios/webScenario'

/** The cluster every first visit starts with. */
export const DEFAULT_SCENARIO = webScenario()

/** ?seed=N in the address sets the seed; anything else falls back to 1. */
export function seedFromLocation(search: string): number {
  const raw = new URLSearchParams(search).get('seed')
  const n = raw === null ? NaN : Number(raw)
  return Number.isSafeInteger(n) && n >= 0 ? n : 1
}

/** ?workers=N sets how many worker nodes the cluster has (1 to 50 in the browser; 2 when absent or invalid). */
export function workersFromLocation(search: string): number {
  const raw = new URLSearchParams(search).get('workers')
  const n = raw === null ? NaN : Number(raw)
  return Number.isInteger(n) && n >= 1 && n <= 50 ? n : 2
}
