import { describe, expect, it } from 'vitest'
import { isPodReady, type Pod } from '../model/pod'
import { catchUp, webCluster } from '../testing/scenarios'

describe('mirror pods of the static control-plane pods', () => {
  for (const component of ['kube-apiserver', 'etcd', 'kube-controller-manager', 'kube-scheduler']) {
    it(`${component}: deleted through the API, it comes back a moment later; the static pod never stopped`, () => {
      const sim = webCluster()
      const name = `${component}-control-plane`
      const before = sim.get('Pod', 'kube-system', name) as Pod
      expect(before.metadata.annotations?.['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/)
      expect(sim.delete('pod', 'kube-system', name).ok).toBe(true)
      catchUp(sim)
      const after = sim.get('Pod', 'kube-system', name) as Pod
      expect(after.metadata.uid).not.toBe(before.metadata.uid)
      expect(after.metadata.deletionTimestamp).toBeUndefined()
      expect(after.status.phase).toBe('Running')
      expect(isPodReady(after)).toBe(true)
      expect(after.status.containerStatuses).toEqual(before.status.containerStatuses)
      expect(sim.events().some((e) => e.object === `Pod kube-system/${name}` && e.reason === 'Killing' && e.time >= sim.now)).toBe(false)
      sim.settle()
      expect((sim.list('Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.name === name)).toHaveLength(1)
    })
  }

  it('keeps the API server reachable while its mirror pod is recreated', () => {
    const sim = webCluster()
    sim.delete('pod', 'kube-system', 'kube-apiserver-control-plane')
    sim.settle()
    expect(sim.connect('default/client', 'kubernetes:443').ok).toBe(true)
  })
})
