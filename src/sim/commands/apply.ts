import { admit, newBatch, type Admitted, type Batch, type Source } from '../admission/admit'
import { forbiddenPodMessage, mountServiceAccountToken, serviceAccountForbidden } from '../admission/serviceAccount'
import { allocate, inheritAllocations } from '../admission/serviceAllocation'
import { joinNode } from '../bootstrap'
import type { Engine } from '../engine'
import { pluralName, singularName } from '../model/kinds'
import type { KubeObject } from '../model/meta'
import type { Node } from '../model/node'
import type { Pod } from '../model/pod'
import { SAFE_ALPHABET } from '../runtime/hash'
import type { Service } from '../model/service'
import { parseManifest, type ParsedDocument } from '../manifests/yaml'
import { isSimulatedKind } from '../state'
import { appliedMetadata, lastAppliedConfiguration, LAST_APPLIED } from './lastApplied'
import { failed, type CommandError, type CommandOutcome, type CommandResult } from './results'

/**
 * How the objects are written: `apply` (kubectl apply: records what it applied, merges labels three ways), `create`
 * (kubectl create: a new object only, nothing recorded), `replace` (an edit of the live object, as kubectl label,
 * annotate and rollout restart send it: labels and annotations as given).
 */
export type ApplyMode = 'apply' | 'create' | 'replace'

/** Input to apply: YAML text (one or more documents), one object, or a list of objects. */
export type Manifest = string | object | object[]

type Doc = Pick<ParsedDocument, 'object' | 'line' | 'lineOf'>

function documentsOf(input: Manifest): { ok: true; docs: Doc[]; source: Source } | { ok: false; error: CommandError } {
  if (typeof input === 'string') {
    const parsed = parseManifest(input)
    if (!parsed.ok) return { ok: false, error: { path: '', message: `error: error parsing STDIN: ${parsed.message}`, line: parsed.line } }
    return { ok: true, docs: parsed.documents, source: 'yaml' }
  }
  const objects = Array.isArray(input) ? input : [input]
  return { ok: true, docs: objects.map((object) => ({ object, line: 0, lineOf: () => undefined })), source: 'object' }
}

/** kind: List (what `kubectl get -o yaml` prints for several objects) is applied item by item. */
function flatten(docs: Doc[]): Doc[] {
  return docs.flatMap((d) => {
    const o = d.object as { kind?: unknown; items?: unknown } | null
    if (o && typeof o === 'object' && !Array.isArray(o) && o.kind === 'List' && Array.isArray(o.items)) {
      return o.items.map((item, i) => ({ object: item, line: d.line, lineOf: (p: string) => d.lineOf(`items[${i}].${p}`) }))
    }
    return [d]
  })
}

const describe = (a: Admitted) => `${a.kind} ${a.key}`

/**
 * kubectl apply: every object is admitted first, each seeing the ones before it as stored (a second object of the
 * same name updates the first, as kubectl applying them in turn would); if any is invalid nothing is written. Then each
 * object is created or updated through the API server, and the controllers run to a fixpoint.
 */
export function apply(engine: Engine, input: Manifest, mode: ApplyMode = 'apply'): CommandResult {
  const parsed = documentsOf(input)
  if (!parsed.ok) return failed([parsed.error])
  const docs = flatten(parsed.docs)
  if (docs.length === 0) return failed([{ path: '', message: 'error: no objects passed to apply' }])
  const batch = newBatch(engine.state)
  const admitted: Admitted[] = []
  // What the user wrote, per admitted object: kubectl apply records it on the object.
  const raws: unknown[] = []
  const errors: CommandError[] = []
  const warnings: string[] = []
  for (const doc of docs) {
    const a = admit(engine.state, doc.object, engine.config, batch, parsed.source)
    for (const e of a.errors) {
      const line = doc.lineOf(e.path) ?? (doc.line || undefined)
      errors.push({ ...(a.kind && a.key ? { object: describe(a) } : {}), path: e.path, message: e.message, ...(e.field ? { field: e.field } : {}), ...(line ? { line } : {}) })
    }
    warnings.push(...a.warnings)
    if (a.errors.length === 0 && a.kind === 'Pod' && !a.old) {
      const reason = serviceAccountForbidden(engine.state, a.object as Pod, pendingAccounts(batch))
      const line = doc.lineOf('spec.serviceAccountName')
      if (reason) errors.push({ object: describe(a), path: 'spec.serviceAccountName', message: forbiddenPodMessage(a.object.metadata.name, reason, true), ...(line ? { line } : {}) })
    }
    admitted.push(a)
    raws.push(doc.object)
  }
  if (mode === 'create') {
    // kubectl create POSTs: an object that exists already is refused, as the API server refuses it.
    for (const a of admitted) if (a.old) errors.push({ object: describe(a), path: 'metadata.name', message: `Error from server (AlreadyExists): ${pluralName(a.kind, a.object.apiVersion)} "${a.object.metadata.name}" already exists` })
  }
  if (errors.length > 0) return failed(errors)
  const applied = admitted.map((a, i) => write(engine, a, raws[i], mode))
  engine.reconcile()
  return { ok: true, errors: [], applied, ...(warnings.length ? { warnings } : {}) }
}

