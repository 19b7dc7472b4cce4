import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import { isPodReady, type Pod } from '../model/pod'
import { webCluster } from '../testing/scenarios'

const kubeProxies = (sim: ReturnType<typeof webCluster>) =>
  (sim.list('Pod', 'kube-system') as Pod[]).filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy')

describe('DaemonSet controller (kube-system/kube-proxy)', () => {
  it('runs one kube-proxy pod on every node, the control plane included', () => {
    const sim = webCluster({ workers: 3 })
    expect(kubeProxies(sim).map((p) => p.spec.nodeName).sort()).toEqual(['control-plane', 'worker-1', 'worker-2', 'worker-3'])
    const pod = kubeProxies(sim)[0]!
    expect(pod.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'kube-proxy', controller: true })
    expect(pod.spec.tolerations).toContainEqual({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' })
    expect(sim.env(`kube-system/${pod.metadata.name}`)?.['NODE_NAME']).toBe(pod.spec.nodeName)
    expect(sim.kubectlGet('ds', { namespace: 'kube-system' })).toMatch(/^NAME +DESIRED +CURRENT +READY +UP-TO-DATE +AVAILABLE +NODE SELECTOR +AGE\nkube-proxy +4 +4 +4 +4 +4 +kubernetes.io\/os=linux +\d+s\n$/)
  })

  it('replaces a deleted kube-proxy pod with a new one on the same node, once the old one is gone', () => {
    const sim = webCluster()
    const victim = kubeProxies(sim).find((p) => p.spec.nodeName === 'worker-1')!
    expect(sim.delete('pod', 'kube-system', victim.metadata.name).ok).toBe(true)
    // While it terminates, it still holds its node's place.
    expect(kubeProxies(sim).filter((p) => p.spec.nodeName === 'worker-1').map((p) => p.metadata.name)).toEqual([victim.metadata.name])
    sim.settle()
    const onNode = kubeProxies(sim).filter((p) => p.spec.nodeName === 'worker-1')
    expect(onNode).toHaveLength(1)
    expect(onNode[0]!.metadata.name).not.toBe(victim.metadata.name)
    expect(onNode[0]!.metadata.name).toMatch(/^kube-proxy-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(isPodReady(onNode[0]!)).toBe(true)
    expect(sim.events().some((e) => e.actor === 'daemonset-controller' && e.message === `Created pod: ${onNode[0]!.metadata.name}`)).toBe(true)
    // It ran on the node's network: no pod IP of its own was released.
    expect(sim.events().find((e) => e.object === `Pod kube-system/${victim.metadata.name}` && e.action === 'delete' && e.actor.startsWith('kubelet/'))?.message)
      .toBe("Containers exited; the kubelet removed the pod from the API server (it used the node's network, so there is no IP to release)")
  })

  it('puts a kube-proxy pod on a node that joins', () => {
    const sim = createSimulation({ seed: 4, workers: 1 })
    expect(sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'worker-9' } }).ok).toBe(true)
    sim.settle()
    expect(kubeProxies(sim).filter((p) => p.spec.nodeName === 'worker-9')).toHaveLength(1)
  })
})
