import { randomBytes } from 'node:crypto'
import { mergePatch } from '../sim/commands/patch'
import type { KubeObject } from '../sim/model/meta'
import { parseYaml } from './yamlBody'
import type { ServerContext } from './context'
import { json, parseJson, status, type Answer } from './http'
import { jsonPatch, mergePatchBetween, strategicMergePatch, type PatchResult } from './patch'
import { apiVersionOf, type ServedResource } from './resources'
import { badRequest, failure, fromCommandResult, methodNotAllowed, notFound, success } from './status'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const resourceName = (r: ServedResource) => (r.group ? `${r.plural}.${r.group}` : r.plural)

/** The body as an object of the resource's kind, its namespace settled from the URL; or the API server's 400. */
function objectOf(r: ServedResource, namespace: string | undefined, value: unknown): { ok: true; object: KubeObject } | { ok: false; answer: Answer } {
  if (!isObj(value)) return { ok: false, answer: status(badRequest('the body of the request must be a JSON object')) }
  const kind = value['kind'] ?? r.kind
  if (kind !== r.kind) return { ok: false, answer: status(badRequest(`the kind of the provided object (${String(kind)}) does not match the kind of the resource (${r.kind})`)) }
  const meta = isObj(value['metadata']) ? value['metadata'] : {}
  if (r.namespaced && meta['namespace'] !== undefined && namespace !== undefined && meta['namespace'] !== namespace) {
    return { ok: false, answer: status(badRequest('the namespace of the provided object does not match the namespace sent on the request')) }
  }
  const metadata = { ...meta, ...(r.namespaced && namespace !== undefined ? { namespace } : {}) }
  return { ok: true, object: { ...value, apiVersion: (value['apiVersion'] as string | undefined) ?? apiVersionOf(r), kind: r.kind, metadata } as KubeObject }
}

/** POST: kubectl create, and kubectl apply of an object that does not exist yet (its last-applied annotation set). */
export function createObject(ctx: ServerContext, r: ServedResource, namespace: string | undefined, value: unknown): Answer {
  if (r.kind === 'Event') return status(methodNotAllowed())
  const parsed = objectOf(r, namespace, value)
  if (!parsed.ok) return parsed.answer
  let obj = ctx.shift.toVirtual(parsed.object)
  // The engine's admission wants a name: generateName is honoured here, as the API server's name generator does.
  if (!obj.metadata.name && obj.metadata.generateName) obj = { ...obj, metadata: { ...obj.metadata, name: `${obj.metadata.generateName.slice(0, 58)}${randomSuffix()}` } }
  const result = ctx.sim.create(obj)
  if (!result.ok) return status(fromCommandResult(result, r.group))
  const created = ctx.source.get(r, obj.metadata.namespace ?? namespace, result.applied[0]?.name ?? obj.metadata.name)
  return created ? json(201, ctx.shift.toWall(created)) : status(failure('InternalError', 'Internal error occurred: the object was created but cannot be read back'))
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
  return [...randomBytes(5)].map((b) => alphabet[b % alphabet.length]).join('')
}

/**
 * Writes `desired` (on the wall clock, as the client saw it) over the live object: the difference goes to the engine as
 * a merge patch, which admits it like any update and keeps what the API server owns (identity, status).
 */
function writeOver(ctx: ServerContext, r: ServedResource, live: KubeObject, desired: KubeObject): Answer {
  const ns = live.metadata.namespace
  const rv = desired.metadata.resourceVersion
  if (rv !== undefined && rv !== '' && rv !== live.metadata.resourceVersion) {
    return status(failure('Conflict', `Operation cannot be fulfilled on ${resourceName(r)} "${live.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`, { name: live.metadata.name, ...(r.group ? { group: r.group } : {}), kind: r.plural }))
  }
  if (desired.metadata.name !== live.metadata.name) return status(badRequest(`the name of the object (${desired.metadata.name}) does not match the name on the URL (${live.metadata.name})`))
  const patch = mergePatchBetween(live, ctx.shift.toVirtual(desired)) as Obj
  if (Object.keys(patch).length > 0) {
    const result = ctx.sim.patch(r.kind, ns, live.metadata.name, patch)
    if (!result.ok) return status(fromCommandResult(result, r.group))
  }
  const now = ctx.source.get(r, ns, live.metadata.name)
  return now ? json(200, ctx.shift.toWall(now)) : status(notFound(r, live.metadata.name))
}

