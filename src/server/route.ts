import { findResource, type ServedResource } from './resources'

/** What a request path names: a group-version's discovery, or a resource (a collection, one object, a subresource). */
export type Route =
  | { readonly type: 'groupVersion'; readonly group: string; readonly version: string }
  | { readonly type: 'group'; readonly group: string }
  | {
      readonly type: 'resource'
      readonly resource: ServedResource
      /** The namespace in the path; undefined for cluster-scoped resources and lists across all namespaces. */
      readonly namespace?: string
      readonly name?: string
      readonly subresource?: string
    }
  | { readonly type: 'unknown'; readonly group: string; readonly version: string; readonly plural: string }

/**
 * Parses /api/v1/... and /apis/<group>/<version>/... as the API server's REST installer lays them out:
 * `[namespaces/<ns>/]<plural>[/<name>[/<subresource>]]`. `/api/v1/namespaces/<name>` is the Namespace itself.
 * Undefined for a path outside the API.
 */
export function parseRoute(path: string): Route | undefined {
  const parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent)
  let group: string
  let version: string
  let rest: string[]
  if (parts[0] === 'api' && parts[1]) {
    ;[group, version, rest] = ['', parts[1], parts.slice(2)]
  } else if (parts[0] === 'apis' && parts[1]) {
    if (!parts[2]) return { type: 'group', group: parts[1] }
    ;[group, version, rest] = [parts[1], parts[2], parts.slice(3)]
  } else {
    return undefined
  }
  if (rest.length === 0) return { type: 'groupVersion', group, version }
  let namespace: string | undefined
  // namespaces/<ns>/<plural>...: a namespaced resource; namespaces/<name>[/status] is the Namespace object.
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1]
    rest = rest.slice(2)
  }
  const [plural, name, subresource, ...extra] = rest as [string, string?, string?, ...string[]]
  const resource = findResource(group, version, plural)
  if (!resource || extra.length > 0) return { type: 'unknown', group, version, plural }
  // A namespaced resource without a namespace in the path is the list across all namespaces (no single object).
  return { type: 'resource', resource, ...(resource.namespaced && namespace !== undefined ? { namespace } : {}), ...(name !== undefined ? { name } : {}), ...(subresource !== undefined ? { subresource } : {}) }
}
