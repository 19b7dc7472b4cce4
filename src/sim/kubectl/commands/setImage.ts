import type { CommandResult } from '../../commands/results'
import { kindOf } from '../../commands/deleteObject'
import type { Deployment } from '../../model/workloads'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { namespaceOf, refusal, type KubectlCommand } from './command'

function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  const [target, ...pairs] = p.args
  if (!target) return fail('error: one or more resources must be specified as <resource> <name> or <resource>/<name>')
  let resource = target
  let name: string | undefined
  let rest = pairs
  if (target.includes('/')) [resource, name] = target.split('/', 2) as [string, string]
  else [name, ...rest] = pairs
  if (!name) return fail('error: one or more resources must be specified as <resource> <name> or <resource>/<name>')
  if (rest.length === 0 || rest.some((r) => !r.includes('='))) return fail('error: at least one image update is required')
  if (kindOf(ctx.host.state, resource) !== 'Deployment') return fail(`error: setting images of "${resource}" is not simulated: set a Deployment's image`)
  const ns = namespaceOf(ctx, p)
  const d = ctx.host.get('Deployment', ns, name) as Deployment | undefined
  if (!d) return fail(`Error from server (NotFound): deployments.apps "${name}" not found`)
  for (const pair of rest) {
    const [container, image] = pair.split('=', 2) as [string, string]
    const names = container === '*' ? d.spec.template.spec.containers.map((c) => c.name) : [container]
    for (const c of names) {
      if (!d.spec.template.spec.containers.some((x) => x.name === c)) return fail(`error: unable to find container named "${c}"`)
      const result = ctx.dispatch({ type: 'setImage', namespace: ns, name, container: c, image }) as CommandResult
      if (!result.ok) return refusal(result)
    }
  }
  return { exitCode: 0, stdout: `deployment.apps/${name} image updated\n`, stderr: '' }
}

/** kubectl set image deployment/web web=nginx:1.28: a new ReplicaSet, rolled out. */
export const setImageCommand: KubectlCommand = { name: 'set image', flags: [], run }
