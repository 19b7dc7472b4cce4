import type { Pod } from '../../model/pod'
import { fromTimestamp, CLUSTER_EPOCH_MS } from '../../runtime/time'
import { fail, ok, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { namespaceOf, type KubectlCommand } from './command'

/** What nginx's image entrypoint prints at start (docker-entrypoint.sh and nginx's notices), at the container's start time. */
function nginxStart(startedAt: number): string {
  const t = new Date(CLUSTER_EPOCH_MS + startedAt).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '').replace(/-/g, '/')
  return [
    '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
    '10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)',
    '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
    '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    `${t} [notice] 1#1: using the "epoll" event method`,
    `${t} [notice] 1#1: nginx/1.27.5`,
    `${t} [notice] 1#1: start worker processes`,
    '',
  ].join('\n')
}

function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  const target = p.args[0]
  if (!target) return fail(`error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples`)
  const name = target.replace(/^(pod|pods|po)\//, '')
  const ns = namespaceOf(ctx, p)
  const pod = ctx.host.get('Pod', ns, name) as Pod | undefined
  if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found`)
  const status = pod.status.containerStatuses?.[0]
  const running = status?.state['running'] as { startedAt?: string } | undefined
  if (!running?.startedAt) return fail(`Error from server (BadRequest): container "${pod.spec.containers[0]?.name}" in pod "${name}" is waiting to start: ContainerCreating`)
  const image = pod.spec.containers[0]?.image ?? ''
  return ok(image.includes('nginx') ? nginxStart(fromTimestamp(running.startedAt)) : '')
}

/** kubectl logs POD: what the container wrote since it started (nginx's start-up lines for nginx images). */
export const logsCommand: KubectlCommand = { name: 'logs', flags: [{ name: 'container', short: 'c', type: 'string' }, { name: 'follow', short: 'f', type: 'bool' }, { name: 'tail', type: 'int' }], run }
