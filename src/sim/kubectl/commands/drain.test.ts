import { describe, expect, it } from 'vitest'
import type { Node } from '../../model/node'
import type { Pod } from '../../model/pod'
import { webCluster } from '../../testing/scenarios'
import type { Simulation } from '../../simulation'

const podsOn = (sim: Simulation, node: string) => (sim.list('Pod') as Pod[]).filter((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp)
const proxyOn = (sim: Simulation, node: string) => podsOn(sim, node).find((p) => p.metadata.labels?.['k8s-app'] === 'kube-proxy')!.metadata.name
const unschedulable = (sim: Simulation, node: string) => (sim.get('Node', undefined, node) as Node).spec.unschedulable === true
/** The worker the bare `client` pod runs on, and the other one. */
function workers(sim: Simulation): { withClient: string; other: string } {
  const withClient = (sim.get('Pod', 'default', 'client') as Pod).spec.nodeName!
  return { withClient, other: withClient === 'worker-1' ? 'worker-2' : 'worker-1' }
}

describe('kubectl cordon and uncordon', () => {
  it('marks a node unschedulable, says so once, and get nodes shows SchedulingDisabled', () => {
    const sim = webCluster()
    expect(sim.run('kubectl cordon worker-1')).toMatchObject({ exitCode: 0, stdout: 'node/worker-1 cordoned\n', stderr: '' })
    expect(unschedulable(sim, 'worker-1')).toBe(true)
    expect(sim.run('kubectl cordon worker-1').stdout).toBe('node/worker-1 already cordoned\n')
    expect(sim.run('kubectl get nodes').stdout).toMatch(/^worker-1 +Ready,SchedulingDisabled +<none> /m)
    expect(sim.run('kubectl uncordon node/worker-1').stdout).toBe('node/worker-1 uncordoned\n')
    expect(unschedulable(sim, 'worker-1')).toBe(false)
    expect(sim.run('kubectl uncordon worker-1').stdout).toBe('node/worker-1 already uncordoned\n')
  })

  it('sends a patch of the Node through the dispatch it is given, and nothing for a dry run', () => {
    const sim = webCluster()
    const sent: unknown[] = []
    const dispatch = (a: Parameters<Simulation['dispatch']>[0]) => (sent.push(a), sim.dispatch(a))
    expect(sim.run('kubectl cordon worker-2 --dry-run=client', { dispatch }).stdout).toBe('node/worker-2 cordoned (dry run)\n')
    expect(sent).toEqual([])
    sim.run('kubectl cordon worker-2', { dispatch })
    expect(sent).toEqual([{ type: 'patch', kind: 'Node', name: 'worker-2', patch: { spec: { unschedulable: true } } }])
  })

  it('refuses a node that does not exist, before cordoning any of the others', () => {
    const sim = webCluster()
    expect(sim.run('kubectl cordon worker-1 nope')).toMatchObject({ exitCode: 1, stdout: '', stderr: 'Error from server (NotFound): nodes "nope" not found\n' })
    expect(unschedulable(sim, 'worker-1')).toBe(false)
  })

  it('keeps new pods off a cordoned node: the scheduler honours spec.unschedulable', () => {
    const sim = webCluster()
    sim.run('kubectl cordon worker-1')
    sim.run('kubectl scale deploy web --replicas=6')
    sim.settle()
    const web = (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web')
    const before = web.filter((p) => p.spec.nodeName === 'worker-1').length
    expect(web).toHaveLength(6)
    expect(web.filter((p) => p.spec.nodeName === 'worker-2').length).toBe(6 - before)
    expect(before).toBeLessThanOrEqual(2)
  })
})

describe('kubectl drain', () => {
  it("refuses a node with a kube-proxy pod without --ignore-daemonsets, in kubectl 1.32's words, after cordoning it", () => {
    const sim = webCluster()
    const { other } = workers(sim)
    const proxy = proxyOn(sim, other)
    const r = sim.run(`kubectl drain ${other}`)
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe(`node/${other} cordoned\n`)
    expect(r.stderr).toBe(
      `error: unable to drain node "${other}" due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/${proxy}, continuing command...\n` +
        `There are pending nodes to be drained:\n ${other}\n` +
        `cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/${proxy}\n`,
    )
    expect(unschedulable(sim, other)).toBe(true)
    expect(podsOn(sim, other).filter((p) => p.metadata.labels?.['app'] === 'web').length).toBeGreaterThan(0)
  })

  it('refuses a bare pod such as client without --force (kubectl 1.32 says "cannot delete" twice), and evicts nothing', () => {
    const sim = webCluster()
    const { withClient } = workers(sim)
    const before = podsOn(sim, withClient).length
    const r = sim.run(`kubectl drain ${withClient} --ignore-daemonsets`)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain(`error: unable to drain node "${withClient}" due to error: cannot delete cannot delete Pods that declare no controller (use --force to override): default/client, continuing command...\n`)
    expect(r.stderr.endsWith('cannot delete cannot delete Pods that declare no controller (use --force to override): default/client\n')).toBe(true)
    expect(podsOn(sim, withClient)).toHaveLength(before)
  })

  it('evicts every pod but the DaemonSet ones with --ignore-daemonsets, warns of those, and the web pods land elsewhere', () => {
    const sim = webCluster()
    const { other, withClient } = workers(sim)
    const web = podsOn(sim, other).filter((p) => p.metadata.labels?.['app'] === 'web').map((p) => p.metadata.name).sort()
    const r = sim.run(`kubectl drain ${other} --ignore-daemonsets`)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe([`node/${other} cordoned`, ...web.map((n) => `evicting pod default/${n}`), ...web.map((n) => `pod/${n} evicted`), `node/${other} drained`].map((l) => `${l}\n`).join(''))
    expect(r.stderr).toBe(`Warning: ignoring DaemonSet-managed Pods: kube-system/${proxyOn(sim, other)}\n`)
    sim.settle()
    const now = (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web')
    expect(now).toHaveLength(3)
    expect(now.every((p) => p.spec.nodeName === withClient)).toBe(true)
    expect(podsOn(sim, other).map((p) => p.metadata.name)).toEqual([proxyOn(sim, other)])
  })

  it('with --force evicts the bare pod too, warning that it declares no controller; a dry run only says what it would do', () => {
    const sim = webCluster()
    const { withClient } = workers(sim)
    const before = sim.state
    const dry = sim.run(`kubectl drain ${withClient} --ignore-daemonsets --force --dry-run=client`)
    expect(dry.stdout).toMatch(new RegExp(`^node/${withClient} cordoned \\(dry run\\)\nevicting pod default/client \\(dry run\\)\n[\\s\\S]*node/${withClient} drained \\(dry run\\)\n$`))
    // kubectl ranges over a Go map here, so it prints the two in either order; the simulator keeps the pods' order.
    expect(dry.stderr).toBe(`Warning: deleting Pods that declare no controller: default/client; ignoring DaemonSet-managed Pods: kube-system/${proxyOn(sim, withClient)}\n`)
    expect(sim.state).toBe(before)
    const r = sim.run(`kubectl drain ${withClient} --ignore-daemonsets --force`)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('evicting pod default/client\n')
    expect(r.stdout).toContain('pod/client evicted\n')
    sim.settle()
    expect(sim.get('Pod', 'default', 'client')).toBeUndefined()
  })

  it('leaves mirror pods alone: the control plane drains to its static pods and kube-proxy', () => {
    const sim = webCluster()
    const r = sim.run('kubectl drain control-plane --ignore-daemonsets')
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/evicting pod kube-system\/coredns-/)
    expect(r.stdout).not.toMatch(/etcd|kube-apiserver|kube-scheduler|kube-controller-manager/)
  })

  it('prints "deleted" without the evicting lines under --disable-eviction, and refuses a grace period it cannot give', () => {
    const sim = webCluster()
    const { other } = workers(sim)
    expect(sim.run(`kubectl drain ${other} --ignore-daemonsets --grace-period=30`)).toMatchObject({ exitCode: 1, stdout: '' })
    const r = sim.run(`kubectl drain ${other} --ignore-daemonsets --disable-eviction --timeout=2m`)
    expect(r.stdout).not.toContain('evicting')
    expect(r.stdout).toMatch(/^pod\/web-\S+ deleted$/m)
  })
})
