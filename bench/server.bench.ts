/**
 * Server benchmark: list latency over HTTP for 3,000 pods (as kubectl's Table and as a JSON PodList, median and p95 of
 * 20 requests), and watch events per second delivered to 10 concurrent watchers while a Deployment scales.
 * Prints numbers; asserts nothing.
 *
 *   npm run bench:server
 */
import { createSimulation } from '../src/sim'
import { startServer, type SimServer } from '../src/server/server'

const PODS = 3_000
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginxinc/nginx-unprivileged:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
})

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
const ms = (n: number) => `${n.toFixed(1)} ms`

async function timeLists(server: SimServer, accept: string): Promise<{ first: number; median: number; p95: number; bytes: number }> {
  const times: number[] = []
  let bytes = 0
  // The first request also shifts every pod's timestamps once (kept per object after that): reported apart.
  let first = 0
  for (let i = 0; i < 21; i++) {
    const t = performance.now()
    const res = await fetch(`${server.url}/api/v1/namespaces/default/pods`, { headers: { Accept: accept } })
    bytes = (await res.arrayBuffer()).byteLength
    if (i === 0) first = performance.now() - t
    else times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { first, median: percentile(times, 50), p95: percentile(times, 95), bytes }
}

/** A watcher that counts the events it receives. */
async function watcher(server: SimServer, rv: number, accept: string, abort: AbortSignal) {
  const res = await fetch(`${server.url}/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`, { headers: { Accept: accept }, signal: abort })
  const reader = res.body!.getReader()
  const state = { events: 0, last: 0 }
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) return
        for (const b of value) if (b === 10) state.events++
        state.last = performance.now()
      }
    } catch {
      // aborted
    }
  })()
  return state
}

async function main(): Promise<void> {
  let t = performance.now()
  const sim = createSimulation({ seed: 1, workers: Math.ceil((PODS + 600) / 100) })
  const applied = sim.apply([deployment('big', PODS), deployment('burst', 0)])
  if (!applied.ok) throw new Error(applied.message)
  sim.settle()
  console.log(`cluster: ${sim.list('Pod', 'default').length} pods in default on ${sim.list('Node').length} nodes, settled in ${ms(performance.now() - t)}`)
  const server = await startServer({ sim, tickMs: 0 })

  const table = await timeLists(server, TABLE)
  const json = await timeLists(server, 'application/json')
  console.log(`list ${PODS} pods as Table: median ${ms(table.median)}, p95 ${ms(table.p95)} of 20 (first ${ms(table.first)}; ${(table.bytes / 1e6).toFixed(1)} MB)`)
  console.log(`list ${PODS} pods as JSON:  median ${ms(json.median)}, p95 ${ms(json.p95)} of 20 (first ${ms(json.first)}; ${(json.bytes / 1e6).toFixed(1)} MB)`)

  const abort = new AbortController()
  const rv = sim.state.resourceVersion
  const watchers = await Promise.all(Array.from({ length: 10 }, (_, i) => watcher(server, rv, i % 2 ? TABLE : 'application/json', abort.signal)))
  while (server.watches < 10) await new Promise((r) => setTimeout(r, 5))
  t = performance.now()
  let steps = 0
  const scaled = sim.scale('default', 'burst', 500)
  if (!scaled.ok) throw new Error(scaled.message)
  server.advance(0)
  // The cluster runs 100 ms of virtual time per step, letting the sockets drain in between, until it has settled.
  let engine = 0
  for (; steps < 600; steps++) {
    const e = performance.now()
    sim.advance(100)
    engine += performance.now() - e
    server.advance(0)
    await new Promise((r) => setImmediate(r))
    const d = sim.get('Deployment', 'default', 'burst') as { status?: { readyReplicas?: number } } | undefined
    if ((d?.status?.readyReplicas ?? 0) >= 500 && steps > 50) break
  }
  let settledAt = 0
  for (let before = -1; ; ) {
    await new Promise((r) => setTimeout(r, 200))
    const total = watchers.reduce((n, w) => n + w.events, 0)
    if (total === before) break
    before = total
    settledAt = Math.max(...watchers.map((w) => w.last))
  }
  const seconds = (settledAt - t) / 1000
  const total = watchers.reduce((n, w) => n + w.events, 0)
  console.log(`watch: scaling a Deployment 0 -> 500 (${steps} steps of 100 ms virtual), ${watchers.length} watchers (5 JSON, 5 Table)`)
  console.log(`  ${total} events delivered in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} events/s in all, ${Math.round(total / seconds / watchers.length)} per watcher; ${watchers.map((w) => w.events).join(', ')} each`)
  console.log(`  of which the engine's own advance took ${(engine / 1000).toFixed(2)} s; diffing, encoding and sending the rest`)
  abort.abort()
  await server.close()
}

void main()
