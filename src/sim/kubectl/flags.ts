/** One flag a kubectl command accepts, as pflag declares it. */
export interface FlagSpec {
  readonly name: string
  readonly short?: string
  readonly type: 'bool' | 'string' | 'int' | 'strings' | 'duration'
}

export type FlagValue = string | boolean | number | string[]

export interface ParsedFlags {
  readonly flags: Readonly<Record<string, FlagValue>>
  /** Positional arguments, in order (flags may come anywhere among them, as pflag allows). */
  readonly args: readonly string[]
  /** What came after `--` (kubectl exec's command), when there was a `--`. */
  readonly dashed?: readonly string[]
}

/** kubectl's global flags, accepted by every command. */
export const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'context', type: 'string' },
  { name: 'cluster', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'request-timeout', type: 'string' },
  { name: 'v', short: 'v', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
]

/** A flag error as cobra prints it, with kubectl's pointer to the command's help. */
const usageError = (command: string, message: string) => `Error: ${message}\nSee '${command} --help' for usage.\n`

function convert(spec: FlagSpec, raw: string, flag: string): FlagValue | { error: string } {
  if (spec.type === 'bool') {
    const v = { true: true, '1': true, t: true, T: true, TRUE: true, True: true, false: false, '0': false, f: false, F: false, FALSE: false, False: false }[raw]
    return v ?? { error: `invalid argument "${raw}" for "${flag}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax` }
  }
  if (spec.type === 'int') {
    if (!/^[+-]?\d+$/.test(raw)) return { error: `invalid argument "${raw}" for "${flag}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax` }
    const n = Number(raw)
    if (!Number.isSafeInteger(n) || Math.abs(n) > 2 ** 31 - 1) return { error: `invalid argument "${raw}" for "${flag}" flag: strconv.ParseInt: parsing "${raw}": value out of range` }
    return n
  }
  if (spec.type === 'duration') {
    const ms = parseGoDuration(raw)
    return typeof ms === 'number' ? ms : { error: `invalid argument "${raw}" for "${flag}" flag: ${ms.error}` }
  }
  return raw
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Go's time.ParseDuration ("90s", "1m30s", "1.5h", "0"), in milliseconds, or its error text. */
export function parseGoDuration(text: string): number | { error: string } {
  const invalid = { error: `time: invalid duration ${JSON.stringify(text)}` }
  let s = text.replace(/^[+-]/, '')
  const sign = text.startsWith('-') ? -1 : 1
  if (s === '0') return 0
  if (s === '') return invalid
  let total = 0
  while (s !== '') {
    const m = /^(\d*)(\.\d*)?/.exec(s)!
    if (m[0] === '' || m[0] === '.') return invalid
    s = s.slice(m[0].length)
    const unit = /^[^\d.]*/.exec(s)![0]
    if (unit === '') return { error: `time: missing unit in duration ${JSON.stringify(text)}` }
    const factor = DURATION_UNITS[unit]
    if (factor === undefined) return { error: `time: unknown unit ${JSON.stringify(unit)} in duration ${JSON.stringify(text)}` }
    total += Number(m[0]) * factor
    s = s.slice(unit.length)
  }
  return sign * total
}

/**
 * Parses argv as pflag does: `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, booleans bare or with
 * `=false`, several short booleans in one word (`-it`), flags anywhere among the arguments, `--` ending them.
 * `command` ("kubectl get") is for the error text.
 */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], command: string): { ok: true; parsed: ParsedFlags } | { ok: false; error: string } {
  const all = [...specs, ...GLOBAL_FLAGS]
  const flags: Record<string, FlagValue> = {}
  const args: string[] = []
  const set = (spec: FlagSpec, value: FlagValue) => {
    if (spec.type === 'strings') flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), ...String(value).split(',')]
    else flags[spec.name] = value
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--') return { ok: true, parsed: { flags, args, dashed: argv.slice(i + 1) } }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=')
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq)
      const spec = all.find((s) => s.name === name)
      if (!spec) return { ok: false, error: usageError(command, `unknown flag: --${name}`) }
      let raw: string
      if (eq >= 0) raw = a.slice(eq + 1)
      else if (spec.type === 'bool') raw = 'true'
      else if (i + 1 < argv.length) raw = argv[++i]!
      else return { ok: false, error: usageError(command, `flag needs an argument: --${name}`) }
      const v = convert(spec, raw, `--${name}`)
      if (typeof v === 'object' && !Array.isArray(v)) return { ok: false, error: usageError(command, v.error) }
      set(spec, v)
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!
        const spec = all.find((s) => s.short === c)
        if (!spec) return { ok: false, error: usageError(command, `unknown shorthand flag: '${c}' in ${a}`) }
        const flag = `-${c}, --${spec.name}`
        if (spec.type === 'bool') {
          if (a[j + 1] === '=') {
            const v = convert(spec, a.slice(j + 2), flag)
            if (typeof v === 'object') return { ok: false, error: usageError(command, (v as { error: string }).error) }
            set(spec, v)
            break
          }
          set(spec, true)
          continue
        }
        let raw: string
        if (j + 1 < a.length) raw = a.slice(a[j + 1] === '=' ? j + 2 : j + 1)
        else if (i + 1 < argv.length) raw = argv[++i]!
        else return { ok: false, error: usageError(command, `flag needs an argument: '${c}' in -${c}`) }
        const v = convert(spec, raw, flag)
        if (typeof v === 'object' && !Array.isArray(v)) return { ok: false, error: usageError(command, v.error) }
        set(spec, v)
        break
      }
      continue
    }
    args.push(a)
  }
  return { ok: true, parsed: { flags, args } }
}
