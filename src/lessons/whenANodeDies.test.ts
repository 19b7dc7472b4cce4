import { describe, expect, it } from 'vitest'
import { toTimestamp, type ActionResult, type Node, type Pod, type SimAction } from '../sim'
import { followLesson } from './followLesson'
import { podsOf, readyEndpoints, service } from './facts'
import { whenANodeDies as lesson } from './whenANodeDies'

const follow = () => followLesson(lesson)

const requests = (mine: { action: SimAction; result: ActionResult }[]) => mine.filter((s) => s.action.type === 'connect').map((s) => s.result as { ok: boolean; reason?: string; pod?: string })
const waits = (mine: { action: SimAction }[]) => mine.filter((s) => s.action.type === 'nextEvent').length
const readyOf = (node: Node) => node.status.conditions.find((c) => c.type === 'Ready')?.status

describe('lesson "When a node dies", with "Do it for me"', () => {
  it('tells the story at upstream timings: requests time out until the node is NotReady after its grace, its Pods are replaced 300 s after the taint, and it rejoins empty', () => {
    const { sim, run, doStep, now } = follow()
    const s = () => sim.getState().sim
    const startVersion = service(s(), 'web')?.metadata.resourceVersion
    const ip = service(s(), 'web')?.spec.clusterIP
    const onWorker1 = podsOf(s(), 'web').filter((p) => p.spec.nodeName === 'worker-1').map((p) => p.metadata.name)
    expect(onWorker1).toHaveLength(2)
    expect((s().get('Pod', 'default', 'client') as Pod).spec.nodeName).toBe('worker-2')

    doStep()
    const stopped = doStep()
    expect(stopped.mine.map((m) => m.action)).toEqual([{ type: 'fault', fault: 'node-down', target: 'worker-1' }])
    const stoppedAt = stopped.at

    // Before the control plane notices, the rules still send some connections to worker-1: those time out.
    const before = requests(doStep().mine)
    expect(before.length).toBe(4)
    expect(before.filter((r) => !r.ok).map((r) => r.reason)).toContain('connection timed out: worker-1 is down')
    expect(before.every((r) => r.ok || r.reason === 'connection timed out: worker-1 is down')).toBe(true)

    const notReady = doStep()
    // The grace runs from the last renewal the controller saw, up to 10 s before the stop.
    expect(notReady.at - stoppedAt).toBeGreaterThan(40_000)
    expect(notReady.at - stoppedAt).toBeLessThanOrEqual(65_000)
    expect(s().kubectlGet('nodes')).toMatch(/worker-1\s+NotReady/)

    const dropped = doStep()
    expect(dropped.at - notReady.at).toBeLessThan(5000)
    const after = requests(doStep().mine)
    expect(after.length).toBe(4)
    expect(after.every((r) => r.ok && !onWorker1.includes(r.pod!.split('/')[1]!))).toBe(true)

    const node = s().get('Node', undefined, 'worker-1') as Node
    const taintedAt = Date.parse(node.spec.taints!.find((t) => t.effect === 'NoExecute')!.timeAdded!)
    const evicted = doStep()
    expect(waits(evicted.mine)).toBeLessThan(500)
    const evictions = s().events().filter((e) => e.reason === 'TaintManagerEviction')
    expect(evictions.map((e) => e.message).sort()).toEqual(onWorker1.map((n) => `Marking for deletion Pod default/${n}`).sort())
    expect(Date.parse(toTimestamp(evictions[0]!.time)) - taintedAt).toBe(300_000)
    expect(podsOf(s(), 'web').every((p) => p.spec.nodeName === 'worker-2')).toBe(true)
    expect(s().kubectlGet('pods')).toContain('Terminating')

    doStep()
    expect(readyOf(s().get('Node', undefined, 'worker-1') as Node)).toBe('True')
    expect(s().kubectlGet('pods')).not.toContain('Terminating')
    expect(podsOf(s(), 'web').every((p) => p.spec.nodeName === 'worker-2')).toBe(true)

    doStep()
    expect(run.getState().step).toBe(lesson.steps.length)
    expect(service(s(), 'web')?.metadata.resourceVersion).toBe(startVersion)
    expect(service(s(), 'web')?.spec.clusterIP).toBe(ip)
    expect(readyEndpoints(s(), 'web')).toHaveLength(4)
    expect(now()).toBeGreaterThan(stoppedAt + 350_000)
  })
})

describe('lesson "When a node dies", done by hand', () => {
  it('notices the node stopped and healed from the Faults menu, and each step still happens when its time comes', () => {
    const { sim, run } = follow()
    run.getState().forward()
    expect(run.getState().step).toBe(1)
    expect(run.getState().isDone()).toBe(false)
    // The Faults menu dispatches the same action as "Do it for me".
    sim.getState().dispatch({ type: 'fault', fault: 'node-down', target: 'worker-1' })
    expect(run.getState().isDone()).toBe(true)
    run.getState().forward()
    sim.getState().dispatch({ type: 'connect', from: 'default/client', target: 'web:80' })
    expect(run.getState().isDone()).toBe(true)
    run.getState().forward()
    // The grace period has not run out: the node is not NotReady yet.
    expect(run.getState().isDone()).toBe(false)
    for (let i = 3; i < 7; i++) {
      expect(run.getState().step).toBe(i)
      if (!run.getState().isDone()) run.getState().forward()
      expect(run.getState().problem).toBeUndefined()
      run.getState().forward()
    }
    expect(run.getState().step).toBe(7)
    expect(run.getState().isDone()).toBe(false)
    sim.getState().dispatch({ type: 'heal', fault: 'node-down', target: 'worker-1' })
    for (let i = 0; i < 100 && !run.getState().isDone(); i++) sim.getState().dispatch({ type: 'nextEvent' })
    expect(run.getState().isDone()).toBe(true)
  })

  it('checks the tasks: a failing readiness probe turns its endpoint not ready, a crashing container backs off', () => {
    const { sim, run } = follow()
    run.getState().goTo(lesson.steps.length)
    const [readiness, crash] = lesson.tasks
    const [a, b] = podsOf(sim.getState().sim, 'web').map((p) => p.metadata.name)
    sim.getState().dispatch({ type: 'fault', fault: 'readiness-failing', target: `default/${a}` })
    expect(readiness!.check(run.getState().context())).toBeUndefined()
    for (let i = 0; i < 100 && !readiness!.check(run.getState().context()); i++) sim.getState().dispatch({ type: 'nextEvent' })
    expect(readiness!.check(run.getState().context())).toMatchObject({ ok: true, feedback: expect.stringContaining('failed 3 probes in a row, 5 s apart') })
    sim.getState().dispatch({ type: 'fault', fault: 'container-crash', target: `default/${b}` })
    for (let i = 0; i < 200 && !crash!.check(run.getState().context()); i++) sim.getState().dispatch({ type: 'nextEvent' })
    expect(crash!.check(run.getState().context())).toMatchObject({ ok: true, feedback: expect.stringContaining('waits out a 40s back-off') })
  })
})