/** Creates or updates one admitted object, merging with what is stored at this moment (an earlier object of the batch included). */
/** ServiceAccounts and namespaces created earlier in this apply, which the ServiceAccount plugin will find. */
function pendingAccounts(batch: Batch): Set<string> {
  const out = new Set<string>()
  for (const [id, obj] of batch.pending) {
    if (id.startsWith('Namespace|')) out.add(`namespace:${obj.metadata.name}`)
    else if (id.startsWith('ServiceAccount|')) out.add(id.slice('ServiceAccount|'.length))
  }
  return out
}

function write(engine: Engine, a: Admitted, raw: unknown, mode: ApplyMode): CommandOutcome {
  const { kind } = a
  // kubectl apply records what it applied on the object, so that the next apply knows what it set (client-side apply).
  const object: KubeObject = mode === 'apply' ? { ...a.object, metadata: { ...a.object.metadata, annotations: { ...a.object.metadata.annotations, [LAST_APPLIED]: lastAppliedConfiguration(raw, a.object.metadata.namespace) } } } : a.object
  const { name, namespace } = object.metadata
  const simulated = isSimulatedKind(kind)
  const outcome = (result: CommandOutcome['result']): CommandOutcome => ({
    kind, name, ...(namespace ? { namespace } : {}), result, simulated,
    message: `${singularName(kind, object.apiVersion)}/${name} ${result}${simulated ? '' : ' (stored, not simulated)'}`,
  })
  const live = engine.rt.api.lookup(engine.state, kind, a.key, simulated ? undefined : object.apiVersion)
  let obj: KubeObject = object
  if (kind === 'Pod' && !live) obj = mountServiceAccountToken(engine.state, object as Pod, () => engine.rt.rng.names.string(SAFE_ALPHABET, 5))
  if (kind === 'Service') {
    const svc = object as Service
    const { state, spec } = allocate(engine.state, { ...svc, spec: inheritAllocations(svc.spec, live as Service | undefined) }, live as Service | undefined, engine.config, engine.rt.rng.ipam)
    engine.state = state
    obj = { ...object, spec }
    const note = allocationNote(obj as Service, live as Service | undefined)
    if (note) engine.rt.record({ time: engine.state.now, actor: 'API server', action: 'allocate', object: `Service ${a.key}`, message: note })
  }
  if (kind === 'Node' && !live) {
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
  if (kind === 'Node' && live) {
    const node = live as Node
    const spec = (object as Node).spec as Partial<Node['spec']> | undefined
    obj = { ...node, metadata: { ...node.metadata, labels: object.metadata.labels ?? node.metadata.labels }, spec: { ...node.spec, taints: spec?.taints ?? [], unschedulable: spec?.unschedulable ?? false } }
  }
  if (!live) {
    engine.state = engine.rt.api.create(engine.state, obj).state
    return outcome('created')
  }
  // The API server keeps what the user cannot set: identity, and the status the controllers write. Labels and
  // annotations are merged three ways, as kubectl apply does: a controller's own annotations stay.
  const { labels: _labels, annotations: _annotations, ...identity } = live.metadata
  const merged = {
    ...obj,
    metadata: { ...identity, ...(mode === 'replace' ? pickLabels(object) : appliedMetadata(live, object)) },
    ...(live.status !== undefined ? { status: live.status } : {}),
  } as KubeObject
  const stored = engine.state
  engine.state = engine.rt.api.update(engine.state, merged)
  return outcome(engine.state === stored ? 'unchanged' : 'configured')
}

const pickLabels = (o: KubeObject) => ({ ...(o.metadata.labels ? { labels: o.metadata.labels } : {}), ...(o.metadata.annotations ? { annotations: o.metadata.annotations } : {}) })

/** The API server's allocator at work: what it gave a Service (nothing when it only kept what it had). */
function allocationNote(svc: Service, live: Service | undefined): string {
  const parts: string[] = []
  const ip = svc.spec.clusterIP
  if (ip && ip !== 'None' && ip !== live?.spec.clusterIP) parts.push(`ClusterIP ${ip}`)
  const had = new Set((live?.spec.ports ?? []).map((p) => p.nodePort))
  const nodePorts = (svc.spec.ports ?? []).filter((p) => p.nodePort && !had.has(p.nodePort)).map((p) => `${p.port}:${p.nodePort}/${p.protocol}`)
  if (nodePorts.length) parts.push(`NodePort ${nodePorts.join(', ')}`)
  return parts.length ? `Allocated ${parts.join(' and ')} to Service ${svc.metadata.namespace}/${svc.metadata.name}` : ''
}

/** The next free index for a node's /24 and address. */
function nextNodeIndex(engine: Engine): number {
  const used = new Set([...engine.state.nodes.values()].map((n) => Number(n.spec.podCIDR.split('.')[2])))
  let i = 0
  while (used.has(i)) i++
  return i
}
