import { kindOf, noResourceType } from '../../commands/deleteObject'
import { builtinKind, pluralName } from '../../model/kinds'
import type { KubeObject } from '../../model/meta'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import { describeObject, DESCRIBED_KINDS } from '../describe/describe'
import type { ParsedFlags } from '../flags'
import { parseLabelSelector } from '../labelSelector'
import { ENDPOINTS_DEPRECATED, namespaceOf, resourceArgs, type KubectlCommand } from './command'

/** kubectl describe TYPE [NAME...] | TYPE/NAME [-l selector] [-A]: computed in the engine, as kubectl's describers print. */
function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  if (p.args.length === 0) return fail('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.')
  const r = resourceArgs(ctx, p.args)
  if (!r.ok) return fail(r.error)
  const resource = p.args[0]!.includes('/') ? p.args[0]!.split('/')[0]! : p.args[0]!
  const ns = namespaceOf(ctx, p)
  const all = p.flags['all-namespaces'] === true
  const found: KubeObject[] = []
  const errors: string[] = []
  const items = r.items.length ? r.items : [{ resource, name: '' }]
  for (const item of items) {
    const kind = kindOf(ctx.host.state, item.resource)
    if (!kind) return fail(noResourceType(item.resource))
    if (!DESCRIBED_KINDS.includes(kind)) return fail(`error: describing a ${kind} is not simulated; describe one of: ${DESCRIBED_KINDS.map((k: string) => pluralName(k)).join(', ')}`)
    const clusterScoped = builtinKind(kind)?.namespaced === false
    if (item.name) {
      const o = ctx.host.get(kind, clusterScoped ? undefined : ns, item.name)
      // DescribeMatchingResources: a name that is no object's describes every object whose name begins with it.
      const matching = o ? [o] : ctx.host.list(kind, clusterScoped ? undefined : ns).filter((x) => x.metadata.name.startsWith(item.name))
      if (matching.length) found.push(...matching)
      else errors.push(`Error from server (NotFound): ${pluralName(kind)} "${item.name}" not found`)
      continue
    }
    let list = ctx.host.list(kind, clusterScoped || all ? undefined : ns)
    if (typeof p.flags['selector'] === 'string') {
      const s = parseLabelSelector(p.flags['selector'])
      if (!s.ok) return fail(s.error)
      list = list.filter((o) => s.matches(o.metadata.labels))
    }
    found.push(...list)
  }
  if (found.length === 0 && errors.length === 0) return { exitCode: 0, stdout: '', stderr: all ? 'No resources found\n' : `No resources found in ${ns} namespace.\n` }
  const events = ctx.host.events()
  const texts = found.map((o) => describeObject(ctx.host.state, events, o.kind, o, ctx.host.now))
  // kubectl separates several descriptions with a blank line.
  const warning = found.some((o) => o.kind === 'Endpoints') ? ENDPOINTS_DEPRECATED : ''
  return { exitCode: errors.length ? 1 : 0, stdout: texts.join('\n\n'), stderr: warning + errors.map((e) => `${e}\n`).join(''), ...(warning ? { stderrFirst: true } : {}) }
}

/** kubectl describe. */
export const describeCommand: KubectlCommand = {
  name: 'describe',
  flags: [
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'show-events', type: 'bool' },
  ],
  run,
}
