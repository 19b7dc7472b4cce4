/** A seeded pseudo-random generator: the only source of randomness in the engine. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  int(n: number): number
  /** `length` characters drawn from `alphabet`. */
  string(alphabet: string, length: number): string
  /** The generator's whole state (four 32-bit words): with it, `restoreRng` continues the very same stream. */
  save(): RngState
  /** Goes back to a saved position (an undone command must not have drawn). */
  restore(saved: RngState): void
}

/** sfc32's four words of state, as signed 32-bit integers. */
export type RngState = readonly [number, number, number, number]

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter): tiny, fast and statistically good, seeded through splitmix32 so
 * that nearby seeds give unrelated streams.
 */
export function createRng(seed: number): Rng {
  const rng = rngFrom(splitmix(seed >>> 0))
  // Discard the first outputs: sfc32 mixes poorly in its first few rounds.
  for (let i = 0; i < 12; i++) rng.next()
  return rng
}

/** A generator that continues from a saved state (`Rng.save()`), drawing exactly what the saved one would have drawn. */
export function restoreRng(state: RngState): Rng {
  return rngFrom(state)
}

/** Whether `value` is a state `restoreRng` accepts: four 32-bit integers. */
export function isRngState(value: unknown): value is RngState {
  return Array.isArray(value) && value.length === 4 && value.every((w) => Number.isInteger(w) && (w as number) >= -(2 ** 31) && (w as number) < 2 ** 31)
}

function rngFrom(state: RngState): Rng {
  let a = state[0] | 0
  let b = state[1] | 0
  let c = state[2] | 0
  let d = state[3] | 0
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  return {
    next,
    int: (n) => Math.floor(next() * n),
    string: (alphabet, length) => {
      let s = ''
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)]
      return s
    },
    save: () => [a, b, c, d],
    restore: (saved) => {
      ;[a, b, c, d] = saved as [number, number, number, number]
    },
  }
}

function splitmix(seed: number): RngState {
  const out: number[] = []
  let s = seed
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    out.push((z ^ (z >>> 16)) | 0)
  }
  return [out[0]!, out[1]!, out[2]!, out[3]!]
}

/**
 * The engine's separate streams. Each part of the cluster draws from its own, so that what one does never shifts what
 * another draws: a hundred requests (packets) leave the next pod's name (names), node (scheduler), image pull time
 * (kubelet) and the next Service's ClusterIP (ipam) exactly as they were. That is what lets a lesson name them.
 */
export const RNG_STREAMS = ['names', 'scheduler', 'ipam', 'kubelet', 'packets'] as const
export type RngStreamName = (typeof RNG_STREAMS)[number]
export type RngStreamsState = { readonly [K in RngStreamName]: RngState }

export interface RngStreams {
  readonly names: Rng
  readonly scheduler: Rng
  readonly ipam: Rng
  readonly kubelet: Rng
  readonly packets: Rng
  save(): RngStreamsState
  restore(saved: RngStreamsState): void
}

/** The streams of a seed (each seeded from it and its own number), or continued from a saved state. */
export function createRngStreams(seed: number | RngStreamsState): RngStreams {
  const rngs = Object.fromEntries(RNG_STREAMS.map((name, i) => [name, typeof seed === 'number' ? createRng((seed + Math.imul(i, 0x9e3779b9)) >>> 0) : restoreRng(seed[name])])) as Record<RngStreamName, Rng>
  return {
    ...rngs,
    save: () => Object.fromEntries(RNG_STREAMS.map((name) => [name, rngs[name].save()])) as RngStreamsState,
    restore: (saved) => {
      for (const name of RNG_STREAMS) rngs[name].restore(saved[name])
    },
  }
}

/** Whether `value` is a saved state of every stream. */
export function isRngStreamsState(value: unknown): value is RngStreamsState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length === RNG_STREAMS.length && RNG_STREAMS.every((name) => isRngState((value as Record<string, unknown>)[name]))
}
