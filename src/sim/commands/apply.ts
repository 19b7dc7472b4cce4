import { admit, resourceName, type Admitted } from '../admission/admit'
import { forbiddenPodMessage, mountServiceAccountToken, serviceAccountForbidden } from '../admission/serviceAccount'
import { allocate, type Claims } from '../admission/serviceAllocation'
import { joinNode } from '../bootstrap'
import type { Engine } from '../engine'
import type { KubeObject } from '../model/meta'
import type { Node } from '../model/node'
import type { Pod } from '../model/pod'
import { SAFE_ALPHABET } from '../runtime/hash'
import type { Service } from '../model/service'
import type { Deployment, ReplicaSet } from '../model/workloads'
import { parseManifest, type ParsedDocument } from '../manifests/yaml'
import { isSimulatedKind } from '../state'
import { etcdKey, failed, type CommandError, type CommandOutcome, type CommandResult } from './results'

/** Input to apply: YAML text (one or more documents), one object, or a list of objects. */
export type Manifest = string | object | object[]

function documentsOf(input: Manifest): { ok: true; docs: Pick<ParsedDocument, 'object' | 'line' | 'lineOf'>[] } | { ok: false; error: CommandError } {
  if (typeof input === 'string') {
    const parsed = parseManifest(input)
    if (!parsed.ok) return { ok: false, error: { path: '', message: `error: error parsing STDIN: ${parsed.message}`, line: parsed.line } }
    return { ok: true, docs: parsed.documents }
  }
  const objects = Array.isArray(input) ? input : [input]
  return { ok: true, docs: objects.map((object) => ({ object, line: 0, lineOf: () => undefined })) }
}

/** kind: List (what `kubectl get -o yaml` prints for several objects) is applied item by item. */
function flatten(docs: Pick<ParsedDocument, 'object' | 'line' | 'lineOf'>[]): Pick<ParsedDocument, 'object' | 'line' | 'lineOf'>[] {
  return docs.flatMap((d) => {
    const o = d.object as { kind?: string; items?: unknown[] }
    if (o && typeof o === 'object' && o.kind === 'List' && Array.isArray(o.items)) {
      return o.items.map((item, i) => ({ object: item, line: d.line, lineOf: (p: string) => d.lineOf(`items[${i}].${p}`) }))
    }
    return [d]
  })
}

const describe = (a: Admitted) => `${a.kind} ${a.key}`

/**
 * kubectl apply: every object is admitted first; if any is invalid nothing is written. Then each object is created or
 * updated through the API server, and the controllers run to a fixpoint.
 */
export function apply(engine: Engine, input: Manifest): CommandResult {
  const parsed = documentsOf(input)
  if (!parsed.ok) return failed([parsed.error])
  const docs = flatten(parsed.docs)
  if (docs.length === 0) return failed([{ path: '', message: 'error: no objects passed to apply' }])
  const claims: Claims = { ips: new Set(), ports: new Set() }
  const pendingNamespaces = new Set<string>()
  const admitted: Admitted[] = []
  const errors: CommandError[] = []
  let projectedPods = engine.state.pods.size
  // ServiceAccounts and namespaces created earlier in this apply, which the ServiceAccount plugin will find.
  const pendingAccounts = new Set<string>()
  for (const doc of docs) {
    const a = admit(engine.state, doc.object, engine.config, claims, pendingNamespaces)
    for (const e of a.errors) {
      const line = doc.lineOf(e.path) ?? (doc.line || undefined)
      errors.push({ ...(a.kind && a.key ? { object: describe(a) } : {}), path: e.path, message: e.message, ...(e.field ? { field: e.field } : {}), ...(line ? { line } : {}) })
    }
    if (a.errors.length === 0 && a.kind === 'Namespace') pendingAccounts.add(`namespace:${a.object.metadata.name}`)
    if (a.errors.length === 0 && a.kind === 'ServiceAccount') pendingAccounts.add(a.key)
    if (a.errors.length === 0 && a.kind === 'Pod' && !a.old) {
      const reason = serviceAccountForbidden(engine.state, a.object as Pod, pendingAccounts)
      const line = doc.lineOf('spec.serviceAccountName')
      if (reason) errors.push({ object: describe(a), path: 'spec.serviceAccountName', message: forbiddenPodMessage(a.object.metadata.name, reason, true), ...(line ? { line } : {}) })
    }
    if (a.kind === 'Deployment' || a.kind === 'ReplicaSet') {
      const want = (a.object as Deployment | ReplicaSet).spec?.replicas ?? 0
      const had = (a.old as Deployment | ReplicaSet | undefined)?.spec.replicas ?? 0
      projectedPods += want - had
      if (projectedPods > engine.config.maxPods && a.errors.length === 0) {
        const line = doc.lineOf('spec.replicas')
        errors.push({ object: describe(a), path: 'spec.replicas', message: `The ${a.kind} "${a.object.metadata.name}" is invalid: spec.replicas: Invalid value: ${want}: the simulator holds at most ${engine.config.maxPods} pods, and this would make ${projectedPods}`, ...(line ? { line } : {}) })
      }
    }
    if (a.kind === 'Node' && !a.old && engine.state.nodes.size >= engine.config.maxNodes) {
      errors.push({ object: describe(a), path: 'metadata.name', message: `The Node "${a.object.metadata.name}" is invalid: the simulator holds at most ${engine.config.maxNodes} nodes` })
    }
    admitted.push(a)
  }
  if (errors.length > 0) return failed(errors)
  const applied = admitted.map((a) => write(engine, a))
  engine.reconcile()
  return { ok: true, errors: [], applied }
}

