import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSimulation, type RunResult } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { complete } from './completion'
import { shellPrompt } from './shellPrompt'
import { FOLLOW_INTERVAL_MS, ShellSession, type ShellHost } from './ShellSession'
import { TestScreen } from './TestScreen'

const PROMPT = 'student@laptop:~$ '
const ENTER = '\r'
const UP = '\x1b[A'
const DOWN = '\x1b[B'
const LEFT = '\x1b[D'
const CTRL_C = '\x03'

/** A shell on the student's laptop over a settled cluster, on a test screen; what it was asked to do is recorded. */
function laptopShell(overrides: Partial<ShellHost> = {}) {
  const sim = createSimulation({ seed: 42, workers: 2 })
  sim.apply(webScenario())
  sim.settle()
  const screen = new TestScreen(100)
  const ran: string[] = []
  const listeners = new Set<() => void>()
  const sessions: NonNullable<RunResult['session']>[] = []
  const { run = (text: string, after?: string) => sim.run(text, after === undefined ? {} : { after }), ...rest } = overrides
  const host: ShellHost = {
    run: (text, after) => (ran.push(text), run(text, after)),
    watch: (l) => (listeners.add(l), () => listeners.delete(l)),
    complete: (before) => complete(before, { place: { kind: 'laptop' }, state: sim.state, files: [] }),
    openSession: (s) => sessions.push(s),
    ...rest,
  }
  const shell = new ShellSession(screen, host, shellPrompt('student', 'laptop', '~', '$'))
  shell.start()
  const changed = () => {
    for (const l of [...listeners]) l()
    vi.advanceTimersByTime(FOLLOW_INTERVAL_MS)
  }
  return { sim, screen, shell, ran, listeners, sessions, changed, type: (...keys: string[]) => keys.forEach((k) => shell.input(k)) }
}

/** Keys as xterm sends them for typed text: one at a time. */
const keys = (text: string) => [...text]

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a shell on the student laptop', () => {
  it('runs a typed line and shows its output, then a new prompt', () => {
    const { screen, type } = laptopShell()
    type(...keys('kubectl get svc'), ENTER)
    expect(screen.lines[0]).toBe(`${PROMPT}kubectl get svc`)
    expect(screen.lines[1]).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP/)
    expect(screen.text).toMatch(/^kubernetes\s+ClusterIP\s+10\.96\.0\.1/m)
    expect(screen.text).toMatch(/^web\s+ClusterIP/m)
    expect(screen.lines.at(-1)).toBe(PROMPT.trimEnd())
  })

  it('shows errors too, and an empty line just gives a new prompt', () => {
    const { screen, type, ran } = laptopShell()
    type(ENTER, ...keys('kubectl get nosuchkind'), ENTER)
    expect(ran).toEqual(['kubectl get nosuchkind'])
    expect(screen.text).toContain('error: the server doesn\'t have a resource type "nosuchkind"')
  })

  it('edits the line in place before running it', () => {
    const { type, ran } = laptopShell()
    // Fix "gt" in the middle, add an s at the end, take back a typo at the start.
    type(...keys('xkubectl gt pod'), LEFT, LEFT, LEFT, LEFT, LEFT, ...keys('e'), '\x1b[F', ...keys('s'), '\x1b[H', '\x1b[3~', ENTER)
    expect(ran).toEqual(['kubectl get pods'])
  })

  it('recalls earlier lines with Up and Down, and keeps what was being typed', () => {
    const { screen, type, ran } = laptopShell()
    type(...keys('kubectl get svc'), ENTER, ...keys('kubectl get deploy'), ENTER, ...keys('kubectl ver'), UP, UP)
    expect(screen.lines.at(-1)).toBe(`${PROMPT}kubectl get svc`)
    type(DOWN, DOWN)
    expect(screen.lines.at(-1)).toBe(`${PROMPT}kubectl ver`)
    type(UP, ENTER)
    expect(ran.at(-1)).toBe('kubectl get deploy')
  })

  it('Ctrl-C drops the line being typed', () => {
    const { screen, type, ran } = laptopShell()
    type(...keys('kubectl delete svc web'), CTRL_C)
    expect(ran).toEqual([])
    expect(screen.lines.slice(-2)).toEqual([`${PROMPT}kubectl delete svc web^C`, PROMPT.trimEnd()])
  })

  it('Ctrl-L clears the screen and keeps the line being typed', () => {
    const { screen, type } = laptopShell()
    type(...keys('kubectl get svc'), ENTER, ...keys('kubectl get'), '\x0c')
    expect(screen.lines).toEqual([`${PROMPT}kubectl get`])
  })

  it('Tab completes one match in the line, and lists several under it before drawing the prompt again', () => {
    const { screen, type } = laptopShell()
    type(...keys('kubectl sc'), '\t')
    expect(screen.lines.at(-1)).toBe(`${PROMPT}kubectl scale`)
    type(...keys('deploy w'), '\t')
    expect(screen.lines.at(-1)).toBe(`${PROMPT}kubectl scale deploy web`)
    type(CTRL_C, ...keys('kubectl de'), '\t')
    expect(screen.lines.slice(-2)).toEqual(['delete    describe', `${PROMPT}kubectl de`])
  })

  it('reads a here-document line by line after "> " and runs the whole text once, at its delimiter', () => {
    const { screen, type, ran, sim } = laptopShell()
    type(...keys('kubectl apply -f - <<EOF'), ENTER)
    expect(screen.lines.at(-1)).toBe('>')
    for (const line of ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: class']) type(...keys(line), ENTER)
    expect(ran).toEqual([])
    type(...keys('EOF'), ENTER)
    expect(ran).toEqual(['kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: class\nEOF'])
    expect(screen.lines.slice(-2)).toEqual(['namespace/class created', PROMPT.trimEnd()])
    expect(sim.state.namespaces.has('class')).toBe(true)
  })

  it('runs pasted lines one by one, and a pasted here-document as one command', () => {
    const { type, ran } = laptopShell()
    type('kubectl get svc\rkubectl get deploy\rkubectl ver')
    expect(ran).toEqual(['kubectl get svc', 'kubectl get deploy'])
    type(CTRL_C, 'cat <<EOF | grep b\nalpha\nbeta\nEOF\n')
    expect(ran.at(-1)).toBe('cat <<EOF | grep b\nalpha\nbeta\nEOF')
  })

  it('Ctrl-C ends a here-document without running it', () => {
    const { screen, type, ran } = laptopShell()
    type(...keys('kubectl apply -f - <<EOF'), ENTER, ...keys('kind: Pod'), CTRL_C)
    expect(ran).toEqual([])
    expect(screen.lines.slice(-2)).toEqual(['> kind: Pod^C', PROMPT.trimEnd()])
  })

  it('opens a shell where `kubectl exec -it` asks for one', () => {
    const { type, sessions } = laptopShell()
    type(...keys('kubectl exec -it client -- sh'), ENTER)
    expect(sessions).toEqual([{ pod: 'default/client' }])
  })
})

