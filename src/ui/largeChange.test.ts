import { describe, expect, it } from 'vitest'
import { applyQuestion, manifestSize, scaleQuestion } from './largeChange'

describe('asking before a change that large', () => {
  it('asks before scaling up by hundreds of pods, not by a few or down', () => {
    expect(scaleQuestion('web', 3, 10)).toBeUndefined()
    expect(scaleQuestion('web', 10000, 3)).toBeUndefined()
    expect(scaleQuestion('web', 3, 10000)).toMatch(/^Scale web from 3 to 10,000 replicas\? That starts 9,997 pods at once/)
  })

  it('reads the size of a manifest from its text: objects, Nodes, replicas', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: n${i}\n`).join('---\n')
    expect(manifestSize(nodes)).toMatchObject({ objects: 5000, nodes: 5000, replicas: 0 })
    expect(applyQuestion(nodes)).toMatch(/about 5,000 objects, 5,000 of them Nodes/)
    expect(manifestSize('kind: Deployment\nspec:\n  replicas: 400\n')).toMatchObject({ objects: 1, replicas: 400 })
    expect(applyQuestion('kind: Deployment\nspec:\n  replicas: 400\n')).toMatch(/asking for 400 replicas/)
    expect(applyQuestion('kind: Service\n')).toBeUndefined()
    expect(applyQuestion('x'.repeat(2_000_000))).toMatch(/It is 2\.0 MB/)
  })
})
