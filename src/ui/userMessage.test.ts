import { describe, expect, it } from 'vitest'
import { failureText, safely, userMessage } from './userMessage'

describe('what the app says when something fails', () => {
  it("passes the simulator's own messages through and never shows a raw JavaScript error", () => {
    expect(userMessage(new Error('a saved action no longer applies: x'))).toBe('a saved action no longer applies: x')
    for (const raw of [new TypeError('spec.ports?.map is not a function'), new RangeError('Invalid array length'), 'x', null, new Error('')]) {
      const said = userMessage(raw)
      expect(said).not.toMatch(/is not a function|Invalid array length|TypeError|RangeError/)
      expect(said).toMatch(/internal error/)
    }
  })

  it('gives every failed result a message, even one without kubectl text or lines', () => {
    expect(failureText({ errors: [{ path: 'spec.ports', message: 'Invalid value' }] })).toBe('spec.ports: Invalid value')
    expect(failureText({ errors: [{ path: '', message: 'error: no objects passed to apply' }], message: '' })).toBe('error: no objects passed to apply')
    expect(failureText({ errors: [] })).toMatch(/refused/)
    expect(failureText({ errors: [], message: 'The Service "x" is invalid' })).toBe('The Service "x" is invalid')
  })

  it('turns a command that throws into a failed result, and lets the caller republish the state', () => {
    let republished = false
    const error = console.error
    console.error = () => undefined
    const r = safely(() => {
      throw new TypeError('spec.ports?.map is not a function')
    }, () => (republished = true))
    console.error = error
    expect(r.ok).toBe(false)
    expect(failureText(r)).toMatch(/internal error/)
    expect(failureText(r)).not.toMatch(/is not a function/)
    expect(republished).toBe(true)
  })
})