describe('a command that follows the cluster', () => {
  /** A rollout seen three times: 1 of 3, then 2 of 3 (twice: nothing new), then done. */
  function rollout() {
    const outputs = ['Waiting: 1 of 3 updated\n', 'Waiting: 1 of 3 updated\nWaiting: 2 of 3 updated\n', 'Waiting: 2 of 3 updated\n', 'deployment "web" successfully rolled out\n']
    let i = 0
    return laptopShell({ run: () => ({ exitCode: 0, stdout: outputs[Math.min(i, outputs.length - 1)]!, stderr: '', ...(i++ < outputs.length - 1 ? { follows: true } : {}) }) })
  }

  it('is run again as the cluster changes, printing only the lines it had not printed, until it ends', () => {
    const { screen, type, listeners, changed } = rollout()
    type(...keys('kubectl rollout status deploy/web'), ENTER)
    expect(screen.lines.at(-1)).toBe('Waiting: 1 of 3 updated')
    expect(listeners.size).toBe(1)
    changed()
    changed()
    expect(screen.lines.slice(1)).toEqual(['Waiting: 1 of 3 updated', 'Waiting: 2 of 3 updated'])
    changed()
    expect(screen.lines.slice(-2)).toEqual(['deployment "web" successfully rolled out', PROMPT.trimEnd()])
    expect(listeners.size).toBe(0)
  })

  it('runs what was typed meanwhile once it ends', () => {
    const { type, changed, ran } = rollout()
    type(...keys('kubectl rollout status deploy/web'), ENTER, 'kubectl get svc\r')
    expect(ran).toHaveLength(1)
    changed()
    changed()
    changed()
    expect(ran.at(-1)).toBe('kubectl get svc')
  })

  it('stops at Ctrl-C, which prints ^C and drops what was typed meanwhile', () => {
    const { screen, type, listeners, changed, ran } = rollout()
    type(...keys('kubectl rollout status deploy/web'), ENTER, 'kubectl get svc\r', CTRL_C)
    expect(listeners.size).toBe(0)
    expect(screen.lines.slice(-2)).toEqual(['^C', PROMPT.trimEnd()])
    changed()
    expect(ran).toHaveLength(1)
  })
})

describe('a command that says where its watch stands', () => {
  it('is run again from there, and what it prints is printed as it comes', () => {
    const afters: (string | undefined)[] = []
    const events = ['web-1   0/1   Pending\n', 'web-1   0/1   ContainerCreating\n', 'web-1   0/1   Pending\n']
    const { screen, type, changed } = laptopShell({
      run: (_text, after) => {
        afters.push(after)
        const n = afters.length - 1
        return { exitCode: 0, stdout: n === 0 ? 'NAME    READY   STATUS\n' : events[n - 1]!, stderr: '', follows: true, resumeAfter: String(1000 + n) }
      },
    })
    type(...keys('kubectl get pods -w'), ENTER)
    changed()
    changed()
    changed()
    expect(afters).toEqual([undefined, '1000', '1001', '1002'])
    // The same row twice: it changed back, and the watch says so.
    expect(screen.lines.slice(1)).toEqual(['NAME    READY   STATUS', 'web-1   0/1   Pending', 'web-1   0/1   ContainerCreating', 'web-1   0/1   Pending'])
  })
})

describe('output', () => {
  it('shows standard error after standard output, or before it when the command wrote it first (curl -v)', () => {
    const { screen, type } = laptopShell({ run: (text) => ({ exitCode: 0, stdout: 'page\n', stderr: '> GET / HTTP/1.1\n', ...(text === 'first' ? { stderrFirst: true } : {}) }) })
    type(...keys('last'), ENTER, ...keys('first'), ENTER)
    expect(screen.lines).toEqual([`${PROMPT}last`, 'page', '> GET / HTTP/1.1', `${PROMPT}first`, '> GET / HTTP/1.1', 'page', PROMPT.trimEnd()])
  })
})

describe('a shell in a pod or on a node', () => {
  it('ends at `exit` or Ctrl-D on an empty line', () => {
    const exit = vi.fn()
    const { type } = laptopShell({ exit })
    type(...keys('exit'), ENTER)
    type('\x04')
    expect(exit).toHaveBeenCalledTimes(2)
  })
})
