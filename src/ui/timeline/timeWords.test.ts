import { describe, expect, it } from 'vitest'
import { clockText, sliderValueText, spokenDuration } from './timeWords'

describe('cluster time in words', () => {
  it('reads a time aloud in hours, minutes and seconds, leaving out what is zero', () => {
    expect(spokenDuration(130_400)).toBe('2 min 10 s')
    expect(spokenDuration(45_000)).toBe('45 s')
    expect(spokenDuration(120_000)).toBe('2 min')
    expect(spokenDuration(3_780_000)).toBe('1 h 3 min')
    expect(spokenDuration(-5)).toBe('0 s')
  })

  it('writes the time shown short, as on a clock', () => {
    expect(clockText(130_400)).toBe('2m10s')
    expect(clockText(65_000)).toBe('1m05s')
    expect(clockText(9_000)).toBe('9s')
    expect(clockText(3_780_000)).toBe('1h03m')
  })

  it("says how long ago the moment shown was, or that it is live", () => {
    expect(sliderValueText(130_000, 170_000, false)).toBe('2 min 10 s, 40 s ago')
    expect(sliderValueText(170_000, 170_000, true)).toBe('2 min 50 s, live')
  })
})
