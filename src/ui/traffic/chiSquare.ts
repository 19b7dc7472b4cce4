/**
 * The chance that a fair dice spreads requests at least this unevenly: the upper tail of the χ² distribution with
 * `df` degrees of freedom at `x`, Q(df/2, x/2), by the series or the continued fraction of the incomplete gamma
 * function (whichever converges fast there).
 */
export function chiSquareTail(x: number, df: number): number {
  if (x <= 0) return 1
  const a = df / 2
  const z = x / 2
  const lnFront = -z + a * Math.log(z) - logGamma(a)
  if (z < a + 1) {
    // P(a, z) by its series; Q = 1 - P.
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 500 && Math.abs(term) > Math.abs(sum) * 1e-14; n++) {
      term *= z / (a + n)
      sum += term
    }
    return Math.max(0, 1 - sum * Math.exp(lnFront))
  }
  // Q(a, z) by Lentz's continued fraction.
  const tiny = 1e-300
  let b = z + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < 1e-14) break
  }
  return Math.min(1, Math.exp(lnFront) * h)
}

/** ln Γ(a), Lanczos' approximation (g = 7, nine terms): good to about 15 digits for a > 0. */
function logGamma(a: number): number {
  const g = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  if (a < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * a)) - logGamma(1 - a)
  const x = a - 1
  let sum = g[0]!
  for (let i = 1; i < 9; i++) sum += g[i]! / (x + i)
  const t = x + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(sum)
}
