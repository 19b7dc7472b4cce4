/** "2 min 10 s", "45 s", "1 h 3 min": a virtual time or a span read aloud (whole seconds). */
export function spokenDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h) return m ? `${h} h ${m} min` : `${h} h`
  if (m) return s ? `${m} min ${s} s` : `${m} min`
  return `${s} s`
}

/** "2m10s", "45s", "1h03m": the time shown, short, for the slider's readout and the banner. */
export function clockText(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  if (h) return `${h}h${String(m).padStart(2, '0')}m`
  if (m) return `${m}m${String(s).padStart(2, '0')}s`
  return `${s}s`
}

/** The slider's value in words: "2 min 10 s, 40 s ago", or "2 min 50 s, live". */
export function sliderValueText(shown: number, now: number, live: boolean): string {
  return live ? `${spokenDuration(shown)}, live` : `${spokenDuration(shown)}, ${spokenDuration(now - shown)} ago`
}
