import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { nftablesTable } from '../controllers/kubeProxy/nftables/nftablesTable'
import { nftablesTransaction } from '../controllers/kubeProxy/nftables/nftablesTransaction'
import { createSimulation } from '../index'
import { nodeInternalIP } from '../model/node'
import type { NftTable } from '../model/nftables'
import type { Simulation } from '../simulation'
import { expectGolden } from '../testing/golden'
import { webCluster } from '../testing/scenarios'
import { nftListRuleset } from './nftList'
import { nftCommand } from './nftTool'
import { splitLine } from './words'

/**
 * The real nft (1.0.6, Debian 12's, a kind node's) as the oracle for kube-proxy's nftables mode. Per scenario, the
 * goldens under __golden__/ hold the transaction kube-proxy sends (`nft-<scenario>.transaction.txt`, our own output)
 * and what the real nft listed after loading it in a private network namespace (`.ruleset.txt`), and, for one
 * scenario, a transcript of nft commands and file checks run there (`.nft.txt`). The tests need no tools; with nft and
 * `unshare -n` at hand, one more loads a scenario no golden holds, and `UPDATE_GOLDEN=1` rewrites the listings and
 * transcripts from the real nft (never from our own output).
 */

const GOLDEN = `${__dirname}/__golden__`

/** Services of every kind kube-proxy writes for (the iptables oracle's): NodePorts of three protocols, a firewalled Local load balancer, ClientIP affinity with an external IP, no endpoints, an internal Local policy. */
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

/** The table kube-proxy in nftables mode would have on `node`, from that node's last watch view. */
function tableOf(sim: Simulation, node: string): NftTable {
  const view = sim.state.proxies.get(node)!
  return nftablesTable(view, { name: node, ip: nodeInternalIP(sim.state.nodes.get(node)!) }, sim.config.podCIDR.text, sim.config.serviceCIDR.text)
}

/** The iptables oracle's scenarios, and the web cluster seen from worker-1. */
const SCENARIOS: Record<string, { node: string; build: () => Simulation }> = {
  bootstrap: { node: 'worker-1', build: () => createSimulation({ seed: 42, workers: 2 }) },
  web: { node: 'worker-1', build: () => webCluster() },
  'web-3': { node: 'worker-2', build: () => webCluster() },
  services: { node: 'worker-1', build: () => withServices(webCluster()) },
}

/** Files the transcript checks with `nft -c -f`: kube-proxy's own input and nft's own listing pass; the rest do not. */
const FILES: Record<string, string> = {
  'syntax.nft': [
    'add rul ip kube-proxy services',
    'add rule ip kube-proxy services ip daddr 10.96.0.10 frob',
    'add rule ip kube-proxy services tcp dport',
    'add rule ip kube-proxy services jump',
    'add rule ip kube-proxy services numgen random mod 2 vmap { 0 : goto services , 1 : frob }',
    'add chain ip kube-proxy services extra',
    'frobnicate',
    'add rule ip kube-proxy services ip daddr @nope drop',
    '',
  ].join('\n'),
  'lookups.nft': ['add element ip kube-proxy nope { 10.96.0.1 }', 'add set ip nope s { type ipv4_addr ; }', 'add chain ip nope c', 'add rule ip kube-proxy services ip saddr @nope accept', ''].join('\n'),
  'kernel.nft': [
    'add rule ip kube-proxy nope drop',
    'add rule ip kube-proxy services jump nope',
    'add element ip kube-proxy service-ips { 10.96.0.99 . tcp . 80 : goto nope }',
    'flush chain ip kube-proxy nope',
    'add rule ip nope services drop',
    'delete chain ip kube-proxy mark-for-masquerade',
    'add chain ip kube-proxy unused',
    'delete chain ip kube-proxy unused',
    '',
  ].join('\n'),
  'typos.nft': ['add rule ip kube-proxz services drop', 'add rule inet kube-proxy services drop', 'add rule ip kube-proxy servicez drop', 'add rule ip kube-proxy masqueradin drop', 'flush chain ip kube-proxy filter', 'add rule ip kube-proxy cluster drop', ''].join('\n'),
}

const TRANSCRIPT = [
  'list ruleset', 'list table ip kube-proxy', 'list table kube-proxy', 'list chain ip kube-proxy services', 'list map ip kube-proxy service-ips',
  'list set ip kube-proxy cluster-ips', 'list chains', 'list sets', 'list maps', 'list tables', 'list ruleset ip6',
  'list chain ip kube-proxy nope', 'list map ip kube-proxy cluster-ips', 'list set ip kube-proxy service-ips', 'list table ip nope', 'list table inet kube-proxy',
  'list chain ip nope services', 'list', 'list foo', 'foo', 'list chain ip kube-proxy', 'list chain ip kube-proxy services extra', '--version',
  '-c -f transaction.nft', '-c -f listing.nft', '-c -f syntax.nft', '-c -f lookups.nft', '-c -f kernel.nft', '-c -f typos.nft', '-c -f nope.nft', '-c -f - <syntax.nft',
]

