import { kindOf, noResourceType } from '../../commands/deleteObject'
import { builtinKind, pluralName, singularName } from '../../model/kinds'
import type { KubeObject } from '../../model/meta'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import { printEvents } from '../events'
import type { FlagSpec, ParsedFlags } from '../flags'
import { parseLabelSelector } from '../labelSelector'
import { printObjects } from '../objectOutput'
import { formatTable, printTable } from '../printers'
import { ENDPOINTS_DEPRECATED, namespaceOf, type KubectlCommand } from './command'

const FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string' },
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'show-labels', type: 'bool' },
  { name: 'no-headers', type: 'bool' },
  { name: 'watch', short: 'w', type: 'bool' },
  { name: 'watch-only', type: 'bool' },
  { name: 'field-selector', type: 'string' },
  { name: 'sort-by', type: 'string' },
  { name: 'chunk-size', type: 'int' },
  { name: 'ignore-not-found', type: 'bool' },
]

/** kubectl's "all" category, in the order kubectl prints it. */
const ALL = ['Pod', 'ReplicationController', 'Service', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet', 'HorizontalPodAutoscaler', 'CronJob', 'Job']

const REQUIRED = `You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.

error: Required resource not specified.
Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).
See 'kubectl get -h' for help and examples
`

type Request = { kind: string; names: string[]; prefix: boolean }

/** `get pods`, `get svc,deploy`, `get pod/a svc/b`, `get pods a b`, `get all`: what to list, kind by kind. */
function requests(ctx: CommandContext, args: readonly string[]): { ok: true; list: Request[] } | { ok: false; error: string } {
  const list: Request[] = []
  const resolve = (r: string): string | undefined => kindOf(ctx.host.state, r)
  if (args[0]!.includes('/')) {
    for (const a of args) {
      const [r, name] = a.split('/', 2) as [string, string]
      if (!a.includes('/')) return { ok: false, error: `error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n` }
      const kind = resolve(r)
      if (!kind) return { ok: false, error: `${noResourceType(r)}\n` }
      const prev = list.find((q) => q.kind === kind)
      if (prev) prev.names.push(name)
      else list.push({ kind, names: [name], prefix: true })
    }
    const prefix = list.length > 1
    return { ok: true, list: list.map((q) => ({ ...q, prefix })) }
  }
  const kinds: string[] = []
  for (const r of args[0]!.split(',')) {
    if (r === 'all') {
      kinds.push(...ALL)
      continue
    }
    const kind = resolve(r)
    if (!kind) return { ok: false, error: `${noResourceType(r)}\n` }
    if (!kinds.includes(kind)) kinds.push(kind)
  }
  const many = kinds.length > 1 || args[0]!.split(',').includes('all')
  return { ok: true, list: kinds.map((kind) => ({ kind, names: [...args.slice(1)], prefix: many })) }
}

function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  if (p.args.length === 0) return fail(REQUIRED)
  const output = (p.flags['output'] as string | undefined) ?? ''
  const all = p.flags['all-namespaces'] === true
  const namespace = namespaceOf(ctx, p)
  let selector: ((l: KubeObject['metadata']['labels']) => boolean) | undefined
  if (typeof p.flags['selector'] === 'string') {
    const s = parseLabelSelector(p.flags['selector'])
    if (!s.ok) return fail(s.error)
    selector = s.matches
  }
  const r = requests(ctx, p.args)
  if (!r.ok) return fail(r.error)
  if (r.list.length === 1 && r.list[0]!.kind === 'Event' && !output) return printEvents(ctx, all ? undefined : namespace)
  const errors: string[] = []
  const found: { kind: string; objects: KubeObject[]; readonly prefix: boolean }[] = []
  for (const q of r.list) {
    const info = builtinKind(q.kind)
    const clusterScoped = info ? !info.namespaced : false
    const ns = clusterScoped || (all && q.names.length === 0) ? undefined : namespace
    let objects: KubeObject[]
    if (q.names.length) {
      objects = []
      for (const name of q.names) {
        const o = ctx.host.get(q.kind, ns, name)
        if (o) objects.push(o)
        else if (p.flags['ignore-not-found'] !== true) errors.push(`Error from server (NotFound): ${pluralName(q.kind)} "${name}" not found`)
      }
    } else objects = ctx.host.list(q.kind, ns)
    if (selector) objects = objects.filter((o) => selector(o.metadata.labels))
    // `get all` skips the kinds that have nothing to show.
    if (objects.length || !q.prefix || q.names.length) found.push({ kind: q.kind, objects, prefix: q.prefix })
  }
  // -w: the list, then (run again with `after`) the objects written since, one row each without headers, as the
  // watch's events arrive. Deletions are not shown (a watch's DELETED rows need the object's last state).
  const watching = p.flags['watch'] === true && (!output || output === 'wide')
  const after = watching && ctx.after !== undefined ? Number(ctx.after) : undefined
  if (after !== undefined) for (const f of found) f.objects = f.objects.filter((o) => Number(o.metadata.resourceVersion ?? 0) > after)
  const follow = watching ? { follows: true, resumeAfter: String(ctx.host.state.resourceVersion) } : {}
  if (after !== undefined) {
    const rows = found.filter((f) => f.objects.length).map((f) => formatTable(printTable(f.kind, f.objects, ctx.host.now, { wide: output === 'wide', allNamespaces: all && (builtinKind(f.kind)?.namespaced ?? true), showLabels: p.flags['show-labels'] === true, ...(f.prefix ? { kindPrefix: singularName(f.kind) } : {}) }), true))
    return { exitCode: 0, stdout: rows.join(''), stderr: '', ...follow }
  }
  const objects = found.flatMap((f) => f.objects)
  const errText = (r.list.some((q) => q.kind === 'Endpoints') ? ENDPOINTS_DEPRECATED : '') + errors.map((e) => `${e}\n`).join('')
  const single = r.list.length === 1 && r.list[0]!.names.length === 1 && !p.args[0]!.includes(',')
  if (output && output !== 'wide') {
    if (objects.length === 0 && !single && errors.length === 0 && output !== 'yaml' && output !== 'json') return { exitCode: 0, stdout: '', stderr: noneFound(all, namespace) }
    const printed = printObjects(objects, output, single)
    if (!printed.ok) return fail(printed.error)
    return { exitCode: errors.length ? 1 : 0, stdout: printed.text, stderr: errText }
  }
  if (objects.length === 0) return { exitCode: errors.length ? 1 : 0, stdout: '', stderr: errors.length ? errText : errText + noneFound(all, namespace), ...follow }
  const tables = found.filter((f) => f.objects.length).map((f) => {
    const info = builtinKind(f.kind)
    const table = printTable(f.kind, f.objects, ctx.host.now, {
      wide: output === 'wide',
      allNamespaces: all && (info?.namespaced ?? true),
      showLabels: p.flags['show-labels'] === true,
      ...(f.prefix ? { kindPrefix: singularName(f.kind) } : {}),
    })
    return formatTable(table, p.flags['no-headers'] === true)
  })
  // The API server's warning arrives with the list, before kubectl prints it.
  return { exitCode: errors.length ? 1 : 0, stdout: tables.join('\n'), stderr: errText, ...(errText.startsWith('Warning:') ? { stderrFirst: true } : {}), ...follow }
}

const noneFound = (all: boolean, namespace: string) => (all ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`)

/** kubectl get: tables as kubectl's server-side printers make them, or the objects as YAML, JSON, names or JSONPath. */
export const getCommand: KubectlCommand = { name: 'get', flags: FLAGS, run }
