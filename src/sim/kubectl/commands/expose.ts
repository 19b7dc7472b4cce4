import type { CommandResult } from '../../commands/results'
import { kindOf } from '../../commands/deleteObject'
import type { Service } from '../../model/service'
import type { Pod } from '../../model/pod'
import type { Deployment, ReplicaSet } from '../../model/workloads'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { NO_RESOURCE, namespaceOf, refusal, resourceArgs, type KubectlCommand } from './command'

/**
 * kubectl expose deployment web --port=80 [--target-port=8080] [--type=NodePort] [--name=x]: a Service selecting what
 * the Deployment selects, with the object's labels, its ports taken from the pod template when --port is not given.
 */
function run(ctx: CommandContext, p: ParsedFlags): RunResult {
  const r = resourceArgs(ctx, p.args)
  if (!r.ok) return fail(r.error)
  if (r.items.length === 0) return fail(NO_RESOURCE)
  const { resource, name } = r.items[0]!
  const ns = namespaceOf(ctx, p)
  const kind = kindOf(ctx.host.state, resource)
  if (!kind) return fail(`error: the server doesn't have a resource type "${resource}"`)
  const obj = ctx.host.get(kind, ns, name)
  if (!obj) return fail(`Error from server (NotFound): ${kind === 'Deployment' ? 'deployments.apps' : kind === 'ReplicaSet' ? 'replicasets.apps' : `${kind.toLowerCase()}s`} "${name}" not found`)
  let selector: Record<string, string> | undefined
  let containerPorts: { containerPort: number; protocol?: string; name?: string }[] = []
  if (kind === 'Deployment' || kind === 'ReplicaSet') {
    const w = obj as Deployment | ReplicaSet
    if (w.spec.selector.matchExpressions?.length) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the ${kind === 'Deployment' ? 'deployment' : 'replica set'} has match expressions, which expose cannot turn into a Service selector`)
    selector = { ...w.spec.selector.matchLabels }
    containerPorts = w.spec.template.spec.containers.flatMap((c) => c.ports ?? [])
  } else if (kind === 'Pod') {
    const pod = obj as Pod
    if (!pod.metadata.labels || Object.keys(pod.metadata.labels).length === 0) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the pod has no labels and cannot be exposed`)
    selector = { ...pod.metadata.labels }
    containerPorts = pod.spec.containers.flatMap((c) => c.ports ?? [])
  } else if (kind === 'Service') {
    selector = (obj as Service).spec.selector ? { ...(obj as Service).spec.selector } : undefined
    containerPorts = ((obj as Service).spec.ports ?? []).map((x) => ({ containerPort: x.port, protocol: x.protocol }))
  } else return fail(`error: cannot expose a ${kind}`)
  const port = p.flags['port'] as string | undefined
  const target = p.flags['target-port'] as string | undefined
  const protocol = (p.flags['protocol'] as string | undefined) ?? 'TCP'
  const toTarget = (t: string) => (/^\d+$/.test(t) ? Number(t) : t)
  let ports: object[]
  if (port !== undefined) {
    if (!/^\d+$/.test(port)) return fail(`error: invalid port: ${port}`)
    ports = [{ port: Number(port), protocol, targetPort: toTarget(target ?? port) }]
  } else {
    if (containerPorts.length === 0) return fail(`error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples`)
    ports = containerPorts.map((c, i) => ({ ...(containerPorts.length > 1 ? { name: `port-${i + 1}` } : {}), port: c.containerPort, protocol: c.protocol ?? 'TCP', targetPort: target ? toTarget(target) : c.containerPort }))
  }
  const type = p.flags['type'] as string | undefined
  const serviceName = (p.flags['name'] as string | undefined) ?? name
  const manifest = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...(obj.metadata.labels ? { labels: obj.metadata.labels } : {}), name: serviceName, namespace: ns },
    spec: { ports, ...(selector ? { selector } : {}), ...(type ? { type } : {}) },
  }
  const result = ctx.dispatch({ type: 'create', manifest }) as CommandResult
  if (!result.ok) return refusal(result)
  return { exitCode: 0, stdout: `service/${serviceName} exposed\n`, stderr: '' }
}

/** kubectl expose: a Service for a Deployment, ReplicaSet, Pod or Service. */
export const exposeCommand: KubectlCommand = {
  name: 'expose',
  flags: [
    { name: 'port', type: 'string' },
    { name: 'target-port', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'protocol', type: 'string' },
  ],
  run,
}
