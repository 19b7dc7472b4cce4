import { webScenario } from '../../scenarios/webScenario'
import { TIMING } from '../config'
import { createSimulation, type Simulation } from '../index'
import type { ProxyMode } from '../model/proxyMode'

export { webScenario as webManifest }

/** A settled cluster running the web scenario. */
export function webCluster(options: { seed?: number; workers?: number; replicas?: number; proxyMode?: ProxyMode } = {}): Simulation {
  const sim = createSimulation({ seed: options.seed ?? 42, workers: options.workers ?? 2, ...(options.proxyMode ? { proxyMode: options.proxyMode } : {}) })
  const result = sim.apply(webScenario(options.replicas ?? 3))
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  sim.settle()
  return sim
}

/**
 * Lets the controllers take in what was just written: each sees a write `TIMING.informerLatency` after it, and a chain
 * (Deployment -> ReplicaSet -> Pod -> scheduler -> kubelet) takes a few of those. CoreDNS and kube-proxy, slower, not yet.
 */
export function catchUp(sim: Simulation): void {
  sim.advance(5 * TIMING.informerLatency)
}
