import type { CommandResult } from '../../commands/results'
import { fail, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import { fromFiles, printOutcome } from './apply'
import { namespaceOf, requiredFlag, usage, type KubectlCommand } from './command'

const create = (ctx: CommandContext, manifest: object) => printOutcome(ctx.dispatch({ type: 'create', manifest }) as CommandResult)

/** The container name kubectl create deployment derives from an image: its last path part, without tag or digest. */
export function containerNameOf(image: string): string {
  const base = image.split('/').pop()!.split('@')[0]!.split(':')[0]!
  return base.replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '') || 'container'
}

function exactlyOneName(path: string, p: ParsedFlags): RunResult | undefined {
  return p.args.length === 1 ? undefined : usage(path, `exactly one NAME is required, got ${p.args.length}`)
}

/** kubectl create deployment NAME --image=IMAGE [--replicas=N] [--port=N], as its generator writes the object. */
function createDeployment(ctx: CommandContext, p: ParsedFlags): RunResult {
  const bad = exactlyOneName('create deployment', p)
  if (bad) return bad
  const images = p.flags['image'] as string[] | undefined
  if (!images?.length) return requiredFlag(ctx, 'image')
  const name = p.args[0]!
  const labels = { app: name }
  const port = p.flags['port'] as number | undefined
  const containers = images.map((image, i) => ({
    image,
    name: images.length > 1 ? `${containerNameOf(image)}${i ? `-${i}` : ''}` : containerNameOf(image),
    ...(port !== undefined && port >= 0 ? { ports: [{ containerPort: port }] } : {}),
    resources: {},
  }))
  return create(ctx, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels, name, namespace: namespaceOf(ctx, p) },
    spec: { replicas: (p.flags['replicas'] as number | undefined) ?? 1, selector: { matchLabels: labels }, strategy: {}, template: { metadata: { labels }, spec: { containers } } },
  })
}

/** `--tcp=80:8080` -> Service ports named "80-8080", as kubectl create service names them. */
function tcpPorts(specs: readonly string[]): { ok: true; ports: object[] } | { ok: false; error: string } {
  const ports: object[] = []
  for (const s of specs) {
    const [port, target] = s.split(':')
    const n = Number(port)
    if (!/^\d+$/.test(port ?? '') || n < 1 || n > 65535) return { ok: false, error: `error: strconv.Atoi: parsing "${port}": invalid syntax` }
    const t = target === undefined ? n : /^\d+$/.test(target) ? Number(target) : target
    ports.push({ name: `${port}-${target ?? port}`, port: n, protocol: 'TCP', targetPort: t })
  }
  return { ok: true, ports }
}

function createService(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer') {
  const sub = type.toLowerCase()
  return (ctx: CommandContext, p: ParsedFlags): RunResult => {
    const bad = exactlyOneName(`create service ${sub}`, p)
    if (bad) return bad
    const name = p.args[0]!
    const ports = tcpPorts((p.flags['tcp'] as string[] | undefined) ?? [])
    if (!ports.ok) return fail(ports.error)
    const clusterIP = p.flags['clusterip'] as string | undefined
    if (ports.ports.length === 0 && clusterIP !== 'None') return requiredFlag(ctx, 'tcp')
    const nodePort = p.flags['node-port'] as number | undefined
    const withNodePort = nodePort ? ports.ports.map((x) => ({ ...x, nodePort })) : ports.ports
    return create(ctx, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { labels: { app: name }, name, namespace: namespaceOf(ctx, p) },
      spec: { ...(clusterIP ? { clusterIP } : {}), ports: withNodePort, selector: { app: name }, type },
    })
  }
}

function createNamespace(ctx: CommandContext, p: ParsedFlags): RunResult {
  const bad = exactlyOneName('create namespace', p)
  return bad ?? create(ctx, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: p.args[0]! } })
}

const serviceFlags = [{ name: 'tcp', type: 'strings' }, { name: 'clusterip', type: 'string' }] as const

/** kubectl create: from a file, and the generators a networking class uses. */
export const createCommands: Readonly<Record<string, KubectlCommand>> = {
  create: { name: 'create', flags: [{ name: 'filename', short: 'f', type: 'strings' }], run: fromFiles('create') },
  'create deployment': { name: 'create deployment', aliases: ['deploy'], flags: [{ name: 'image', type: 'strings' }, { name: 'replicas', short: 'r', type: 'int' }, { name: 'port', type: 'int' }], run: createDeployment },
  'create service clusterip': { name: 'create service clusterip', flags: serviceFlags, run: createService('ClusterIP') },
  'create service nodeport': { name: 'create service nodeport', flags: [...serviceFlags, { name: 'node-port', type: 'int' }], run: createService('NodePort') },
  'create service loadbalancer': { name: 'create service loadbalancer', flags: [{ name: 'tcp', type: 'strings' }], run: createService('LoadBalancer') },
  'create namespace': { name: 'create namespace', aliases: ['ns'], flags: [], run: createNamespace },
}
