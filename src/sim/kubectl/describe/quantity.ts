/**
 * resource.Quantity as describe prints it (k8s.io/apimachinery/pkg/api/resource: quantity.go CanonicalizeBytes,
 * amount.go AsCanonicalBytes / AsCanonicalBase1024Bytes): exact values in nano units, the format taken from the suffix
 * written, and the canonical text ("0.5" cpu prints "500m", "1024Mi" prints "1Gi", "1500" stays "1500").
 */

type Format = 'DecimalSI' | 'BinarySI' | 'DecimalExponent'

/** A parsed quantity: its value in nano units (exact) and the format its suffix gave it. */
export interface Quantity {
  readonly nano: bigint
  readonly format: Format
}

const NANO = 1_000_000_000n
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }
const BINARY: Record<string, number> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 }
const DECIMAL_SUFFIX = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]))
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']

/** The zero quantity (a missing request): prints "0". */
export const ZERO: Quantity = { nano: 0n, format: 'DecimalSI' }

/** Parses "100m", "64Mi", "1.5", "2e3" or a number; what the API server accepted, so anything else is zero. */
export function parseQuantity(q: string | number | undefined): Quantity {
  if (q === undefined) return ZERO
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(String(q).trim())
  if (!m) return ZERO
  const [, sign, whole = '', frac = '', suffix = ''] = m
  const digits = BigInt(`${whole}${frac}` || '0') * (sign === '-' ? -1n : 1n)
  const scaleDown = 10n ** BigInt(frac.length)
  let format: Format = 'DecimalSI'
  let nano: bigint
  if (suffix in BINARY) {
    format = 'BinarySI'
    nano = (digits * 1024n ** BigInt(BINARY[suffix]!) * NANO) / scaleDown
  } else {
    let exp: number | undefined = DECIMAL[suffix]
    if (exp === undefined && /^[eE][+-]?\d+$/.test(suffix)) {
      format = 'DecimalExponent'
      exp = Number(suffix.slice(1))
    }
    if (exp === undefined) return ZERO
    const shift = exp + 9
    nano = shift >= 0 ? (digits * 10n ** BigInt(shift)) / scaleDown : digits / (scaleDown * 10n ** BigInt(-shift))
  }
  return { nano, format }
}

/** Quantity.Add: the sum keeps the format of the receiver, or the addend's when the receiver is zero. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format }
}

/** Quantity.Cmp > 0. */
export const greater = (a: Quantity, b: Quantity): boolean => a.nano > b.nano

/** MilliValue: rounded up, as Quantity.ScaledValue does. */
export const milliValue = (q: Quantity): number => Number(ceilDiv(q.nano, 1_000_000n))

/** Value: rounded up. */
export const wholeValue = (q: Quantity): number => Number(ceilDiv(q.nano, NANO))

function ceilDiv(a: bigint, b: bigint): bigint {
  const d = a / b
  return a % b !== 0n && a > 0n ? d + 1n : d
}

/** Strips factors of `base` from a mantissa: the reduced mantissa and how many were taken. */
function removeFactors(value: bigint, base: bigint): [bigint, number] {
  let times = 0
  while (value !== 0n && value % base === 0n) {
    value /= base
    times++
  }
  return [value, times]
}

/** Quantity.String(). */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return '0'
  let format = q.format
  const abs = q.nano < 0n ? -q.nano : q.nano
  // Binary formatting would round small or fractional values: those print in decimal.
  if (format === 'BinarySI' && (abs < 1024n * NANO || q.nano % NANO !== 0n)) format = 'DecimalSI'
  if (format === 'BinarySI') {
    const [amount, exp] = removeFactors(q.nano / NANO, 1024n)
    return `${amount}${BINARY_SUFFIX[exp]}`
  }
  let [amount, exp] = removeFactors(q.nano, 10n)
  exp -= 9
  const rest = ((exp % 3) + 3) % 3
  amount *= 10n ** BigInt(rest)
  exp -= rest
  if (format === 'DecimalExponent') return exp === 0 ? `${amount}` : `${amount}e${exp}`
  const suffix = DECIMAL_SUFFIX[exp]
  return suffix !== undefined ? `${amount}${suffix}` : `${amount}e${exp}`
}

/** The canonical text of a quantity as written: parse, then print. */
export const canonicalQuantity = (q: string | number | undefined): string => formatQuantity(parseQuantity(q))
