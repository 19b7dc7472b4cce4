import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { renderTables } from '../controllers/kubeProxy/iptables/nodeTables'
import type { NodeTables, Rule } from '../model/iptablesTables'
import type { IpSet, IpvsNode } from '../model/ipvs'
import { CLUSTER_EPOCH_MS } from '../runtime/time'
import { ipvsOf, withServices } from '../testing/ipvsScenarios'
import { webCluster } from '../testing/scenarios'
import { iptablesList } from './iptablesList'
import { canonicalIptablesSave, ctime } from './iptablesSave'
import { ipsetKernelView } from './ipsetKernel'
import { ipsetCommand } from './ipvsTools'

/**
 * The real ipset (7.17) and iptables (1.8.9, nf_tables) as the oracle for IPVS mode, as iptablesOracle.test.ts does for
 * iptables mode. Each scenario's inputs are what the simulator's kube-proxy wrote on a node: its sets as `ipset
 * restore` input, with the jhash seed it drew (`ipvs-<scenario>.ipsets.txt`), and its rules as iptables-restore input
 * (`.restore.txt`). The outputs are the real tools', run on those inputs in a private network namespace: iptables-save
 * (`.save.txt`), and transcripts of ipset and iptables commands (`.ipset.txt`, `.list.txt`). The tests need no tools;
 * with them on PATH `UPDATE_GOLDEN=1` rewrites the goldens from the real tools, and one more test compares live.
 */

const GOLDEN = `${__dirname}/__golden__`
const GENERATED_AT = ctime(new Date(CLUSTER_EPOCH_MS))

const SCENARIOS: Record<string, { build: () => IpvsNode; ipset: string[]; iptables: string[] }> = {
  web: { build: () => ipvsOf(webCluster(), 'worker-1'), ipset: ['list', 'list -n', 'list KUBE-CLUSTER-IP', 'version'], iptables: ['-t nat -L -n', '-L KUBE-IPVS-FILTER'] },
  services: {
    build: () => ipvsOf(withServices(webCluster()), 'worker-1'),
    ipset: ['list', '-L', 'list -t', 'list -s', 'list -name', 'list KUBE-LOAD-BALANCER-SOURCE-CIDR', '-L KUBE-NODE-PORT-TCP -t', 'save', 'save KUBE-CLUSTER-IP', 'list -o save KUBE-IPVS-IPS', 'list NOPE', 'list -q NOPE', 'list KUBE-CLUSTER-IP extra', 'frobnicate', '', 'version', '-V'],
    iptables: ['-t nat -L -n -v', '-t nat -L', '-L -n', '-S', '-t nat -S KUBE-SERVICES'],
  },
}

/** The sets as `ipset restore` takes them: created as kube-proxy creates them, with the seed the kernel drew, entries in order. */
function ipsetRestore(sets: readonly IpSet[]): string {
  return sets.map((s) => [`create ${s.name} ${s.type} ${ipsetKernelView(s).header}`, ...s.entries.map((e) => `add ${s.name} ${e}`)].map((l) => `${l}\n`).join('')).join('')
}

/** Back from the goldens: the sets from the restore input, the rules from the iptables input (for the References count). */
function nodeFromGolden(ipsets: string, restore: string): IpvsNode {
  const sets = new Map<string, { name: string; type: string; comment: string; entries: string[]; initval?: number }>()
  for (const line of ipsets.split('\n')) {
    const [cmd, name = '', ...rest] = line.split(' ')
    if (cmd === 'create') sets.set(name, { name, type: rest[0]!, comment: '', entries: [], ...(line.includes('initval') ? { initval: Number(rest[rest.indexOf('initval') + 1]) } : {}) })
    else if (cmd === 'add') sets.get(name)!.entries.push(rest.join(' '))
  }
  const tables: Record<'filter' | 'nat', Map<string, Rule[]>> = { filter: new Map(), nat: new Map() }
  let table: 'filter' | 'nat' = 'filter'
  for (const line of restore.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1) as 'filter' | 'nat'
    if (!line.startsWith('-A ')) continue
    const chain = line.split(' ')[1]!
    tables[table].set(chain, [...(tables[table].get(chain) ?? []), { table, chain, line }])
  }
  const iptables: NodeTables = { filter: { chains: [...tables.filter.keys()], rules: tables.filter }, nat: { chains: [...tables.nat.keys()], rules: tables.nat } }
  return { iptables, ipsets: [...sets.values()], virtualServers: [], dummyAddresses: [] }
}

interface Run {
  readonly args: string[]
  readonly stdout: string
  readonly stderr: string
  readonly exitCode: number
}

function writeTranscript(tool: string, runs: readonly Run[]): string {
  return runs.map((r) => `$ ${tool} ${r.args.join(' ')}\n${r.stdout}${r.stderr.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1).map((l) => `2> ${l}\n`).join('')}[exit ${r.exitCode}]\n`).join('\n')
}

