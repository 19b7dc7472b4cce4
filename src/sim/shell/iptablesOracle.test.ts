import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createSimulation } from '../index'
import { CLUSTER_EPOCH_MS } from '../runtime/time'
import type { Simulation } from '../simulation'
import { webCluster } from '../testing/scenarios'
import { iptablesList } from './iptablesList'
import { canonicalIptablesSave, ctime } from './iptablesSave'
import { splitLine } from './words'

/**
 * The real iptables (1.8.9, nf_tables) as the oracle. Each golden pair under __golden__/ is an iptables-restore input
 * the simulator wrote (`iptables-<scenario>.restore.txt`) and what the real tools printed after restoring it in a
 * private network namespace: `iptables-save` (`.save.txt`, its date replaced by the cluster's epoch) and a transcript
 * of `iptables` listing commands (`.list.txt`). The tests need no tools: they check that the converters reproduce those
 * files byte for byte. With the tools on PATH, one more test compares live on a scenario no golden holds, and
 * `UPDATE_GOLDEN=1` rewrites the goldens from the real tools (never from our own output).
 */

const GOLDEN = `${__dirname}/__golden__`
/** The date the goldens carry: the cluster's epoch, as the shell prints it at time 0. */
const GENERATED_AT = ctime(new Date(CLUSTER_EPOCH_MS))

/** Settled clusters whose restore inputs use every construct kube-proxy and flannel write. */
const SCENARIOS: Record<string, { node: string; build: () => Simulation; commands: string[] }> = {
  bootstrap: { node: 'worker-1', build: () => createSimulation({ seed: 42, workers: 2 }), commands: ['-t nat -L -n', '-L -v'] },
  'web-3': { node: 'worker-2', build: () => webCluster(), commands: ['-t nat -L KUBE-SVC-CDGGSHYLG3RE2FKL', '-t nat -L KUBE-SVC-CDGGSHYLG3RE2FKL -n -v --line-numbers'] },
  services: {
    node: 'worker-1',
    build: () => withServices(webCluster()),
    commands: [
      '-L', '-L -n -v', '-t nat -L', '-t nat -L KUBE-POSTROUTING -n -v -x --line-numbers', '-t nat -L KUBE-SERVICES -n -v --line-numbers',
      '-t nat -L KUBE-SERVICES 2', '-S -v', '-t nat -S KUBE-NODEPORTS', '--table=nat -nL POSTROUTING', '-t raw -L',
      '-L NOPE', '-L --foo', '-t foo -L', '-L INPUT extra', '-L -p tcp', '-L -L', '-x', '-V',
    ],
  },
}

/** Services of every kind kube-proxy writes rules for: NodePorts (tcp, udp, sctp), a firewalled Local load balancer, ClientIP affinity with an external IP, one with no endpoints, an internal Local policy. */
function withServices(sim: Simulation, nodePort = 30080): Simulation {
  const result = sim.apply([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 8080 }, { name: 'sctp', port: 9999, protocol: 'SCTP', targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['172.18.0.0/16', '198.51.100.0/25'], selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sticky' }, spec: { sessionAffinity: 'ClientIP', externalIPs: ['192.0.2.7'], selector: { app: 'web' }, ports: [{ port: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { type: 'LoadBalancer', selector: { app: 'none' }, externalIPs: ['192.0.2.8'], ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'local' }, spec: { internalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } },
  ])
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  sim.settle()
  return sim
}

