import { afterAll, describe, expect, it } from 'vitest'
import { ACCEPTED_CASES, fieldInputs, KNOWN_CASES, MARKUP, YAML_ATTACKS, YAML_FINE } from './badInput.corpus'
import type { CommandResult } from './commands/results'
import { createSimulation, type Simulation } from './simulation'
import { observe, runtimeFingerprint } from './testing/fingerprint'
import { webCluster } from './testing/scenarios'

/**
 * The bad-input corpus (badInput.corpus.ts) against the engine's API. For each input: never a throw; an error in
 * kubectl's wording naming the field (upstream's exact text where known), or, for what upstream accepts, a cluster that
 * keeps working; and a failed call changes nothing, in the state or in the runtime. The figures are printed at the end.
 */
const figures = { tried: 0, refused: 0, clearErrors: 0, emptyReads: 0, accepted: 0, throws: 0, stateChanges: 0 }

/** The beginnings of every line kubectl prints for a refused input. */
const KUBECTL_FORMS = [/^The \w+ ".*" is invalid: /s, /^Error from server( \(\w+\))?: /, /^error: /, /^resource mapping not found for name: /, /^error validating data: /]
const isClear = (r: CommandResult) => !!r.message && r.errors.length > 0 && r.errors.every((e) => KUBECTL_FORMS.some((f) => f.test(e.message)))

/** Calls `f`, counting a throw (and reporting it as a failure) instead of letting it end the test. */
function attempt<T>(failures: string[], label: string, f: () => T, input = true): T | undefined {
  if (input) figures.tried++
  try {
    return f()
  } catch (e) {
    figures.throws++
    failures.push(`${label}: threw ${(e as Error).message}`)
    return undefined
  }
}

/** A call that must fail: it must say so clearly and leave the state and the runtime as they were. */
function refusedCleanly(sim: Simulation, failures: string[], label: string, call: () => CommandResult, check?: (r: CommandResult) => string | undefined): void {
  const state = sim.state
  const runtime = runtimeFingerprint(sim)
  const r = attempt(failures, label, call)
  if (!r) return
  if (sim.state !== state || runtimeFingerprint(sim) !== runtime) {
    figures.stateChanges++
    failures.push(`${label}: changed the cluster${r.ok ? ' (accepted)' : ''}`)
  }
  if (r.ok) return void failures.push(`${label}: accepted`)
  figures.refused++
  if (isClear(r)) figures.clearErrors++
  else failures.push(`${label}: unclear message ${JSON.stringify(r.message)}`)
  const problem = check?.(r)
  if (problem) failures.push(`${label}: ${problem}`)
}

afterAll(() => {
  console.log(
    `bad-input corpus: ${figures.tried} inputs tried: ${figures.refused} refused, ${figures.clearErrors} of them with a clear error in kubectl's form; ` +
      `${figures.emptyReads} reads answered with nothing (undefined, [] or no events); ${figures.accepted} accepted as upstream accepts them; ` +
      `${figures.throws} throws; ${figures.stateChanges} failed calls that changed the cluster`,
  )
})