interface Run {
  readonly command: string
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

const writeTranscript = (runs: readonly Run[]) =>
  runs.map((r) => `$ nft ${r.command}\n${r.stdout}${r.stderr.split('\n').slice(0, -1).map((l) => `2> ${l}\n`).join('')}[exit ${r.exitCode}]\n`).join('\n')

function readTranscript(text: string): Run[] {
  return text.split(/^(?=\$ nft )/m).map((block) => {
    const lines = block.replace(/\n\n?$/, '').split('\n')
    const body = lines.slice(1, -1)
    return {
      command: lines[0]!.slice('$ nft '.length),
      stdout: body.filter((l) => !l.startsWith('2> ')).map((l) => `${l}\n`).join(''),
      stderr: body.filter((l) => l.startsWith('2> ')).map((l) => `${l.slice(3)}\n`).join(''),
      exitCode: Number(/^\[exit (\d+)\]$/.exec(lines[lines.length - 1]!)![1]),
    }
  })
}

/** A transcript command as argv and the stdin it redirects from (`-c -f - <file`). */
function argsOf(command: string): { args: string[]; stdinFile?: string } {
  const [cmd, redirect] = command.split(' <')
  const split = splitLine(cmd!)
  if (!split.ok) throw new Error(split.error)
  return { args: split.line.stages[0]!, ...(redirect ? { stdinFile: redirect } : {}) }
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
/** The real tools can run here: nft installed, and a private network namespace allowed. */
const realTools = which('nft') && spawnSync('unshare', ['-n', 'true']).status === 0

/** In a fresh network namespace: loads `transaction`, then runs each command there (files in the working directory). */
function runReal(transaction: string, commands: readonly string[], files: Readonly<Record<string, string>> = {}): Run[] {
  const dir = mkdtempSync(join(tmpdir(), 'nft-oracle-'))
  try {
    writeFileSync(join(dir, 'transaction.nft'), transaction)
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
    const script = ['nft -f transaction.nft || exit 99', ...commands.map((c, i) => `nft ${c} >out.${i} 2>err.${i}; echo $? >rc.${i}`)].join('\n')
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script], { cwd: dir, encoding: 'utf8' })
    if (r.status === 99) throw new Error(`nft refused the transaction: ${r.stderr}`)
    return commands.map((command, i) => ({
      command,
      stdout: readFileSync(join(dir, `out.${i}`), 'utf8'),
      stderr: readFileSync(join(dir, `err.${i}`), 'utf8'),
      exitCode: Number(readFileSync(join(dir, `rc.${i}`), 'utf8')),
    }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What the transcript's commands see: kube-proxy's input, nft's listing of the loaded table, and the bad files. */
const filesFor = (table: NftTable) => ({ 'transaction.nft': nftablesTransaction(table), 'listing.nft': nftListRuleset(table), ...FILES })

if (process.env['UPDATE_GOLDEN'] && realTools) {
  mkdirSync(GOLDEN, { recursive: true })
  for (const [name, s] of Object.entries(SCENARIOS)) {
    const table = tableOf(s.build(), s.node)
    const transaction = nftablesTransaction(table)
    writeFileSync(`${GOLDEN}/nft-${name}.ruleset.txt`, runReal(transaction, ['list ruleset'])[0]!.stdout)
    if (name === 'services') writeFileSync(`${GOLDEN}/nft-${name}.nft.txt`, writeTranscript(runReal(transaction, TRANSCRIPT, filesFor(table))))
  }
}

describe.each(Object.keys(SCENARIOS))('kube-proxy in nftables mode, the %s scenario', (name) => {
  const s = SCENARIOS[name]!
  const table = tableOf(s.build(), s.node)

  it('sends the transaction the golden holds', () => {
    expectGolden(`${GOLDEN}/nft-${name}.transaction.txt`, nftablesTransaction(table))
  })

  it('lists exactly as the real nft listed it after loading that transaction', () => {
    const file = `${GOLDEN}/nft-${name}.ruleset.txt`
    expect(existsSync(file), 'golden missing: run UPDATE_GOLDEN=1 where nft and unshare are installed').toBe(true)
    expect(nftListRuleset(table)).toBe(readFileSync(file, 'utf8'))
  })
})

describe('the nft command on a node, against the real nft', () => {
  const table = tableOf(SCENARIOS['services']!.build(), 'worker-1')
  const files = filesFor(table)

  it('lists, checks files and fails exactly as nft 1.0.6 did: output, errors and exit codes', () => {
    const runs = readTranscript(readFileSync(`${GOLDEN}/nft-services.nft.txt`, 'utf8'))
    expect(runs.map((r) => r.command)).toEqual(TRANSCRIPT)
    for (const run of runs) {
      const { args, stdinFile } = argsOf(run.command)
      const got = nftCommand(table, args.slice(0), stdinFile ? files[stdinFile as keyof typeof files] ?? '' : '', files)
      expect({ exitCode: got.exitCode, stdout: got.stdout, stderr: got.stderr }, `nft ${run.command}`).toEqual({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr })
    }
  })

  it('lists nothing of kube-proxy\'s in iptables or IPVS mode, where it has no table', () => {
    expect(nftCommand(undefined, ['list', 'ruleset'], '', {})).toEqual({ exitCode: 0, stdout: '', stderr: '' })
    expect(nftCommand(undefined, ['list', 'table', 'ip', 'kube-proxy'], '', {}).stderr).toBe('Error: No such file or directory\nlist table ip kube-proxy\n              ^^^^^^^^^^\n')
  })
})

describe('a scenario no golden holds, against the real nft on this machine', () => {
  it.skipIf(!realTools)('accepts kube-proxy\'s transaction and lists the table as we do', () => {
    const sim = withServices(webCluster({ seed: 9, workers: 3, replicas: 5 }), 31234)
    sim.scale('default', 'web', 7)
    sim.settle()
    for (const node of ['worker-2', 'worker-3']) {
      const table = tableOf(sim, node)
      const transaction = nftablesTransaction(table)
      const [check, list] = runReal(transaction, ['-c -f transaction.nft', 'list ruleset'])
      expect(check!.stderr, `${node}: nft -c -f`).toBe('')
      expect(check!.exitCode).toBe(0)
      expect(nftListRuleset(table), `${node}: nft list ruleset`).toBe(list!.stdout)
    }
  })
})