/** One `iptables` run as the transcript holds it. */
interface Run {
  readonly args: string[]
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

/** `$ iptables ARGS`, its stdout, its stderr lines marked `2> `, and `[exit N]`; runs separated by a blank line. */
function writeTranscript(runs: readonly Run[]): string {
  const quote = (a: string) => (/^[\w=./:-]+$/.test(a) ? a : `'${a}'`)
  return runs.map((r) => `$ iptables ${r.args.map(quote).join(' ')}\n${r.stdout}${r.stderr.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map((l) => `2> ${l}\n`).join('')}[exit ${r.exitCode}]\n`).join('\n')
}

function readTranscript(text: string): Run[] {
  const runs: Run[] = []
  for (const block of text.split(/^(?=\$ iptables )/m)) {
    const lines = block.replace(/\n\n?$/, '').split('\n')
    const split = splitLine(lines[0]!.slice('$ '.length))
    if (!split.ok) throw new Error(split.error)
    const body = lines.slice(1, -1)
    runs.push({
      args: split.line.stages[0]!.slice(1),
      stdout: body.filter((l) => !l.startsWith('2> ')).map((l) => `${l}\n`).join(''),
      stderr: body.filter((l) => l.startsWith('2> ')).map((l) => `${l.slice(3)}\n`).join(''),
      exitCode: Number(/^\[exit (\d+)\]$/.exec(lines[lines.length - 1]!)![1]),
    })
  }
  return runs
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
/** The real tools can run here: iptables and nfacct installed, and a private network namespace allowed. */
const realTools = which('iptables-restore') && which('nfacct') && spawnSync('unshare', ['-n', 'true']).status === 0

/**
 * Restores `input` in a fresh network namespace and runs one command there. kube-proxy's rules name nfacct counters,
 * which must exist in the kernel first (kube-proxy creates them; iptables-restore fails with ENOENT without them).
 */
function runReal(input: string, command: readonly string[]): Run {
  const script = 'nfacct add ct_state_invalid_dropped_pkts >/dev/null && nfacct add localhost_nps_accepted_pkts >/dev/null && iptables-restore || exit 99; exec "$@" </dev/null'
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script, 'sh', ...command], { encoding: 'utf8', input })
  if (r.status === 99) throw new Error(`iptables-restore refused the input: ${r.stderr}`)
  return { args: command.slice(1), stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 }
}

/** iptables-save's two date lines carry the wall clock: the goldens hold a fixed one. */
const fixDate = (text: string, date: string) => text.replace(/^(# Generated by iptables-save \S+ \S+ on |# Completed on ).*$/gm, `$1${date}`)
const argsOf = (command: string) => command.split(' ')

if (process.env['UPDATE_GOLDEN'] && realTools) {
  mkdirSync(GOLDEN, { recursive: true })
  for (const [name, s] of Object.entries(SCENARIOS)) {
    const input = s.build().kubeProxyRules(s.node)!
    writeFileSync(`${GOLDEN}/iptables-${name}.restore.txt`, input)
    writeFileSync(`${GOLDEN}/iptables-${name}.save.txt`, fixDate(runReal(input, ['iptables-save']).stdout, GENERATED_AT))
    writeFileSync(`${GOLDEN}/iptables-${name}.list.txt`, writeTranscript(s.commands.map((c) => runReal(input, ['iptables', ...argsOf(c)]))))
  }
}

describe.each(Object.keys(SCENARIOS))('the %s scenario, restored on a real node', (name) => {
  const file = (kind: string) => readFileSync(`${GOLDEN}/iptables-${name}.${kind}.txt`, 'utf8')
  it('saves exactly as the real iptables-save printed it', () => {
    expect(existsSync(`${GOLDEN}/iptables-${name}.save.txt`), 'golden missing: run UPDATE_GOLDEN=1 where iptables, nfacct and unshare are installed').toBe(true)
    expect(canonicalIptablesSave(file('restore'), GENERATED_AT)).toBe(file('save'))
  })

  it('lists exactly as the real iptables printed it, errors and exit codes included', () => {
    const runs = readTranscript(file('list'))
    expect(runs.map((r) => r.args.join(' '))).toEqual(SCENARIOS[name]!.commands)
    for (const run of runs) expect(iptablesList(file('restore'), run.args), `iptables ${run.args.join(' ')}`).toEqual({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr })
  })
})

describe('a scenario no golden holds, against the real tools on this machine', () => {
  it.skipIf(!realTools)('saves and lists as iptables 1.8.9 does', () => {
    const sim = withServices(webCluster({ seed: 9, workers: 3, replicas: 5 }), 31234)
    sim.scale('default', 'web', 7)
    sim.settle()
    for (const node of ['worker-2', 'worker-3']) {
      const input = sim.kubeProxyRules(node)!
      const real = runReal(input, ['iptables-save']).stdout
      const date = /^# Generated by iptables-save \S+ \S+ on (.*)$/m.exec(real)![1]!
      expect(canonicalIptablesSave(input, date)).toBe(real)
      for (const command of ['-t nat -L -n -v --line-numbers', '-L', '-t nat -S', '-t nat -L KUBE-NODEPORTS -v -x', '-L KUBE-NOPE']) {
        const { args, ...expected } = runReal(input, ['iptables', ...argsOf(command)])
        expect(iptablesList(input, args), `${node}: iptables ${command}`).toEqual(expected)
      }
    }
  })
})
