import type { CommandResult } from '../../commands/results'
import { kindOf, noResourceType } from '../../commands/deleteObject'
import { parseManifest } from '../../manifests/yaml'
import type { KubeObject } from '../../model/meta'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { parseLabelSelector } from '../labelSelector'
import { NO_RESOURCE, namespaceOf, refusal, resourceArgs, type KubectlCommand } from './command'
import { readManifest } from './manifestInput'

function targets(ctx: CommandContext, p: ParsedFlags): { ok: true; list: { resource: string; namespace: string; name: string }[] } | { ok: false; error: string } {
  const ns = namespaceOf(ctx, p)
  const files = p.flags['filename'] as string[] | undefined
  if (files?.length) {
    const input = readManifest(ctx, files)
    if (!input.ok) return input
    const parsed = parseManifest(input.text)
    if (!parsed.ok) return { ok: false, error: `error: error parsing ${files.join(',')}: ${parsed.message}\n` }
    return { ok: true, list: parsed.documents.map((d) => d.object as KubeObject).filter((o) => o?.kind).map((o) => ({ resource: o.kind, namespace: o.metadata?.namespace ?? ns, name: o.metadata?.name })) }
  }
  const selector = p.flags['selector']
  if (typeof selector === 'string' || p.flags['all'] === true) {
    if (p.args.length !== 1) return { ok: false, error: NO_RESOURCE }
    const out: { resource: string; namespace: string; name: string }[] = []
    for (const resource of p.args[0]!.split(',')) {
      const kind = kindOf(ctx.host.state, resource)
      if (!kind) return { ok: false, error: `${noResourceType(resource)}\n` }
      let matches = (_l: KubeObject['metadata']['labels']) => true
      if (typeof selector === 'string') {
        const s = parseLabelSelector(selector)
        if (!s.ok) return { ok: false, error: `${s.error}\n` }
        matches = s.matches
      }
      for (const o of ctx.host.list(kind, ns)) if (matches(o.metadata.labels)) out.push({ resource: kind, namespace: ns, name: o.metadata.name })
    }
    return { ok: true, list: out }
  }
  const r = resourceArgs(ctx, p.args)
  if (!r.ok) return r
  if (r.items.length === 0) return { ok: false, error: p.args.length === 1 ? `error: resource(s) were provided, but no name was specified\n` : NO_RESOURCE }
  return { ok: true, list: r.items.map((i) => ({ ...i, namespace: ns })) }
}

function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  const t = targets(ctx, p)
  if (!t.ok) return fail(t.error)
  if (t.list.length === 0) return { exitCode: 0, stdout: '', stderr: 'No resources found\n' }
  let stdout = ''
  let stderr = ''
  for (const { resource, namespace, name } of t.list) {
    const result = ctx.dispatch({ type: 'delete', kind: resource, namespace, name }) as CommandResult
    if (!result.ok) {
      if (p.flags['ignore-not-found'] === true && /NotFound/.test(result.message ?? '')) continue
      stderr += refusal(result).stderr
      continue
    }
    stdout += result.applied.map((a) => `${a.message}\n`).join('')
  }
  return { exitCode: stderr ? 1 : 0, stdout, stderr }
}

/** kubectl delete TYPE NAME | TYPE/NAME | -f FILE | TYPE -l SELECTOR | TYPE --all. Pods terminate gracefully. */
export const deleteCommand: KubectlCommand = {
  name: 'delete',
  flags: [
    { name: 'filename', short: 'f', type: 'strings' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'all', type: 'bool' },
    { name: 'ignore-not-found', type: 'bool' },
    { name: 'wait', type: 'bool' },
    { name: 'now', type: 'bool' },
  ],
  run,
}
