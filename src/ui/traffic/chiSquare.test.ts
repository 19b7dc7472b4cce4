import { describe, expect, it } from 'vitest'
import { chiSquareTail } from './chiSquare'

describe('how likely a spread is under a fair dice', () => {
  it('matches the χ² table', () => {
    // Critical values: P(χ² > x) for df 2 at 5.991 is 0.05, at 9.210 is 0.01; df 1 at 3.841 is 0.05; df 9 at 16.919 is 0.05.
    expect(chiSquareTail(5.991, 2)).toBeCloseTo(0.05, 3)
    expect(chiSquareTail(9.21, 2)).toBeCloseTo(0.01, 3)
    expect(chiSquareTail(3.841, 1)).toBeCloseTo(0.05, 3)
    expect(chiSquareTail(16.919, 9)).toBeCloseTo(0.05, 3)
    expect(chiSquareTail(0, 4)).toBe(1)
    // df 2 has a closed form: exp(-x/2).
    for (const x of [0.5, 2, 6.86, 20]) expect(chiSquareTail(x, 2)).toBeCloseTo(Math.exp(-x / 2), 10)
  })
})
