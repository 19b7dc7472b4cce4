import { describe, expect, it } from 'vitest'
import { fitName } from './fitName'

/** As if every character were one unit wide. */
const chars = (s: string) => s.length

describe("a pod's name on its card", () => {
  it('is whole when it fits', () => {
    expect(fitName('web-657cf65d6-7vfnr', 19, chars)).toBe('web-657cf65d6-7vfnr')
  })

  it("is cut in its middle: the Deployment's name and the pod's own suffix stay", () => {
    const name = 'recommendations-5f7d8c9b6-x2k4j'
    const fitted = fitName(name, 24, chars)
    expect(fitted.length).toBeLessThanOrEqual(24)
    expect(fitted.startsWith('recommendations-')).toBe(true)
    expect(fitted.endsWith('…-x2k4j')).toBe(true)
  })

  it("drops the whole hash before cutting into the Deployment's name", () => {
    expect(fitName('recommendations-864fd89d67-zqn8j', 22, chars)).toBe('recommendations…-zqn8j')
  })

  it('keeps the suffix even when little room is left', () => {
    expect(fitName('coredns-55df9d86d5-75xls', 9, chars)).toBe('co…-75xls')
  })
})
