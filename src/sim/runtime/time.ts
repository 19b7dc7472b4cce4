/** The wall-clock instant the simulated cluster was created; virtual time counts from here. Fixed, so runs replay exactly. */
export const CLUSTER_EPOCH_MS = Date.UTC(2026, 0, 5, 9, 0, 0)

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function toTimestamp(virtualMs: number): string {
  const second = Math.floor(virtualMs / 1000)
  if (second !== lastSecond) {
    lastSecond = second
    lastText = new Date(CLUSTER_EPOCH_MS + second * 1000).toISOString().replace('.000Z', 'Z')
  }
  return lastText
}

// Most timestamps in a burst fall in the same second: remember the last one formatted.
let lastSecond = NaN
let lastText = ''

export function fromTimestamp(ts: string): number {
  return Date.parse(ts) - CLUSTER_EPOCH_MS
}

/** kubectl's AGE column (duration.HumanDuration): 45s, 5m2s, 3h, 2d4h, ... */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`
  if (h < 48) return `${h}h`
  const d = Math.floor(h / 24)
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`
  if (d < 365 * 2) return `${d}d`
  return `${Math.floor(d / 365)}y`
}

/** Go's time.Duration String() of a duration truncated to milliseconds: "523ms", "1.5s", "2s", "1m3.25s", "0s". */
export function goDuration(ms: number): string {
  const whole = Math.max(0, Math.floor(ms))
  if (whole === 0) return '0s'
  if (whole < 1000) return `${whole}ms`
  const h = Math.floor(whole / 3_600_000)
  const m = Math.floor((whole % 3_600_000) / 60_000)
  const s = ((whole % 60_000) / 1000).toFixed(3).replace(/\.?0+$/, '')
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`
}
