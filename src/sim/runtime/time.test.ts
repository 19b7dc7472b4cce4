import { describe, expect, it } from 'vitest'
import { goDuration } from './time'

describe('goDuration', () => {
  it("prints a millisecond-truncated duration as Go's time.Duration does", () => {
    expect(goDuration(0)).toBe('0s')
    expect(goDuration(163)).toBe('163ms')
    expect(goDuration(1523)).toBe('1.523s')
    expect(goDuration(1500)).toBe('1.5s')
    expect(goDuration(2000)).toBe('2s')
    expect(goDuration(36_009)).toBe('36.009s')
    expect(goDuration(60_000)).toBe('1m0s')
    expect(goDuration(63_250)).toBe('1m3.25s')
    expect(goDuration(3_600_000)).toBe('1h0m0s')
  })
})
