import { isControlPlane, nodeInternalIP, type Node } from '../../model/node'
import { ok, type CommandContext, type RunResult } from '../../shell/types'
import type { KubectlCommand } from './command'

/**
 * kubectl cluster-info: the API server's address and the Services labelled kubernetes.io/cluster-service=true (kube-dns,
 * with its first port's proxy path), as kubeadm's cluster shows them.
 */
function run(ctx: CommandContext): RunResult {
  const cp = ctx.host.list('Node').find((n) => isControlPlane(n as Node)) as Node | undefined
  const server = `https://${cp ? nodeInternalIP(cp) : '127.0.0.1'}:6443`
  const lines = [`Kubernetes control plane is running at ${server}`]
  for (const svc of ctx.host.list('Service', 'kube-system')) {
    if (svc.metadata.labels?.['kubernetes.io/cluster-service'] !== 'true') continue
    const name = svc.metadata.labels['kubernetes.io/name'] ?? svc.metadata.name
    const port = ((svc as { spec?: { ports?: { name?: string }[] } }).spec?.ports ?? [])[0]?.name
    lines.push(`${name} is running at ${server}/api/v1/namespaces/kube-system/services/${svc.metadata.name}${port ? `:${port}` : ''}/proxy`)
  }
  return ok(`${lines.join('\n')}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`)
}

/** kubectl cluster-info. */
export const clusterInfoCommand: KubectlCommand = { name: 'cluster-info', flags: [], run }
