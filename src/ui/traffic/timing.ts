import type { Hop } from '../../sim'

/** How one hop is played at `rate` hops per second (real ms): travel to where it happens, the rule walk, the rewrite. */
export interface HopTiming {
  readonly travel: number
  /** Per rule of the walk, and how many rules are shown stepping (the rest appear at once). */
  readonly perRule: number
  readonly steppedRules: number
  /** When, from the hop's start, the header is rewritten: after the travel and the rule walk. */
  readonly rewriteAt: number
  readonly rewrite: number
  readonly total: number
}

/** A walk longer than this is stepped through only to here, then shown whole: nobody reads 3,000 rules one by one. */
const MAX_STEPPED_RULES = 40

const changed = (h: Hop) => h.before.src !== h.after.src || h.before.dst !== h.after.dst

/**
 * The schedule of hop `i`: a packet moves (when the hop is somewhere else than the one before), walks the rules it was
 * tested against one by one, then has its header rewritten. At 1 hop/s a plain hop takes about a second.
 */
export function hopTiming(hops: readonly Hop[], i: number, rate: number): HopTiming {
  const h = hops[i]!
  const unit = 1000 / rate
  const moves = i > 0 && hops[i - 1]!.at !== h.at
  const travel = moves ? 0.5 * unit : 0.15 * unit
  const steppedRules = Math.min(h.evaluated?.length ?? 0, MAX_STEPPED_RULES)
  const perRule = steppedRules ? Math.min(0.12 * unit, (1.6 * unit) / steppedRules) : 0
  const rewrite = changed(h) ? 0.6 * unit : 0
  const dwell = 0.35 * unit
  const rewriteAt = travel + perRule * steppedRules
  return { travel, perRule, steppedRules, rewriteAt, rewrite, total: rewriteAt + rewrite + dwell }
}
