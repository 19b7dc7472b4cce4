import { describe, expect, it } from 'vitest'
import { createSimulation, type Simulation } from '../../index'
import { isPodRunning, type Pod } from '../../model/pod'
import { webCluster } from '../../testing/scenarios'

const proxyPod = (sim: Simulation, node: string) =>
  (sim.list('Pod', 'kube-system') as Pod[]).find((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy' && p.spec.nodeName === node)
const proxyEvents = (sim: Simulation, node: string, from = 0) => sim.events().slice(from).filter((e) => e.actor === `kube-proxy/${node}`)
const late = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'late' }, spec: { selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } }

describe('kube-proxy is its pod on each node', () => {
  it('writes a node\'s first rules only once its pod runs there, and says so then', () => {
    const sim = createSimulation({ seed: 3, workers: 1 })
    for (const node of ['control-plane', 'worker-1']) {
      const started = sim.events().find((e) => e.reason === 'Started' && e.object === `Pod kube-system/${proxyPod(sim, node)!.metadata.name}`)!
      const [first] = proxyEvents(sim, node)
      expect(first!.time).toBeGreaterThanOrEqual(started.time)
      expect(first!.message).toMatch(/^Rewrote iptables rules \(initial sync\)/)
    }
  })

  it('while its pod is gone, the node keeps the rules it had: a new Service reaches every other node, not this one', () => {
    const sim = webCluster()
    const pod = proxyPod(sim, 'worker-1')!
    const from = sim.events().length
    sim.delete('pod', 'kube-system', pod.metadata.name)
    // The old pod is terminating (kube-proxy exits on SIGTERM) and its replacement not yet started when the Service arrives.
    sim.advance(200)
    sim.apply(late)
    const running = () => (sim.list('Pod', 'kube-system') as Pod[]).some((p) => p.spec.nodeName === 'worker-1' && p.metadata.labels?.['k8s-app'] === 'kube-proxy' && isPodRunning(p) && !p.metadata.deletionTimestamp)
    expect(running()).toBe(false)
    expect(proxyEvents(sim, 'worker-1', from).map((e) => e.message)).toContain('kube-proxy is not running on this node: the rules it wrote stay in the kernel, unchanged, until it starts again')
    let seenStale = false
    for (let t = 0; t < 5000 && !running(); t += 50) {
      sim.advance(50)
      if (!running() && sim.kubeProxyRules('worker-2')!.includes('default/late')) {
        expect(sim.kubeProxyRules('worker-1')).not.toContain('default/late')
        seenStale = true
      }
    }
    expect(seenStale).toBe(true)

    sim.settle()
    const replacement = proxyPod(sim, 'worker-1')!
    expect(replacement.metadata.name).not.toBe(pod.metadata.name)
    expect(isPodRunning(replacement)).toBe(true)
    // The new process starts with a full sync, which has the Service.
    expect(proxyEvents(sim, 'worker-1', from).at(-1)!.message).toMatch(/^Rewrote iptables rules \(initial sync\)/)
    expect(sim.kubeProxyRules('worker-1')).toContain('default/late')
  })
})
