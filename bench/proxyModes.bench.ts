/**
 * kube-proxy's three modes at sizes S, M, L (Services and endpoints of the engine bench's clusters), on one node:
 * what it holds (rules, or servers, ipset entries and map elements), what a new connection's first packet is tested
 * against (to the last Service, iptables' worst case, and on average), how many such packets per second the engine
 * walks, and how long one node's full sync takes to render. `npm run bench:modes`.
 */
import { measureScaling, newConnection, renderScaling, scalingView } from '../src/sim/compare/modeScaling'
import { PROXY_MODES } from '../src/sim/model/proxyMode'
import { ms, time } from './measure'

const SIZES = [
  { name: 'S', services: 10, pods: 30 },
  { name: 'M', services: 300, pods: 3_000 },
  { name: 'L', services: 2_000, pods: 30_000 },
] as const

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

console.log('size mode      rules/node  walked(last)  walked(avg)  new conns/s  sync one node')
for (const size of SIZES) {
  const perService = Math.round(size.pods / size.services)
  for (const mode of PROXY_MODES) {
    // A fresh view per run: nothing cached from the run before (a sync renders what changed; this is a full one).
    const syncs: number[] = []
    let rules = renderScaling(scalingView(size.services, mode, perService))
    for (let i = 0; i < 5; i++) {
      const view = scalingView(size.services, mode, perService)
      const [r, t] = time(() => renderScaling(view))
      rules = r
      syncs.push(t)
    }
    const point = measureScaling(rules, size.services)
    let walked = 0
    const samples = Math.min(size.services, 200)
    for (let i = 0; i < samples; i++) walked += newConnection(rules, Math.floor((i * size.services) / samples), 30000 + i)
    const n = 2_000
    const [, t] = time(() => {
      for (let i = 0; i < n; i++) newConnection(rules, i % size.services, 20000 + (i % 40000))
    })
    console.log(
      `${size.name.padEnd(4)} ${mode.padEnd(9)} ${String(point.rules).padStart(10)}  ${String(point.rulesWalked).padStart(12)}  ${(walked / samples).toFixed(0).padStart(11)}  ${Math.round((n / t) * 1000).toLocaleString('en-US').padStart(11)}  ${ms(median(syncs)).padStart(13)}`,
    )
  }
}
