import type { CommandResult } from '../../commands/results'
import type { Node } from '../../model/node'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { refusal, usage, type KubectlCommand } from './command'

/** --dry-run as kubectl reads it: none (the default) or client; the engine has no server-side dry run. */
export function dryRunOf(p: ParsedFlags): { ok: true; client: boolean } | { ok: false; result: RunResult } {
  const v = p.flags['dry-run']
  if (v === undefined || v === 'none') return { ok: true, client: false }
  if (v === 'client') return { ok: true, client: true }
  if (v === 'server') return { ok: false, result: fail('error: --dry-run=server: this simulator has no server-side dry run; use --dry-run=client') }
  return { ok: false, result: fail(`error: Invalid dry-run value (${String(v)}). Must be "none", "server", or "client".`) }
}

/**
 * The nodes the arguments name (`worker-1`, `node/worker-1`), every one looked up before anything is changed, as
 * kubectl's resource builder does: the first missing one is the error, and nothing is cordoned.
 */
export function nodesNamed(ctx: CommandContext, path: string, args: readonly string[]): { ok: true; nodes: Node[] } | { ok: false; result: RunResult } {
  if (args.length === 0) return { ok: false, result: usage(path, `USAGE: ${path} NODE [flags]`) }
  const nodes: Node[] = []
  for (const arg of args) {
    const name = arg.replace(/^(nodes?|no)\//, '')
    const node = ctx.host.get('Node', undefined, name) as Node | undefined
    if (!node) return { ok: false, result: fail(`Error from server (NotFound): nodes "${name}" not found`) }
    nodes.push(node)
  }
  return { ok: true, nodes }
}

/**
 * Sets spec.unschedulable on each node as kubectl's cordon helper does: a patch only where the value changes
 * (`node/worker-1 cordoned`), else `already cordoned`. Uncordoning removes the field, as the two-way merge patch of
 * a false (omitempty) value does.
 */
export function setUnschedulable(ctx: CommandContext, nodes: readonly Node[], desired: boolean, dryRun: boolean): RunResult {
  const verb = desired ? 'cordoned' : 'uncordoned'
  const suffix = dryRun ? ' (dry run)' : ''
  let stdout = ''
  let stderr = ''
  for (const node of nodes) {
    const name = node.metadata.name
    if ((node.spec.unschedulable === true) === desired) {
      stdout += `node/${name} already ${verb}${suffix}\n`
      continue
    }
    if (!dryRun) {
      const result = ctx.dispatch({ type: 'patch', kind: 'Node', name, patch: { spec: { unschedulable: desired ? true : null } } }) as CommandResult
      if (!result.ok) {
        stderr += `error: unable to ${desired ? 'cordon' : 'uncordon'} node "${name}": ${refusal(result).stderr}`
        continue
      }
    }
    stdout += `node/${name} ${verb}${suffix}\n`
  }
  // kubectl reports a node it could not patch and goes on; the command itself succeeds.
  return { exitCode: 0, stdout, stderr }
}

function cordonOrUncordon(path: 'cordon' | 'uncordon', desired: boolean) {
  return (ctx: CommandContext, p: ParsedFlags): RunResult => {
    if (p.args.length === 0) return usage(path, `USAGE: ${path} NODE [flags]`)
    const dryRun = dryRunOf(p)
    if (!dryRun.ok) return dryRun.result
    const found = nodesNamed(ctx, path, p.args)
    if (!found.ok) return found.result
    return setUnschedulable(ctx, found.nodes, desired, dryRun.client)
  }
}

const flags = [{ name: 'dry-run', type: 'string' }] as const

/** kubectl cordon NODE...: the scheduler places no new pod there; what runs stays. */
export const cordonCommand: KubectlCommand = { name: 'cordon', flags, run: cordonOrUncordon('cordon', true) }

/** kubectl uncordon NODE...: the node takes new pods again. */
export const uncordonCommand: KubectlCommand = { name: 'uncordon', flags, run: cordonOrUncordon('uncordon', false) }
