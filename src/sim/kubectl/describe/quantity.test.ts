import { describe, expect, it } from 'vitest'
import { addQuantity, canonicalQuantity, formatQuantity, parseQuantity } from './quantity'

/** Expected forms from k8s.io/apimachinery/pkg/api/resource's quantity_test.go (TestQuantityCanonicalize and kin). */
describe('resource.Quantity as describe prints it', () => {
  it('prints the canonical form of what was written', () => {
    const cases: [string | number, string][] = [
      ['100m', '100m'], ['0.5', '500m'], ['1000m', '1'], ['2', '2'], ['1500', '1500'], ['2000', '2k'], ['1.5Gi', '1536Mi'],
      ['1024Mi', '1Gi'], ['4005328Ki', '4005328Ki'], ['512', '512'], ['0.5Ki', '512'], ['1e3', '1e3'], ['0', '0'], [110, '110'],
    ]
    for (const [q, text] of cases) expect([q, canonicalQuantity(q)]).toEqual([q, text])
  })

  it('adds in the format of the first non-zero term', () => {
    expect(formatQuantity(addQuantity(parseQuantity('70Mi'), parseQuantity('100Mi')))).toBe('170Mi')
    expect(formatQuantity(addQuantity(parseQuantity('100m'), parseQuantity('1')))).toBe('1100m')
    expect(formatQuantity(addQuantity(parseQuantity(0), parseQuantity('64Mi')))).toBe('64Mi')
  })
})