function write(engine: Engine, a: Admitted): CommandOutcome {
  const { kind, object } = a
  const { name, namespace } = object.metadata
  const simulated = isSimulatedKind(kind)
  const outcome = (result: CommandOutcome['result']): CommandOutcome => ({
    kind, name, ...(namespace ? { namespace } : {}), result, simulated,
    message: `${resourceName(kind, object.apiVersion)}/${name} ${result}${simulated ? '' : ' (stored, not simulated)'}`,
  })
  let obj: KubeObject = object
  if (kind === 'Pod' && !a.old) obj = mountServiceAccountToken(engine.state, object as Pod, () => engine.rt.rng.string(SAFE_ALPHABET, 5))
  if (kind === 'Service') {
    const { state, spec } = allocate(engine.state, object as Service, a.old as Service | undefined, engine.config, engine.rt.rng)
    engine.state = state
    obj = { ...object, spec }
  }
  if (kind === 'Node' && !a.old) {
    joinNode(engine, name, nextNodeIndex(engine), false)
    const joined = engine.state.nodes.get(name)!
    const spec = (object as Node).spec as Partial<Node['spec']> | undefined
    engine.state = engine.rt.api.update(engine.state, {
      ...joined,
      metadata: { ...joined.metadata, labels: { ...joined.metadata.labels, ...object.metadata.labels } },
      spec: { ...joined.spec, ...(spec?.taints ? { taints: spec.taints } : {}), ...(spec?.unschedulable ? { unschedulable: true } : {}) },
    })
    return outcome('created')
  }
  if (kind === 'Node' && a.old) {
    const live = a.old as Node
    const spec = (object as Node).spec as Partial<Node['spec']> | undefined
    obj = { ...live, metadata: { ...live.metadata, labels: object.metadata.labels ?? live.metadata.labels }, spec: { ...live.spec, taints: spec?.taints ?? [], unschedulable: spec?.unschedulable ?? false } }
  }
  const objectName = `${kind} ${namespace ? `${namespace}/` : ''}${name}`
  if (!a.old) {
    const created = engine.rt.api.create(engine.state, obj)
    engine.state = created.state
    const svc = kind === 'Service' ? (created.object as Service) : undefined
    record(engine, 'API server', 'create', objectName, `Accepted ${objectName}${svc ? allocationNote(svc) : ''}`)
    record(engine, 'etcd', 'store', objectName, `Stored ${etcdKey(kind, namespace, name)} (resourceVersion ${created.object.metadata.resourceVersion})`)
    return outcome('created')
  }
  const merged = { ...obj, metadata: { ...a.old.metadata, labels: obj.metadata.labels, annotations: obj.metadata.annotations } } as KubeObject
  const stored = engine.state
  engine.state = engine.rt.api.update(engine.state, merged)
  if (engine.state === stored) return outcome('unchanged')
  record(engine, 'API server', 'update', objectName, `Updated ${objectName}`)
  record(engine, 'etcd', 'store', objectName, `Stored ${etcdKey(kind, namespace, name)} (resourceVersion ${engine.state.resourceVersion})`)
  return outcome('configured')
}

function allocationNote(svc: Service): string {
  const parts: string[] = []
  if (svc.spec.clusterIP && svc.spec.clusterIP !== 'None') parts.push(`ClusterIP ${svc.spec.clusterIP}`)
  const nodePorts = (svc.spec.ports ?? []).filter((p) => p.nodePort).map((p) => `${p.port}:${p.nodePort}/${p.protocol}`)
  if (nodePorts.length) parts.push(`NodePort ${nodePorts.join(', ')}`)
  return parts.length ? `; allocated ${parts.join(' and ')}` : ''
}

function record(engine: Engine, actor: string, action: string, object: string, message: string): void {
  engine.rt.record({ time: engine.state.now, actor, action, object, message })
}

/** The next free index for a node's /24 and address. */
function nextNodeIndex(engine: Engine): number {
  const used = new Set([...engine.state.nodes.values()].map((n) => Number(n.spec.podCIDR.split('.')[2])))
  let i = 0
  while (used.has(i)) i++
  return i
}
