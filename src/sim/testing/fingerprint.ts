import type { Simulation } from '../simulation'
import { KIND_TABLES } from '../state'

/**
 * What a failed call must leave as it was beside the state object: the runtime's RNG position, event count, queued
 * work, next timer and index sizes. Two fingerprints differ when a call left a trace in the process memory.
 */
export function runtimeFingerprint(sim: Simulation): string {
  const rt = sim.engine.rt
  const index = rt.index
  return JSON.stringify({
    rng: rt.rng.save(),
    events: rt.events.total,
    queued: rt.hasQueuedWork(),
    timer: rt.nextTimerAt() ?? null,
    now: rt.now,
    indexes: [index.pods.size, index.podsByNamespace.size, index.podsByLabel.size, index.podsByNode.size, index.servicesByNamespace.size, index.dependents.size, index.slicesByService.size],
  })
}

/** Everything a user can observe of the cluster, as one text: two simulations that print the same are the same cluster. */
export function observe(sim: Simulation): string {
  const lists = Object.keys(KIND_TABLES).map((kind) => sim.list(kind))
  const nodes = sim.list('Node').map((n) => n.metadata.name)
  return JSON.stringify({
    now: sim.now,
    rv: sim.state.resourceVersion,
    lists,
    others: sim.unsimulated(),
    rules: nodes.map((n) => sim.kubeProxyRules(n)),
    dns: sim.dnsRecords(),
    events: sim.events({ writes: true }),
    rng: sim.engine.rt.rng.save(),
  })
}
