import type { CommandResult } from '../../commands/results'
import { kindOf } from '../../commands/deleteObject'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { NO_RESOURCE, namespaceOf, refusal, requiredFlag, resourceArgs, type KubectlCommand } from './command'

function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  const r = resourceArgs(ctx, p.args)
  if (!r.ok) return fail(r.error)
  if (r.items.length === 0) return fail(NO_RESOURCE)
  if (p.flags['replicas'] === undefined) return requiredFlag(ctx, 'replicas')
  const replicas = p.flags['replicas'] as number
  const out: string[] = []
  for (const { resource, name } of r.items) {
    const kind = kindOf(ctx.host.state, resource)
    if (kind !== 'Deployment' && kind !== 'ReplicaSet') return fail(kind ? `error: no scaler has been implemented for {"" "${kind}"}` : `error: the server doesn't have a resource type "${resource}"`)
    if (kind === 'ReplicaSet') return fail('error: scaling a ReplicaSet directly is not simulated: scale its Deployment')
    if (replicas < 0) return fail('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0')
    const result = ctx.dispatch({ type: 'scale', namespace: namespaceOf(ctx, p), name, replicas }) as CommandResult
    if (!result.ok) return refusal(result)
    out.push(`deployment.apps/${name} scaled\n`)
  }
  return { exitCode: 0, stdout: out.join(''), stderr: '' }
}

/** kubectl scale deployment web --replicas=5. */
export const scaleCommand: KubectlCommand = { name: 'scale', flags: [{ name: 'replicas', type: 'int' }], run }
