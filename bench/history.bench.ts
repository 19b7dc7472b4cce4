/**
 * History benchmark: memory per hour of virtual history and the time to look at any moment (`sim.at(t)` and what a
 * view reads from it) or to continue from one (`sim.continueFrom(t)`), at classroom size and at 3,000 pods (size M of
 * the engine benchmark). The hour is busy as a class would make it: a scale every minute, a request every 10 s,
 * a rolling update every 10 minutes, a node down for 6 minutes twice, a readiness fault. Prints numbers; asserts nothing.
 *
 *   npm run bench:history           both sizes
 *   npm run bench:history -- S      one
 */
import { heap, ms, time } from './measure'
import { createSimulation, type Simulation } from '../src/sim'
import { webScenario } from '../src/scenarios/webScenario'

interface Size {
  readonly name: string
  readonly workers: number
  readonly replicas: number
}

const SIZES: Size[] = [
  { name: 'classroom (3 nodes, web 3 pods)', workers: 2, replicas: 3 },
  { name: 'M (101 nodes, 3,000 pods)', workers: 100, replicas: 3000 },
]

const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MB`


/** One busy hour, in 10 s steps. */
function busyHour(sim: Simulation, size: Size): void {
  const start = sim.now
  for (let step = 0; step < 360; step++) {
    const minute = Math.floor(step / 6)
    sim.dispatch({ type: 'connect', from: 'default/client', target: 'web:80' })
    if (step % 6 === 0) sim.dispatch({ type: 'scale', namespace: 'default', name: 'web', replicas: size.replicas + (minute % 3) })
    if (step % 60 === 30) sim.dispatch({ type: 'setImage', namespace: 'default', name: 'web', container: 'web', image: `nginxinc/nginx-unprivileged:1.${27 + (minute % 2)}` })
    if (step === 60 || step === 240) sim.dispatch({ type: 'fault', fault: 'node-down', target: 'worker-1' })
    if (step === 96 || step === 276) sim.dispatch({ type: 'heal', fault: 'node-down', target: 'worker-1' })
    if (step === 150) {
      const pod = sim.list('Pod', 'default').find((p) => p.metadata.labels?.['app'] === 'web' && !p.metadata.deletionTimestamp)
      if (pod) sim.dispatch({ type: 'fault', fault: 'readiness-failing', target: `default/${pod.metadata.name}` })
    }
    sim.advance(start + (step + 1) * 10_000 - sim.now)
  }
}

for (const size of SIZES.filter((s) => process.argv.length <= 2 || process.argv.slice(2).some((a) => s.name.startsWith(a)))) {
  const sim = createSimulation({ seed: 7, workers: size.workers })
  sim.apply(webScenario(size.replicas))
  sim.settle()
  const before = heap()
  sim.keepHistory()
  const start = sim.now
  const [, hourMs] = time(() => busyHour(sim, size))
  const after = heap()
  const moments = sim.engine.history!.size
  console.log(`${size.name}: one busy hour of virtual time in ${ms(hourMs)}; ${moments} moments, ${sim.engine.history!.actions.length} actions, ${sim.engine.history!.checkpoints.length} checkpoints, ${sim.eventCount} events`)
  console.log(`  memory for the hour's history: ${mb(after - before)} (heap ${mb(after)})`)
  // Jumps: 50 random moments, each read as the app reads one (pods table, a node's rules, the events up to then).
  const jumps: number[] = []
  const reads: number[] = []
  for (let i = 0; i < 50; i++) {
    const t = start + ((i * 7919) % 3600) * 1000
    const [view, jump] = time(() => sim.at(t)!)
    const [, read] = time(() => {
      view.kubectlGet('pods')
      view.iptablesSave('worker-2')
      view.recentEvents(200)
    })
    jumps.push(jump)
    reads.push(read)
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const max = (xs: number[]) => Math.max(...xs)
  console.log(`  jump to a moment (sim.at): median ${ms(median(jumps))}, max ${ms(max(jumps))}; reading it (get pods, iptables-save, 200 events): median ${ms(median(reads))}, max ${ms(max(reads))}`)
  const forks: number[] = []
  for (const t of [start + 1_800_000, start + 3_590_000]) {
    const [r, took] = time(() => sim.continueFrom(t))
    if (!r.ok) console.log(`  continue from ${t}: ${r.error}`)
    forks.push(took)
  }
  console.log(`  continue from here (replay from the checkpoint before): ${forks.map(ms).join(', ')} (at 30 min and 59 min)`)
}
