import type { CommandResult } from '../../commands/results'
import { kindOf } from '../../commands/deleteObject'
import { revisionOf } from '../../controllers/deploymentUtil'
import { controllerOf } from '../../model/meta'
import type { Deployment, ReplicaSet } from '../../model/workloads'
import { toTimestamp } from '../../runtime/time'
import { fail, ok, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { namespaceOf, refusal, resourceArgs, type KubectlCommand } from './command'

type Found = { ok: true; d: Deployment; ns: string } | { ok: false; result: RunResult }

/** The one Deployment a rollout command names (`deployment/web` or `deployment web`). */
function deployment(ctx: CommandContext, p: ParsedFlags): Found {
  const r = resourceArgs(ctx, p.args)
  if (!r.ok) return { ok: false, result: fail(r.error) }
  if (r.items.length === 0) return { ok: false, result: fail('error: required resource not specified') }
  const { resource, name } = r.items[0]!
  const kind = kindOf(ctx.host.state, resource)
  if (!kind) return { ok: false, result: fail(`error: the server doesn't have a resource type "${resource}"`) }
  if (kind !== 'Deployment') return { ok: false, result: fail(`error: no rollout of a ${kind} is simulated: use a Deployment`) }
  const ns = namespaceOf(ctx, p)
  const d = ctx.host.get('Deployment', ns, name) as Deployment | undefined
  if (!d) return { ok: false, result: fail(`Error from server (NotFound): deployments.apps "${name}" not found`) }
  return { ok: true, d, ns }
}

/** DeploymentStatusViewer.Status (kubectl/pkg/polymorphichelpers/rollout_status.go): one line, and whether it is done. */
export function rolloutStatusLine(d: Deployment): { text: string; done: boolean } {
  const name = d.metadata.name
  const s = d.status
  if ((d.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return { text: 'Waiting for deployment spec update to be observed...\n', done: false }
  const progressing = s.conditions?.find((c) => c.type === 'Progressing')
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { text: `error: deployment "${name}" exceeded its progress deadline\n`, done: true }
  const updated = s.updatedReplicas ?? 0
  if (updated < d.spec.replicas) return { text: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${d.spec.replicas} new replicas have been updated...\n`, done: false }
  if ((s.replicas ?? 0) > updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false }
  if ((s.availableReplicas ?? 0) < updated) return { text: `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false }
  return { text: `deployment "${name}" successfully rolled out\n`, done: true }
}

function status(ctx: CommandContext, p: ParsedFlags): RunResult {
  const f = deployment(ctx, p)
  if (!f.ok) return f.result
  const line = rolloutStatusLine(f.d)
  // kubectl keeps watching until the rollout is done (unless --watch=false): the console follows it.
  return { ...ok(line.text), ...(line.done || p.flags['watch'] === false ? {} : { follows: true }) }
}

function history(ctx: CommandContext, p: ParsedFlags): RunResult {
  const f = deployment(ctx, p)
  if (!f.ok) return f.result
  const revisions = ctx.host
    .list('ReplicaSet', f.ns)
    .filter((rs) => controllerOf(rs.metadata)?.uid === f.d.metadata.uid)
    .map((rs) => ({ rev: revisionOf(rs as ReplicaSet), cause: rs.metadata.annotations?.['kubernetes.io/change-cause'] ?? '<none>' }))
    .filter((r) => r.rev > 0)
    .sort((a, b) => a.rev - b.rev)
  // tabbedString: a tabwriter with padding 2.
  const width = Math.max('REVISION'.length, ...revisions.map((r) => String(r.rev).length)) + 2
  const rows = [`${'REVISION'.padEnd(width)}CHANGE-CAUSE`, ...revisions.map((r) => `${String(r.rev).padEnd(width)}${r.cause}`)]
  return ok(`deployment.apps/${f.d.metadata.name} \n${rows.join('\n')}\n\n`)
}

function undo(ctx: CommandContext, p: ParsedFlags): RunResult {
  const f = deployment(ctx, p)
  if (!f.ok) return f.result
  const result = ctx.dispatch({ type: 'rolloutUndo', namespace: f.ns, name: f.d.metadata.name }) as CommandResult
  if (!result.ok) return refusal(result)
  return ok(`deployment.apps/${f.d.metadata.name} rolled back\n`)
}

function restart(ctx: CommandContext, p: ParsedFlags): RunResult {
  const f = deployment(ctx, p)
  if (!f.ok) return f.result
  const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': toTimestamp(ctx.host.now) } } } } }
  const result = ctx.dispatch({ type: 'patch', kind: 'Deployment', namespace: f.ns, name: f.d.metadata.name, patch }) as CommandResult
  if (!result.ok) return refusal(result)
  return ok(`deployment.apps/${f.d.metadata.name} restarted\n`)
}

/** kubectl rollout status | history | undo | restart, for Deployments. */
export const rolloutCommands: Readonly<Record<string, KubectlCommand>> = {
  'rollout status': { name: 'rollout status', flags: [{ name: 'watch', short: 'w', type: 'bool' }], run: status },
  'rollout history': { name: 'rollout history', flags: [], run: history },
  'rollout undo': { name: 'rollout undo', flags: [], run: undo },
  'rollout restart': { name: 'rollout restart', flags: [], run: restart },
}
