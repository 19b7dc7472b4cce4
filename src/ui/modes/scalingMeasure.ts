import { measureScaling, renderScaling, scalingView, SCALING_SIZES } from '../../sim/compare/modeScaling'
import { PROXY_MODES, type ProxyMode } from '../../sim/model/proxyMode'

/** One mode at one size, as measured in this browser. */
export interface ScalingSample {
  readonly mode: ProxyMode
  readonly services: number
  /** Rules (and lookups) the first packet of a new connection to the last Service is tested against. */
  readonly rulesWalked: number
  /** Rules the node holds, in the mode's own units. */
  readonly rules: number
  /** Median wall time of rendering the node's rules (what a full sync writes), in ms. */
  readonly syncMs: number
}

/** Runs timed per point: fewer where one run takes long, so that the whole stays within seconds. */
const runsFor = (services: number) => (services >= 1_000 ? 3 : 5)

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** One piece of work small enough to run between two frames (one timed render, at most). */
type Step = () => void

/** Measured once per page: the numbers do not change while it is open. */
let cached: readonly ScalingSample[] | undefined

/** The samples measured earlier in this page, if any. */
export const cachedScaling = () => cached

/**
 * Measures every mode at every size in SCALING_SIZES, a few timed renders per task (a 10,000-Service render takes up to
 * a second; between tasks the page paints and answers), reporting progress as it goes. Returns a function that
 * cancels what is left.
 */
export function measureScalingInSteps(onProgress: (done: number, total: number, what: string) => void, onDone: (samples: readonly ScalingSample[]) => void): () => void {
  const samples: ScalingSample[] = []
  const steps: { what: string; run: Step }[] = []
  for (const services of SCALING_SIZES) {
    for (const mode of PROXY_MODES) {
      const times: number[] = []
      let rules: ReturnType<typeof renderScaling> | undefined
      const label = `${mode}, ${services.toLocaleString('en-US')} Services`
      for (let r = 0; r < runsFor(services); r++) {
        steps.push({
          what: label,
          run: () => {
            // Each render gets a view of its own: kube-proxy's renderers cache by the Services they were given, and a
            // sync of Services seen before would cost nothing. A small one takes less than the clock's step: several
            // (views built first, untimed), timed together.
            const views = Array.from({ length: Math.max(1, Math.ceil(2_000 / services)) }, () => scalingView(services, mode))
            const t0 = performance.now()
            for (const v of views) rules = renderScaling(v)
            times.push((performance.now() - t0) / views.length)
          },
        })
      }
      steps.push({
        what: label,
        run: () => {
          const point = measureScaling(rules!, services)
          samples.push({ mode, services, rulesWalked: point.rulesWalked, rules: point.rules, syncMs: median(times) })
          rules = undefined
        },
      })
    }
  }
  let next = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = () => {
    const step = steps[next]!
    step.run()
    next++
    onProgress(next, steps.length, step.what)
    if (next < steps.length) timer = setTimeout(tick, 0)
    else {
      cached = samples
      onDone(samples)
    }
  }
  timer = setTimeout(tick, 0)
  return () => clearTimeout(timer)
}
