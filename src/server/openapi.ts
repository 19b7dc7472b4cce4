import { createHash } from 'node:crypto'
import { KUBERNETES_VERSION } from '../sim/bootstrap'
import { groupVersions, SERVED_RESOURCES } from './resources'

/** "api/v1", "apis/apps/v1": where the OpenAPI v3 document of a group-version is served (below /openapi/v3/). */
const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`)

const HASH = createHash('sha512').update(`simulated ${KUBERNETES_VERSION}`).digest('hex').slice(0, 128).toUpperCase()

/** GET /openapi/v3: the index of group-version documents, each with the hash clients cache it under. */
export function openApiRoot(): object {
  const paths: Record<string, object> = {}
  for (const { group, versions } of groupVersions()) for (const v of versions) paths[gvPath(group, v)] = { serverRelativeURL: `/openapi/v3/${gvPath(group, v)}?hash=${HASH}` }
  return { paths }
}

/**
 * GET /openapi/v3/<api/v1|apis/group/version>: a skeleton of the real document, no schemas. Each object path's PATCH
 * says which kind it is for and that it takes `fieldValidation`: kubectl then leaves validation to the server, which
 * is what lets `kubectl apply` work without --validate=false. Strategic merge patch is not listed among the PATCH
 * bodies, so that kubectl computes its apply patches from its compiled-in types, as it does for any built-in kind,
 * rather than from schemas this document does not have.
 */
export function openApiGroupVersion(path: string): object | undefined {
  const gv = groupVersions().flatMap(({ group, versions }) => versions.map((version) => ({ group, version }))).find((x) => gvPath(x.group, x.version) === path)
  if (!gv) return undefined
  const paths: Record<string, object> = {}
  const fieldValidation = { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.', schema: { type: 'string', uniqueItems: true } }
  const body = { content: { 'application/json-patch+json': { schema: { type: 'object' } }, 'application/merge-patch+json': { schema: { type: 'object' } }, 'application/apply-patch+yaml': { schema: { type: 'object' } } } }
  for (const r of SERVED_RESOURCES.filter((x) => x.group === gv.group && x.version === gv.version)) {
    const gvk = { group: r.group, version: r.version, kind: r.kind }
    const base = `/${path}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`
    paths[base] = { get: { operationId: `list${r.kind}`, 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': gvk } }
    paths[`${base}/{name}`] = {
      get: { operationId: `read${r.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk },
      ...(r.verbs.includes('patch') ? { patch: { operationId: `patch${r.kind}`, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters: [fieldValidation], requestBody: body } } : {}),
    }
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: KUBERNETES_VERSION }, paths, components: { schemas: {} } }
}