function readTranscript(tool: string, text: string): Run[] {
  return text.split(new RegExp(`^(?=\\$ ${tool}(?: |$))`, 'm')).map((block) => {
    const lines = block.replace(/\n\n?$/, '').split('\n')
    const args = lines[0]!.slice(`$ ${tool}`.length).trim()
    const body = lines.slice(1, -1)
    return {
      args: args === '' ? [] : args.split(' '),
      stdout: body.filter((l) => !l.startsWith('2> ')).map((l) => `${l}\n`).join(''),
      stderr: body.filter((l) => l.startsWith('2> ')).map((l) => `${l.slice(3)}\n`).join(''),
      exitCode: Number(/^\[exit (\d+)\]$/.exec(lines[lines.length - 1]!)![1]),
    }
  })
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0
/** ipset and iptables installed, a private network namespace allowed, and the kernel's ipset there. */
const realTools = which('ipset') && which('iptables-restore') && spawnSync('unshare', ['-n', 'ipset', 'create', 'probe', 'hash:ip']).status === 0

/** Restores the sets and the rules in a fresh network namespace and runs one command there. */
function runReal(ipsets: string, rules: string, command: readonly string[]): Run {
  const dir = mkdtempSync(join(tmpdir(), 'ipvs-oracle-'))
  try {
    writeFileSync(join(dir, 'sets'), ipsets)
    writeFileSync(join(dir, 'rules'), rules)
    const script = `ipset restore < ${dir}/sets && iptables-restore < ${dir}/rules || exit 99; exec "$@" </dev/null`
    const r = spawnSync('unshare', ['-n', 'sh', '-c', script, 'sh', ...command], { encoding: 'utf8' })
    if (r.status === 99) throw new Error(`restore refused the input: ${r.stderr}`)
    return { args: command.slice(1), stdout: r.stdout, stderr: r.stderr, exitCode: r.status ?? -1 }
  } finally {
    rmSync(dir, { recursive: true })
  }
}

const fixDate = (text: string) => text.replace(/^(# Generated by iptables-save \S+ \S+ on |# Completed on ).*$/gm, `$1${GENERATED_AT}`)
const words = (command: string) => (command === '' ? [] : command.split(' '))

if (process.env['UPDATE_GOLDEN'] && realTools) {
  for (const [name, s] of Object.entries(SCENARIOS)) {
    const n = s.build()
    const sets = ipsetRestore(n.ipsets)
    const rules = renderTables(n.iptables)
    writeFileSync(`${GOLDEN}/ipvs-${name}.ipsets.txt`, sets)
    writeFileSync(`${GOLDEN}/ipvs-${name}.restore.txt`, rules)
    writeFileSync(`${GOLDEN}/ipvs-${name}.save.txt`, fixDate(runReal(sets, rules, ['iptables-save']).stdout))
    writeFileSync(`${GOLDEN}/ipvs-${name}.ipset.txt`, writeTranscript('ipset', s.ipset.map((c) => runReal(sets, rules, ['ipset', ...words(c)]))))
    writeFileSync(`${GOLDEN}/ipvs-${name}.list.txt`, writeTranscript('iptables', s.iptables.map((c) => runReal(sets, rules, ['iptables', ...words(c)]))))
  }
}

describe.each(Object.keys(SCENARIOS))('IPVS mode\'s %s scenario, restored on a real node', (name) => {
  const file = (kind: string) => readFileSync(`${GOLDEN}/ipvs-${name}.${kind}.txt`, 'utf8')

  it('is what kube-proxy writes today (else regenerate the goldens with the real tools)', () => {
    expect(existsSync(`${GOLDEN}/ipvs-${name}.restore.txt`), 'golden missing: run UPDATE_GOLDEN=1 where ipset, iptables and unshare are installed').toBe(true)
    const n = SCENARIOS[name]!.build()
    expect(renderTables(n.iptables)).toBe(file('restore'))
    expect(ipsetRestore(n.ipsets)).toBe(file('ipsets'))
  })

  it('saves the rules exactly as the real iptables-save printed them, -m set and -m physdev included', () => {
    expect(canonicalIptablesSave(file('restore'), GENERATED_AT)).toBe(file('save'))
  })

  it('lists the rules exactly as the real iptables did', () => {
    for (const run of readTranscript('iptables', file('list'))) expect(iptablesList(file('restore'), run.args), `iptables ${run.args.join(' ')}`).toEqual({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr })
  })

  it('lists the sets exactly as the real ipset did: hash order, hash size, memory, references, errors', () => {
    const n = nodeFromGolden(file('ipsets'), file('restore'))
    const runs = readTranscript('ipset', file('ipset'))
    expect(runs.map((r) => r.args.join(' '))).toEqual(SCENARIOS[name]!.ipset)
    for (const run of runs) expect(ipsetCommand(n, run.args), `ipset ${run.args.join(' ')}`).toEqual({ exitCode: run.exitCode, stdout: run.stdout, stderr: run.stderr })
  })
})

describe('the kernel\'s hash sets, against the real ipset on this machine', () => {
  it.skipIf(!realTools)('orders, resizes and sizes a set of 3000 entries as the kernel does', () => {
    const entries = Array.from({ length: 3000 }, (_, i) => `10.${96 + (i >> 8)}.${i & 255}.${(i * 7) & 255},${i % 3 ? 'tcp' : 'udp'}:${80 + (i % 5)}`)
    const set: IpSet = { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: '', entries: [...new Set(entries)], initval: 0x2545f491 }
    const n: IpvsNode = { iptables: { filter: { chains: [], rules: new Map() }, nat: { chains: [], rules: new Map() } }, ipsets: [set], virtualServers: [], dummyAddresses: [] }
    const { args, ...expected } = runReal(ipsetRestore([set]), '', ['ipset', 'list'])
    expect(args).toEqual(['list'])
    expect(ipsetCommand(n, ['list'])).toEqual(expected)
  })
})
