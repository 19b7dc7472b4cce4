import { BUILTIN_KINDS } from '../../model/kinds'
import { ok, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { formatTable } from '../printers'
import type { KubectlCommand } from './command'

/** The API server's discovery as `kubectl api-resources` prints it: by group (core first), then by name. */
function run(_ctx: CommandContext, p: ParsedFlags): RunResult {
  const namespaced = p.flags['namespaced']
  const kinds = BUILTIN_KINDS.filter((k) => namespaced === undefined || k.namespaced === namespaced)
    .map((k) => ({ ...k, apiVersion: k.group ? `${k.group}/${k.versions[k.versions.length - 1]}` : k.versions[0]! }))
    .sort((a, b) => (a.group === b.group ? (a.plural < b.plural ? -1 : 1) : a.group === '' ? -1 : b.group === '' ? 1 : a.group < b.group ? -1 : 1))
  if (p.flags['output'] === 'name') return ok(kinds.map((k) => `${k.plural}${k.group ? `.${k.group}` : ''}\n`).join(''))
  return ok(formatTable({ headers: ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], rows: kinds.map((k) => [k.plural, k.shortNames.join(','), k.apiVersion, String(k.namespaced), k.kind]) }))
}

/** kubectl api-resources [--namespaced=true|false] [-o name]. */
export const apiResourcesCommand: KubectlCommand = { name: 'api-resources', flags: [{ name: 'namespaced', type: 'bool' }, { name: 'output', short: 'o', type: 'string' }], run }