/** PUT: kubectl replace and edit send the whole object back. */
export function replaceObject(ctx: ServerContext, r: ServedResource, namespace: string | undefined, name: string, value: unknown): Answer {
  if (r.kind === 'Event') return status(methodNotAllowed())
  const live = ctx.source.get(r, namespace, name)
  if (!live) return status(notFound(r, name))
  const parsed = objectOf(r, namespace, value)
  return parsed.ok ? writeOver(ctx, r, live, parsed.object) : parsed.answer
}

/** Applies a PATCH body of its content type to a document: merge, JSON, strategic merge. */
export function applyPatch(contentType: string, doc: unknown, text: string): PatchResult | { ok: false; unsupported: true } {
  const type = contentType.split(';')[0]!.trim()
  const body = type === 'application/apply-patch+yaml' ? parseYaml(text) : parseJson(text)
  if (!body.ok) return { ok: false, error: `error decoding patch: ${body.error}` }
  switch (type) {
    case 'application/merge-patch+json':
      return isObj(body.value) ? { ok: true, value: mergePatch(doc, body.value) } : { ok: false, error: 'merge patch must be a JSON object' }
    case 'application/json-patch+json':
      return jsonPatch(doc, body.value)
    case 'application/strategic-merge-patch+json':
    case 'application/apply-patch+yaml':
      return strategicMergePatch(doc, body.value)
  }
  return { ok: false, unsupported: true }
}

const unsupportedPatch = (type: string) =>
  status(failure('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${type || 'none'})`))

/**
 * PATCH: the patch applies to the object as served (wall-clock times: a JSON patch's `test` sees what the client saw).
 * Server-side apply (`application/apply-patch+yaml`) of an object that does not exist creates it.
 */
export function patchObject(ctx: ServerContext, r: ServedResource, namespace: string | undefined, name: string, contentType: string, text: string): Answer {
  if (r.kind === 'Event') return status(methodNotAllowed())
  const live = ctx.source.get(r, namespace, name)
  if (!live) {
    if (!contentType.startsWith('application/apply-patch+yaml')) return status(notFound(r, name))
    const body = parseYaml(text)
    return body.ok ? createObject(ctx, r, namespace, body.value) : status(badRequest(`error decoding patch: ${body.error}`))
  }
  const patched = applyPatch(contentType, ctx.shift.toWall(live), text)
  if (!patched.ok) return 'unsupported' in patched ? unsupportedPatch(contentType) : status(failure('Invalid', patched.error))
  const parsed = objectOf(r, live.metadata.namespace, patched.value)
  if (!parsed.ok) return parsed.answer
  // A patch that does not name a resourceVersion is no precondition: what the object carries now is kept.
  const desired = parsed.object.metadata.resourceVersion === ctx.shift.toWall(live).metadata.resourceVersion ? { ...parsed.object, metadata: { ...parsed.object.metadata, resourceVersion: undefined } } : parsed.object
  return writeOver(ctx, r, live, desired as KubeObject)
}

/** DELETE: a pod terminates gracefully and is answered as it is now (deletionTimestamp set); others are gone at once. */
export function deleteObject(ctx: ServerContext, r: ServedResource, namespace: string | undefined, name: string): Answer {
  if (r.kind === 'Event') return status(methodNotAllowed())
  const live = ctx.source.get(r, namespace, name)
  if (!live) return status(notFound(r, name))
  const result = ctx.sim.delete(r.kind, live.metadata.namespace, name)
  if (!result.ok) return status(fromCommandResult(result, r.group))
  const after = ctx.source.get(r, namespace, name)
  if (after) return json(200, ctx.shift.toWall(after))
  return status(success({ name, ...(r.group ? { group: r.group } : {}), kind: r.plural, ...(live.metadata.uid ? { uid: live.metadata.uid } : {}) }))
}
