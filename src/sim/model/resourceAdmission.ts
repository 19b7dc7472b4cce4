import { forbidden, invalid, qualifiedNameProblems, required, type FieldError } from './fieldErrors'

/** A container's resources as stored: quantities keyed by resource name. */
export interface Resources {
  readonly requests?: Readonly<Record<string, string | number>>
  readonly limits?: Readonly<Record<string, string | number>>
}

const SUFFIXES: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
}

/** A Quantity's value (the decoder has checked its form): "500m" -> 0.5, "1Gi" -> 1073741824, "1e3" -> 1000. */
export function quantityValue(q: string | number): number {
  if (typeof q === 'number') return q
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(.*)$/.exec(q.trim())
  if (!m) return NaN
  const suffix = m[2]!
  const base = Number(m[1])
  if (suffix in SUFFIXES) return base * SUFFIXES[suffix]!
  return /^[eE][+-]?\d+$/.test(suffix) ? base * 10 ** Number(suffix.slice(1)) : NaN
}

const isHugePages = (name: string) => name.startsWith('hugepages-')
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/')
/** Native resources but huge pages may be overcommitted; extended resources (vendor.com/gpu) may not. */
const overcommitAllowed = (name: string) => isNative(name) && !isHugePages(name)

/** validateContainerResourceName: a qualified name, standard if unprefixed, an extended resource otherwise. */
function resourceNameErrors(path: string, name: string): FieldError[] {
  const problems = qualifiedNameProblems(name)
  if (problems.length) return problems.map((m) => invalid(path, name, m))
  if (!name.includes('/')) {
    return ['cpu', 'memory', 'ephemeral-storage'].includes(name) || isHugePages(name) ? [] : [invalid(path, name, 'must be a standard resource for containers')]
  }
  if (!isNative(name) && name.startsWith('requests.')) return [invalid(path, name, "doesn't follow extended resource name standard")]
  return []
}

/** ValidateContainerResourceRequirements: valid names and quantities, requests within limits. */
export function validateResources(path: string, r: Resources | undefined): FieldError[] {
  if (!r) return []
  const errs: FieldError[] = []
  const limits = r.limits ?? {}
  const requests = r.requests ?? {}
  let cpuOrMemory = false
  let hugePages = false
  const check = (group: 'limits' | 'requests', name: string, q: string | number) => {
    const p = `${path}.${group}[${name}]`
    errs.push(...resourceNameErrors(p, name))
    const v = quantityValue(q)
    if (v < 0) errs.push(invalid(p, String(q), 'must be greater than or equal to 0'))
    if (!isNative(name) && !Number.isInteger(v)) errs.push(invalid(p, String(q), 'must be an integer'))
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true
    if (isHugePages(name)) hugePages = true
  }
  for (const [name, q] of Object.entries(limits)) check('limits', name, q)
  for (const [name, q] of Object.entries(requests)) {
    check('requests', name, q)
    const limit = limits[name]
    if (limit !== undefined) {
      const [rv, lv] = [quantityValue(q), quantityValue(limit)]
      if (rv !== lv && !overcommitAllowed(name)) errs.push(invalid(`${path}.requests`, String(q), `must be equal to ${name} limit of ${limit}`))
      else if (rv > lv) errs.push(invalid(`${path}.requests`, String(q), `must be less than or equal to ${name} limit of ${limit}`))
    } else if (!overcommitAllowed(name)) errs.push(required(`${path}.limits`, 'Limit must be set for non overcommitable resources'))
  }
  if (hugePages && !cpuOrMemory) errs.push(forbidden(path, 'HugePages require cpu or memory'))
  return errs
}