describe('the bad-input corpus', () => {
  // One cluster takes every input that must be refused; its twin takes none. They must end identical.
  const sim = webCluster()
  const twin = webCluster()

  it('refuses every field of every kind given a value its Go type cannot hold, at that field, changing nothing', () => {
    const failures: string[] = []
    const inputs = fieldInputs().filter((i) => i.refused)
    expect(inputs.length).toBeGreaterThan(500)
    for (const input of inputs) {
      const label = `${input.kind} ${input.path} (${input.variant})`
      refusedCleanly(sim, failures, label, () => sim.apply(input.object), (r) => {
        const e = r.errors[0]!
        if (e.path !== input.path) return `error at ${e.path}, not ${input.path}: ${e.message}`
        if (!/cannot be handled as a \w+: (json: cannot unmarshal |quantities must match|unable to parse quantity|parsing time)/.test(e.message)) return `not a decoding error: ${e.message}`
        return undefined
      })
    }
    expect(failures).toEqual([])
  }, 60_000)

  it('answers the cases found by review exactly as upstream does', () => {
    const failures: string[] = []
    for (const c of KNOWN_CASES) {
      refusedCleanly(sim, failures, c.name, () => sim.apply(c.input as object), (r) =>
        (typeof c.message === 'string' ? r.message === c.message : c.message.test(r.message!)) ? undefined : `said ${JSON.stringify(r.message)}`)
    }
    expect(failures).toEqual([])
  })

  it('withstands YAML made to exhaust or confuse the parser, and still reads legitimate anchors', () => {
    const failures: string[] = []
    for (const c of YAML_ATTACKS) {
      refusedCleanly(sim, failures, c.name, () => sim.apply(c.input as string), (r) =>
        (typeof c.message === 'string' ? r.message === c.message : c.message.test(r.message!)) ? undefined : `said ${JSON.stringify(r.message)}`)
    }
    const fine = createSimulation({ seed: 2, workers: 0 })
    for (const c of YAML_FINE) {
      const r = attempt(failures, c.name, () => fine.apply(c.input))
      if (r && !r.ok) failures.push(`${c.name}: refused with ${r.message}`)
      else if (r) figures.accepted++
    }
    expect(failures).toEqual([])
    expect(fine.get('ConfigMap', 'default', 'hundred')!['data']).toMatchObject({ k99: 'value' })
    expect(fine.get('ConfigMap', 'default', 'merged')!.metadata.annotations).toMatchObject({ app: 'web', note: 'x' })
  }, 60_000)

  it('answers wrong arguments to every API call with an error or nothing, never a throw, changing nothing', () => {
    const failures: string[] = []
    const huge = 'x'.repeat(1_000_000)
    const empty = {}
    const weird: unknown[] = [null, undefined, 0, -1, 1.5, NaN, Infinity, -Infinity, 8.64e15, empty, [], [null], huge, MARKUP, '', true, () => 1, Symbol('s'), 10n, new Date(0)]
    const any = new Set(weird)
    /** method -> valid arguments; each position is tried with every weird value that is not valid there. */
    const calls: [keyof Simulation, unknown[], Set<unknown>[]][] = [
      ['apply', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'never' } }], []],
      ['delete', ['pod', 'default', 'nope'], [new Set(), new Set([undefined])]],
      ['scale', ['default', 'web', 3], [new Set(), new Set(), new Set([0])]],
      ['advance', [1], [new Set([0, 1.5])]],
      ['list', ['pods', 'default'], [new Set(), new Set([undefined])]],
      ['get', ['pod', 'default', 'client'], [new Set(), new Set([undefined])]],
      ['kubectlGet', ['pods', {}], [new Set(), new Set([undefined, empty])]],
      ['table', ['pods', {}], [new Set(), new Set([undefined, empty])]],
      ['yaml', ['pod', 'default', 'client'], [new Set(), new Set([undefined])]],
      ['iptablesSave', ['worker-1'], []],
      ['ruleCount', ['worker-1'], []],
      ['env', ['default/client'], []],
      ['resolvConf', ['default/client'], []],
      ['resolve', ['default/nope', 'web', 'A'], [new Set(), new Set(), new Set()]],
      ['connect', ['default/nope', 'web:80', {}], [new Set(), new Set(), new Set()]],
      ['recentEvents', [5, {}], [new Set(), any]],
      ['eventsSince', [0, {}], [new Set(), any]],
      ['events', [{}], [any]],
    ]
    for (const [method, valid, skip] of calls) {
      for (let i = 0; i < valid.length; i++) {
        for (const value of weird) {
          if (skip[i]?.has(value)) continue
          const args = [...valid]
          args[i] = value
          const label = `${String(method)}(${args.map((a) => (typeof a === 'string' && a.length > 20 ? `"${a.slice(0, 8)}…"` : typeof a === 'symbol' || typeof a === 'bigint' ? typeof a : JSON.stringify(a) ?? String(a))).join(', ')})`
          const state = sim.state
          const runtime = runtimeFingerprint(sim)
          const r = attempt(failures, label, () => (sim[method] as (...a: unknown[]) => unknown)(...args))
          if (sim.state !== state || runtimeFingerprint(sim) !== runtime) {
            figures.stateChanges++
            failures.push(`${label}: changed the cluster`)
          }
          if (r && typeof r === 'object' && 'ok' in r && (r as { ok: boolean }).ok === true) {
            failures.push(`${label}: succeeded`)
            continue
          }
          // An error is a command's message, a lookup's or connection's reason, or kubectl's printed error line.
          const text = typeof r === 'string' ? r : r && typeof r === 'object' ? ((r as { message?: string; reason?: string; error?: string }).message ?? (r as { error?: string }).error ?? (r as { reason?: string }).reason) : undefined
          if (text !== undefined && /^(error: |error validating data: |Error from server|resource mapping|The \w+ ")/.test(text)) {
            figures.refused++
            figures.clearErrors++
          } else if (r === undefined || (Array.isArray(r) && (r.length === 0 || method.toString().includes('vent')))) figures.emptyReads++
          else failures.push(`${label}: answered ${JSON.stringify(r)?.slice(0, 200)}`)
        }
      }
    }
    for (const name of ['settle', 'dnsRecords', 'unsimulated'] as const) attempt(failures, name, () => sim[name](), false)
    expect(failures).toEqual([])
  })

  it('takes null, markup and huge values as upstream does: refused clearly, or accepted into a cluster that keeps working', () => {
    const failures: string[] = []
    const cluster = createSimulation({ seed: 3, workers: 1 })
    for (const input of fieldInputs().filter((i) => !i.refused)) {
      const label = `${input.kind} ${input.path} (${input.variant})`
      const state = cluster.state
      const runtime = runtimeFingerprint(cluster)
      const r = attempt(failures, label, () => cluster.apply(input.object))
      if (!r) continue
      if (!r.ok) {
        figures.refused++
        if (cluster.state !== state || runtimeFingerprint(cluster) !== runtime) {
          figures.stateChanges++
          failures.push(`${label}: changed the cluster`)
        }
        if (isClear(r) && r.errors.every((e) => e.path !== '' || /^(error|Error from server)/.test(e.message))) figures.clearErrors++
        else failures.push(`${label}: unclear message ${JSON.stringify(r.message)}`)
        continue
      }
      figures.accepted++
      // What was accepted must not break anything later: time passes, kubectl prints it, and it can be deleted.
      const { kind } = input
      const ns = kind === 'Node' || kind === 'Namespace' ? undefined : 'default'
      const name = r.applied[0]!.name
      attempt(failures, `${label}: advance`, () => {
        const a = cluster.advance(3000)
        if (!a.ok) throw new Error(a.message)
      }, false)
      attempt(failures, `${label}: kubectl get`, () => cluster.kubectlGet(kind, { allNamespaces: true }), false)
      attempt(failures, `${label}: -o yaml`, () => {
        if (!cluster.yaml(kind, ns, name)) throw new Error('no yaml')
      }, false)
      attempt(failures, `${label}: delete`, () => {
        const d = cluster.delete(kind, ns, name)
        if (!d.ok) throw new Error(d.message)
      }, false)
      attempt(failures, `${label}: after delete`, () => {
        if (!cluster.settle().settled) throw new Error('did not settle')
      }, false)
    }
    expect(failures).toEqual([])
    expect(cluster.connect('kube-system/' + cluster.list('Pod', 'kube-system').find((p) => p.metadata.name.startsWith('coredns-'))!.metadata.name, '10.96.0.1:443').ok).toBe(true)
  }, 60_000)

  it('keeps working around what upstream accepts and is easy to get wrong downstream: no throw, no false success', () => {
    const failures: string[] = []
    const cluster = webCluster({ seed: 5 })
    for (const [i, c] of ACCEPTED_CASES.entries()) {
      // Each case's Pods and Deployments get names of their own.
      const input = (c.input as { kind: string; metadata: { name: string } }[]).map((o) => (o.kind === 'Pod' || o.kind === 'Deployment' ? { ...o, metadata: { ...o.metadata, name: `case-${i}` } } : o))
      const r = attempt(failures, c.name, () => cluster.apply(input))
      if (!r) continue
      if (!r.ok) {
        failures.push(`${c.name}: refused with ${r.message}`)
        continue
      }
      figures.accepted++
      attempt(failures, `${c.name}: advance`, () => cluster.advance(5000), false)
      for (const [target, reachable] of [['web:80', true], ['v6:80', false]] as const) {
        const conn = attempt(failures, `${c.name}: connect ${target}`, () => cluster.connect('default/client', target), false)
        if (conn && conn.ok !== reachable && cluster.get('Service', 'default', target.split(':')[0]!)) failures.push(`${c.name}: connect ${target} ${conn.ok ? `succeeded to ${conn.endpoint}` : `failed: ${conn.reason}`}`)
      }
      const dns = attempt(failures, `${c.name}: resolve`, () => cluster.resolve('default/client', 'web', 'A'), false)
      if (dns && dns.answers.some((a) => !/^\d+\.\d+\.\d+\.\d+$/.test(a.data))) failures.push(`${c.name}: an A record of ${dns.answers.map((a) => a.data).join(', ')}`)
      for (const node of cluster.list('Node')) attempt(failures, `${c.name}: rules of ${node.metadata.name}`, () => cluster.kubeProxyRules(node.metadata.name), false)
      attempt(failures, `${c.name}: kubectl`, () => ['pods', 'svc', 'endpointslices', 'ep', 'deploy'].map((k) => cluster.kubectlGet(k, { allNamespaces: true })), false)
    }
    const deletable = cluster.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('case-'))
    for (const p of deletable) attempt(failures, 'delete p', () => cluster.delete('pod', 'default', p.metadata.name), false)
    expect(cluster.advance(60_000).ok).toBe(true)
    expect(failures).toEqual([])
  }, 60_000)

  it('left no trace: the cluster that was refused all of this is the cluster that saw none of it', () => {
    for (const s of [sim, twin]) {
      s.scale('default', 'web', 4)
      s.advance(15_000)
      s.connect('default/client', 'web:80')
    }
    expect(observe(sim)).toBe(observe(twin))
  })
})
