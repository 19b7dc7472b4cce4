import { describe, expect, it } from 'vitest'
import { faultKey } from '../model/fault'
import { webCluster } from '../testing/scenarios'
import { systemdAgo } from './nodeProcesses'

const onWorker = { node: 'worker-1' }

describe('the kubelet in a shell on a node', () => {
  it('systemctl stop kubelet takes the node down (silently, as systemd does) and start brings it back', () => {
    const sim = webCluster()
    expect(sim.run('systemctl is-active kubelet', onWorker)).toMatchObject({ exitCode: 0, stdout: 'active\n' })
    expect(sim.run('systemctl stop kubelet', onWorker)).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(sim.state.faults.get(faultKey('node-down', 'worker-1'))).toMatchObject({ fault: 'node-down', target: 'worker-1' })
    expect(sim.run('systemctl stop kubelet', onWorker)).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(sim.run('systemctl is-active kubelet', onWorker)).toMatchObject({ exitCode: 3, stdout: 'inactive\n' })
    const status = sim.run('systemctl status kubelet', onWorker)
    expect(status.exitCode).toBe(3)
    expect(status.stdout).toMatch(/^○ kubelet\.service - kubelet: The Kubernetes Node Agent\n[\s\S]* Active: inactive \(dead\) since Mon 2026-01-05 /)
    expect(sim.run('pidof kubelet', onWorker).exitCode).toBe(1)
    expect(sim.run('systemctl start kubelet', onWorker)).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(sim.state.faults.size).toBe(0)
    expect(sim.run('systemctl status kubelet', onWorker).stdout).toMatch(/ Active: active \(running\) since /)
  })

  it('records the fault through the dispatch it is given, as a typed command is recorded', () => {
    const sim = webCluster()
    const sent: unknown[] = []
    sim.run('systemctl stop kubelet', { ...onWorker, dispatch: (a) => (sent.push(a), sim.dispatch(a)) })
    expect(sent).toEqual([{ type: 'fault', fault: 'node-down', target: 'worker-1' }])
  })

  it("says why the control plane's kubelet cannot be stopped here", () => {
    const sim = webCluster()
    const r = sim.run('systemctl stop kubelet', { node: 'control-plane' })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^systemctl: .*cannot go down/)
    expect(sim.state.faults.size).toBe(0)
  })
})

describe('kube-proxy stopped and resumed with signals', () => {
  it('pidof gives the same pid every time; kill -STOP $(pidof kube-proxy) stalls it, kill -CONT resumes it', () => {
    const sim = webCluster()
    const pid = sim.run('pidof kube-proxy', onWorker).stdout
    expect(pid).toMatch(/^\d+\n$/)
    expect(sim.run('pidof kube-proxy', onWorker).stdout).toBe(pid)
    expect(sim.run('pidof kube-proxy', { node: 'worker-2' }).stdout).not.toBe(pid)
    expect(sim.run('kill -STOP $(pidof kube-proxy)', onWorker)).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect([...sim.state.faults.keys()]).toEqual([faultKey('kube-proxy-stalled', 'worker-1')])
    // A second SIGSTOP to a stopped process changes nothing.
    expect(sim.run(`kill -s STOP ${pid.trim()}`, onWorker).exitCode).toBe(0)
    expect(sim.run('kill -CONT "$(pidof kube-proxy)"', onWorker).exitCode).toBe(0)
    expect(sim.state.faults.size).toBe(0)
  })

  it('pkill -STOP and -CONT kube-proxy do the same; pkill of nothing exits 1', () => {
    const sim = webCluster()
    expect(sim.run('pkill -STOP kube-proxy', onWorker).exitCode).toBe(0)
    expect(sim.state.faults.has(faultKey('kube-proxy-stalled', 'worker-1'))).toBe(true)
    expect(sim.run('pkill -CONT kube-proxy', onWorker).exitCode).toBe(0)
    expect(sim.state.faults.size).toBe(0)
    expect(sim.run('pkill -STOP nothing-here', onWorker)).toEqual({ exitCode: 1, stdout: '', stderr: '' })
  })

  it("answers a pid nobody has, a bad signal and a missing pid with bash's own errors", () => {
    const sim = webCluster()
    expect(sim.run('kill -STOP 123', onWorker)).toMatchObject({ exitCode: 1, stderr: '-bash: kill: (123) - No such process\n' })
    expect(sim.run('kill -FOO 1', onWorker)).toMatchObject({ exitCode: 1, stderr: '-bash: kill: FOO: invalid signal specification\n' })
    expect(sim.run('kill -STOP abc', onWorker)).toMatchObject({ exitCode: 1, stderr: '-bash: kill: abc: arguments must be process or job IDs\n' })
    expect(sim.run('kill -STOP', onWorker)).toMatchObject({ exitCode: 2, stderr: 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n' })
    expect(sim.state.faults.size).toBe(0)
  })
})

describe("systemd's relative times", () => {
  it('reads as systemctl status prints them', () => {
    expect(systemdAgo(17_000)).toBe('17s ago')
    expect(systemdAgo(90_000)).toBe('1min 30s ago')
    expect(systemdAgo(7 * 60_000)).toBe('7min ago')
    expect(systemdAgo(3_720_000)).toBe('1h 2min ago')
    expect(systemdAgo(3 * 86_400_000)).toBe('3 days ago')
  })
})
