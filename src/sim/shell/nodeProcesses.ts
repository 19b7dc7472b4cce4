import type { CommandResult } from '../commands/results'
import { faultOf } from '../faults'
import type { FaultKind } from '../model/fault'
import type { Node } from '../model/node'
import type { Pod } from '../model/pod'
import { fnv32a } from '../runtime/hash'
import { CLUSTER_EPOCH_MS, fromTimestamp } from '../runtime/time'
import { fail, ok, type CommandContext, type RunResult } from './types'

/**
 * The node's processes that a fault can reach: the kubelet (a systemd service: `systemctl stop kubelet` takes the node
 * down) and kube-proxy (its DaemonSet pod's process: SIGSTOP stalls it, SIGCONT resumes it). Each has a pid fixed by
 * what it belongs to (a new kube-proxy pod is a new process), so `pidof` prints the same number every time.
 */
interface Process {
  readonly name: 'kubelet' | 'kube-proxy'
  readonly pid: number
}

/** A pid as the kernel might have handed out: between 300 (past the boot-time daemons) and pid_max (32768). */
const pidOf = (seed: string) => 300 + (fnv32a(seed) % 32_400)

/** The running processes of the node: the kubelet unless stopped, kube-proxy while its pod's container runs. */
function processes(ctx: CommandContext, node: string): Process[] {
  const out: Process[] = []
  if (!faultOf(ctx.host.state, 'node-down', node)) out.push({ name: 'kubelet', pid: pidOf(`${node}/kubelet`) })
  const proxy = (ctx.host.list('Pod', 'kube-system') as Pod[]).find((p) => p.spec.nodeName === node && p.metadata.labels?.['k8s-app'] === 'kube-proxy' && p.status.containerStatuses?.[0]?.state['running'])
  if (proxy) out.push({ name: 'kube-proxy', pid: pidOf(`${node}/kube-proxy/${proxy.metadata.uid ?? proxy.metadata.name}`) })
  return out
}

/** A fault begun or ended through the shell, as the store's dispatch records it; its refusal printed as the tool's error. */
function send(ctx: CommandContext, type: 'fault' | 'heal', fault: FaultKind, node: string, tool: string): RunResult {
  const result = ctx.dispatch({ type, fault, target: node }) as CommandResult
  return result.ok ? ok('') : fail(`${tool}: ${result.message ?? result.errors.map((e) => e.message).join('\n')}`)
}

/** systemd's "since" stamp: `Mon 2026-01-05 09:00:00 UTC`. */
function systemdTimestamp(ms: number): string {
  const d = new Date(CLUSTER_EPOCH_MS + ms)
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]
  return `${day} ${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`
}

/** systemd's format_timestamp_relative: `5min ago`, `1h 2min ago`, `3 days ago`. */
export function systemdAgo(ms: number): string {
  const s = Math.floor(ms / 1000)
  const [min, h, day] = [60, 3600, 86_400]
  if (s >= 7 * day) return `${Math.floor(s / (7 * day))} weeks ${Math.floor((s % (7 * day)) / day)} days ago`
  if (s >= 2 * day) return `${Math.floor(s / day)} days ago`
  if (s >= 25 * h) return `1 day ${Math.floor((s - day) / h)}h ago`
  if (s >= 6 * h) return `${Math.floor(s / h)}h ago`
  if (s >= h) return `${Math.floor(s / h)}h ${Math.floor((s % h) / min)}min ago`
  if (s >= 5 * min) return `${Math.floor(s / min)}min ago`
  if (s >= min) return `${Math.floor(s / min)}min ${s % min}s ago`
  if (s >= 1) return `${s}s ago`
  return ms >= 1 ? `${Math.floor(ms)}ms ago` : 'now'
}

/** `systemctl status kubelet` as systemd 252 (Debian 12) prints its head; active since the node last turned Ready. */
function kubeletStatus(ctx: CommandContext, node: Node): RunResult {
  const down = faultOf(ctx.host.state, 'node-down', node.metadata.name)
  const ready = node.status.conditions.find((c) => c.type === 'Ready')
  const since = down ? down.since : ready?.status === 'True' ? fromTimestamp(ready.lastTransitionTime) : fromTimestamp(node.metadata.creationTimestamp ?? '')
  const when = `since ${systemdTimestamp(since)}; ${systemdAgo(ctx.host.now - since)}`
  const pid = pidOf(`${node.metadata.name}/kubelet`)
  const lines = [
    `${down ? '○' : '●'} kubelet.service - kubelet: The Kubernetes Node Agent`,
    '     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; preset: enabled)',
    '    Drop-In: /usr/lib/systemd/system/kubelet.service.d',
    '             └─10-kubeadm.conf',
    `     Active: ${down ? 'inactive (dead)' : 'active (running)'} ${when}`,
    '       Docs: https://kubernetes.io/docs/',
    `   Main PID: ${pid} ${down ? '(code=killed, signal=TERM)' : '(kubelet)'}`,
  ]
  return { exitCode: down ? 3 : 0, stdout: `${lines.join('\n')}\n`, stderr: '' }
}

