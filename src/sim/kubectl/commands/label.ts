import type { CommandResult } from '../../commands/results'
import { kindOf, noResourceType } from '../../commands/deleteObject'
import { builtinKind, pluralName, singularName } from '../../model/kinds'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { namespaceOf, refusal, type KubectlCommand } from './command'

type Field = 'labels' | 'annotations'

/** kubectl label / annotate: `key=value` sets (refused over an existing value without --overwrite), `key-` removes. */
function edit(field: Field) {
  const done = field === 'labels' ? 'labeled' : 'annotated'
  return (ctx: CommandContext, p: ParsedFlags): RunResult => {
    const args = [...p.args]
    const updates = args.filter((a) => a.includes('=') || a.endsWith('-'))
    const resources = args.filter((a) => !updates.includes(a))
    if (resources.length === 0) return fail('error: one or more resources must be specified as <resource> <name> or <resource>/<name>')
    if (updates.length === 0) return fail(`error: at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`)
    if (!resources[0]!.includes('/') && resources.length < 2) return fail('error: one or more resources must be specified as <resource> <name> or <resource>/<name>')
    const targets = resources[0]!.includes('/') ? resources.map((r) => r.split('/', 2) as [string, string]) : resources.slice(1).map((n) => [resources[0]!, n] as [string, string])
    const ns = namespaceOf(ctx, p)
    let stdout = ''
    for (const [resource, name] of targets) {
      const kind = kindOf(ctx.host.state, resource)
      if (!kind) return fail(noResourceType(resource))
      const obj = ctx.host.get(kind, ns, name)
      if (!obj) return fail(`Error from server (NotFound): ${pluralName(kind)} "${name}" not found`)
      const current = { ...(obj.metadata[field] ?? {}) }
      const patch: Record<string, string | null> = {}
      for (const u of updates) {
        if (u.endsWith('-') && !u.includes('=')) {
          const key = u.slice(0, -1)
          if (key in current) patch[key] = null
          continue
        }
        const eq = u.indexOf('=')
        const key = u.slice(0, eq)
        const value = u.slice(eq + 1)
        if (key in current && current[key] !== value && p.flags['overwrite'] !== true) return fail(`error: '${key}' already has a value (${current[key]}), and --overwrite is false`)
        if (current[key] !== value) patch[key] = value
      }
      const label = `${singularName(kind)}/${name}`
      if (Object.keys(patch).length === 0) {
        stdout += `${label} not ${done}\n`
        continue
      }
      const info = builtinKind(kind)
      const result = ctx.dispatch({ type: 'patch', kind, ...(info?.namespaced === false ? {} : { namespace: ns }), name, patch: { metadata: { [field]: patch } } }) as CommandResult
      if (!result.ok) return refusal(result)
      stdout += `${label} ${done}\n`
    }
    return { exitCode: 0, stdout, stderr: '' }
  }
}

/** kubectl label TYPE NAME key=value [key-] [--overwrite]. */
export const labelCommand: KubectlCommand = { name: 'label', flags: [{ name: 'overwrite', type: 'bool' }], run: edit('labels') }

/** kubectl annotate TYPE NAME key=value [key-] [--overwrite]. */
export const annotateCommand: KubectlCommand = { name: 'annotate', flags: [{ name: 'overwrite', type: 'bool' }], run: edit('annotations') }
