/** A seeded pseudo-random generator: the only source of randomness in the engine. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  int(n: number): number
  /** `length` characters drawn from `alphabet`. */
  string(alphabet: string, length: number): string
  /** The generator's position, to come back to (an undone command must not have drawn). */
  save(): readonly number[]
  restore(saved: readonly number[]): void
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter): tiny, fast and statistically good, seeded through splitmix32 so
 * that nearby seeds give unrelated streams.
 */
export function createRng(seed: number): Rng {
  const init = splitmix(seed >>> 0)
  let a = init[0]! | 0
  let b = init[1]! | 0
  let c = init[2]! | 0
  let d = init[3]! | 0
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  const rng: Rng = {
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
  // Discard the first outputs: sfc32 mixes poorly in its first few rounds.
  for (let i = 0; i < 12; i++) next()
  return rng
}

function splitmix(seed: number): number[] {
  const out: number[] = []
  let s = seed
  for (let i = 0; i < 4; i++) {
    s = (s + 0x9e3779b9) | 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    out.push((z ^ (z >>> 16)) | 0)
  }
  return out
}