/** systemctl start|stop|restart|status|is-active kubelet: the kubelet is the one unit whose state the cluster feels. */
export function systemctl(ctx: CommandContext, node: Node, args: readonly string[]): RunResult {
  const [verb, unit] = args.filter((a) => !a.startsWith('-'))
  const name = node.metadata.name
  if (verb === undefined) return fail('systemctl: only "systemctl start|stop|restart|status|is-active kubelet" is simulated here')
  if (unit === undefined) return fail(`Too few arguments.`)
  if (unit !== 'kubelet' && unit !== 'kubelet.service') return fail(`systemctl: only the kubelet's unit is simulated here ("systemctl ${verb} kubelet")`)
  const down = faultOf(ctx.host.state, 'node-down', name) !== undefined
  switch (verb) {
    case 'stop':
      // Stopping a stopped unit says nothing, as systemctl does.
      return down ? ok('') : send(ctx, 'fault', 'node-down', name, 'systemctl')
    case 'start':
    case 'restart':
      return down ? send(ctx, 'heal', 'node-down', name, 'systemctl') : ok('')
    case 'status':
      return kubeletStatus(ctx, node)
    case 'is-active':
      return { exitCode: down ? 3 : 0, stdout: down ? 'inactive\n' : 'active\n', stderr: '' }
    default:
      return fail(`systemctl: only "systemctl start|stop|restart|status|is-active kubelet" is simulated here`)
  }
}

/** pidof NAME...: the pids on one line, exit 1 when none runs. */
export function pidof(ctx: CommandContext, node: string, args: readonly string[]): RunResult {
  const running = processes(ctx, node)
  const pids = args.filter((a) => !a.startsWith('-')).flatMap((n) => running.filter((p) => p.name === n).map((p) => p.pid))
  return pids.length ? ok(`${pids.join(' ')}\n`) : { exitCode: 1, stdout: '', stderr: '' }
}

const SIGNALS: Readonly<Record<string, number>> = { HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, USR2: 12, TERM: 15, CONT: 18, STOP: 19, TSTP: 20 }

/** A signal as kill and pkill take it (`STOP`, `SIGSTOP`, `19`, `stop`), by number; undefined for none. */
function signalNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) <= 64 ? Number(text) : undefined
  return SIGNALS[text.toUpperCase().replace(/^SIG/, '')]
}

/** SIGSTOP stalls the node's kube-proxy, SIGCONT resumes it; a signal to a stopped (or running) process changes nothing twice. */
function signal(ctx: CommandContext, node: string, proc: Process, sig: number, tool: string): RunResult {
  if (proc.name !== 'kube-proxy' || (sig !== SIGNALS['STOP'] && sig !== SIGNALS['CONT'])) {
    return fail(`${tool}: only SIGSTOP and SIGCONT to kube-proxy are simulated here (stop the kubelet with "systemctl stop kubelet")`)
  }
  const stalled = faultOf(ctx.host.state, 'kube-proxy-stalled', node) !== undefined
  if (sig === SIGNALS['STOP']) return stalled ? ok('') : send(ctx, 'fault', 'kube-proxy-stalled', node, tool)
  return stalled ? send(ctx, 'heal', 'kube-proxy-stalled', node, tool) : ok('')
}

const KILL_USAGE = 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]'

/** bash's kill builtin: `kill -STOP PID`, `kill -s STOP PID`, `kill -n 19 PID`; its errors as an interactive -bash prints them. */
export function kill(ctx: CommandContext, node: string, args: readonly string[]): RunResult {
  let sig = SIGNALS['TERM']!
  let i = 0
  const first = args[0]
  if (first === '-s' || first === '-n') {
    if (args[1] === undefined) return fail(`-bash: kill: ${first}: option requires an argument`)
    const n = signalNumber(args[1])
    if (n === undefined) return fail(`-bash: kill: ${args[1]}: invalid signal specification`)
    sig = n
    i = 2
  } else if (first?.startsWith('-') && first !== '--') {
    const n = signalNumber(first.slice(1))
    if (n === undefined) return fail(`-bash: kill: ${first.slice(1)}: invalid signal specification`)
    sig = n
    i = 1
  }
  if (args[i] === '--') i++
  const pids = args.slice(i)
  if (pids.length === 0) return fail(KILL_USAGE, 2)
  const running = processes(ctx, node)
  let stdout = ''
  let stderr = ''
  let exitCode = 0
  for (const arg of pids) {
    const proc = /^\d+$/.test(arg) ? running.find((p) => p.pid === Number(arg)) : undefined
    const r = !/^-?\d+$/.test(arg) ? fail(`-bash: kill: ${arg}: arguments must be process or job IDs`) : proc ? signal(ctx, node, proc, sig, '-bash: kill') : fail(`-bash: kill: (${arg}) - No such process`)
    stdout += r.stdout
    stderr += r.stderr
    if (r.exitCode) exitCode = 1
  }
  return { exitCode, stdout, stderr }
}

/** procps' pkill: `pkill -STOP kube-proxy`, `pkill --signal CONT kube-proxy`; silent, exit 1 when nothing matched. */
export function pkill(ctx: CommandContext, node: string, args: readonly string[]): RunResult {
  let sig = SIGNALS['TERM']!
  const patterns: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    const named = a === '--signal' ? args[++i] : a.startsWith('--signal=') ? a.slice('--signal='.length) : a.startsWith('-') ? a.slice(1) : undefined
    if (named === undefined) {
      patterns.push(a)
      continue
    }
    const n = signalNumber(named)
    if (n === undefined) return fail(`pkill: unknown signal name ${named}\nTry \`pkill --help' for more information.`, 2)
    sig = n
  }
  if (patterns.length !== 1) return fail(patterns.length ? 'pkill: only one pattern can be provided\nTry `pkill --help\' for more information.' : 'pkill: no matching criteria specified\nTry `pkill --help\' for more information.', 2)
  let re: RegExp
  try {
    re = new RegExp(patterns[0]!)
  } catch {
    return fail(`pkill: cannot compile regular expression '${patterns[0]}'`, 2)
  }
  const matched = processes(ctx, node).filter((p) => re.test(p.name))
  if (matched.length === 0) return { exitCode: 1, stdout: '', stderr: '' }
  const results = matched.map((p) => signal(ctx, node, p, sig, 'pkill'))
  const failed = results.find((r) => r.exitCode !== 0)
  return failed ?? ok('')
}
