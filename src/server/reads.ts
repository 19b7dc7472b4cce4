import type { KubeObject } from '../sim/model/meta'
import type { ServerContext } from './context'
import { json, status, type Answer } from './http'
import { apiVersionOf, type ServedResource } from './resources'
import { objectFilter } from './selectors'
import { badRequest, notFound } from './status'
import { tableBody, toTable, type IncludeObject } from './tables'

/** What the client asked the answer to be, from its Accept header: a Table, metadata only, or the objects. */
export type Representation = 'table' | 'metadata' | 'object'

/** kubectl get asks `application/json;as=Table;v=v1;g=meta.k8s.io` first; the garbage collector asks for metadata only. */
export function representationOf(accept: string | undefined): Representation {
  for (const part of (accept ?? '').split(',')) {
    const params = part.split(';').map((p) => p.trim())
    if (!params.includes('g=meta.k8s.io')) continue
    if (params.includes('as=Table')) return 'table'
    if (params.includes('as=PartialObjectMetadataList') || params.includes('as=PartialObjectMetadata')) return 'metadata'
  }
  return 'object'
}

const includeOf = (query: URLSearchParams): IncludeObject => {
  const v = query.get('includeObject')
  return v === 'None' || v === 'Object' ? v : 'Metadata'
}

/** Our continue token: where the next page starts (a real server's is opaque too; kubectl only hands it back). */
const pageStart = (token: string | null) => {
  const n = token ? Number(Buffer.from(token, 'base64url').toString('utf8')) : 0
  return Number.isInteger(n) && n > 0 ? n : 0
}

/**
 * GET of a collection: `?labelSelector=`, `?fieldSelector=`, `?limit=` with continue tokens, as a <Kind>List, a Table
 * (from the engine's printers) or PartialObjectMetadataList. A list's items are joined from each object's cached JSON,
 * so that 3,000 unchanged pods are not encoded again.
 */
export function listObjects(ctx: ServerContext, r: ServedResource, namespace: string | undefined, query: URLSearchParams, as: Representation): Answer {
  const parsed = objectFilter(query, r)
  if (!parsed.ok) return status(badRequest(parsed.error))
  const all = ctx.source.list(r, namespace).filter(parsed.filter)
  const limit = Number(query.get('limit') ?? 0)
  const start = pageStart(query.get('continue'))
  const end = Number.isInteger(limit) && limit > 0 ? Math.min(all.length, start + limit) : all.length
  const items = start === 0 && end === all.length ? all : all.slice(start, end)
  const meta = { resourceVersion: String(ctx.sim.state.resourceVersion), ...(end < all.length ? { continue: Buffer.from(String(end)).toString('base64url'), remainingItemCount: all.length - end } : {}) }
  if (as === 'table') return json(200, toTable(tableBody(r.kind, items, ctx.sim.now), items, includeOf(query), ctx.shift, meta))
  if (as === 'metadata') {
    const metadataItems = items.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: ctx.shift.toWall(o).metadata }))
    return json(200, { kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items: metadataItems })
  }
  const head = JSON.stringify({ kind: `${r.kind}List`, apiVersion: apiVersionOf(r), metadata: meta })
  return json(200, `${head.slice(0, -1)},"items":[${items.map((o) => ctx.shift.json(o)).join(',')}]}`)
}

/** GET of one object: the object, a one-row Table (kubectl get pod x), or its metadata. */
export function getObject(ctx: ServerContext, r: ServedResource, namespace: string | undefined, name: string, query: URLSearchParams, as: Representation): Answer {
  const obj: KubeObject | undefined = r.namespaced && namespace === undefined ? undefined : ctx.source.get(r, namespace, name)
  if (!obj) return status(notFound(r, name))
  if (as === 'table') return json(200, toTable(tableBody(r.kind, [obj], ctx.sim.now), [obj], includeOf(query), ctx.shift, { resourceVersion: obj.metadata.resourceVersion ?? '' }))
  if (as === 'metadata') return json(200, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: ctx.shift.toWall(obj).metadata })
  return json(200, ctx.shift.json(obj))
}
