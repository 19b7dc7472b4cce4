import { describe, expect, it } from 'vitest'
import type { Deployment } from '../../sim'
import { webCluster } from '../../sim/testing/scenarios'
import { rolloutRevisions } from './rolloutRevisions'

const web = (sim: ReturnType<typeof webCluster>) => sim.get('Deployment', 'default', 'web') as Deployment

describe('a Deployment rolled out and rolled back, revision by revision', () => {
  it('shows the old and the new ReplicaSet side by side while pods move from one to the other, and the undo as a new revision', () => {
    const sim = webCluster({ seed: 2, replicas: 4 })
    expect(rolloutRevisions(sim, web(sim))).toEqual([expect.objectContaining({ revision: 1, desired: 4, ready: 4, current: true, images: ['web=nginxinc/nginx-unprivileged:1.27'] })])
    sim.dispatch({ type: 'setImage', namespace: 'default', name: 'web', container: 'web', image: 'nginxinc/nginx-unprivileged:1.28' })
    sim.advance(3000)
    const during = rolloutRevisions(sim, web(sim))
    expect(during.map((r) => r.revision)).toEqual([2, 1])
    expect(during[0]).toMatchObject({ current: true, images: ['web=nginxinc/nginx-unprivileged:1.28'] })
    expect(during[0]!.desired).toBeGreaterThan(0)
    expect(during[1]!.desired).toBeGreaterThan(0)
    sim.settle()
    expect(rolloutRevisions(sim, web(sim)).map((r) => [r.revision, r.desired, r.current])).toEqual([[2, 4, true], [1, 0, false]])
    sim.dispatch({ type: 'rolloutUndo', namespace: 'default', name: 'web' })
    sim.settle()
    // kubectl rollout undo: the old ReplicaSet takes the next revision number and grows back.
    expect(rolloutRevisions(sim, web(sim)).map((r) => [r.revision, r.desired, r.current, r.images[0]])).toEqual([
      [3, 4, true, 'web=nginxinc/nginx-unprivileged:1.27'],
      [2, 0, false, 'web=nginxinc/nginx-unprivileged:1.28'],
    ])
  })
})
