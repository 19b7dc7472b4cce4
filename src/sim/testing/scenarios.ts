import { webScenario } from '../../scenarios/webScenario'
import { createSimulation, type Simulation } from '../index'

export { webScenario as webManifest }

/** A settled cluster running the web scenario. */
export function webCluster(options: { seed?: number; workers?: number; replicas?: number } = {}): Simulation {
  const sim = createSimulation({ seed: options.seed ?? 42, workers: options.workers ?? 2 })
  const result = sim.apply(webScenario(options.replicas ?? 3))
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  sim.settle()
  return sim
}
