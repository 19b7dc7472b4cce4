import { formatSelector } from '../sim/kubectl/printers'
import type { KubeObject, LabelSelector } from '../sim/model/meta'
import type { ServerContext } from './context'
import { json, parseJson, status, type Answer } from './http'
import type { ServedResource } from './resources'
import { badRequest, failure, fromCommandResult, methodNotAllowed, notFound } from './status'
import { applyPatch } from './writes'

type Workload = KubeObject & { spec: { replicas: number; selector: LabelSelector }; status?: { replicas?: number } }

/** autoscaling/v1 Scale of a Deployment or ReplicaSet: what kubectl scale reads and patches. */
function scaleOf(w: Workload): KubeObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = w.metadata
  const selector = formatSelector(w.spec.selector)
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: w.spec.replicas },
    status: { replicas: w.status?.replicas ?? 0, ...(selector === '<none>' ? {} : { selector }) },
  }
}

/**
 * GET, PUT and PATCH of `<deployments|replicasets>/<name>/scale`. kubectl scale sends a merge patch of
 * `{"spec":{"replicas":N}}`; the new count goes through the engine's scale command (its validation, its limits).
 */
export function scaleSubresource(ctx: ServerContext, r: ServedResource, namespace: string | undefined, name: string, method: string, contentType: string, text: string): Answer {
  if (r.kind !== 'Deployment' && r.kind !== 'ReplicaSet') return status(notFound(r, name))
  const live = ctx.source.get(r, namespace, name) as Workload | undefined
  if (!live) return status(notFound(r, name))
  const served = ctx.shift.toWall(scaleOf(live))
  if (method === 'GET') return json(200, served)
  let desired: unknown
  if (method === 'PUT') {
    const body = parseJson(text)
    if (!body.ok) return status(badRequest(`couldn't get version/kind; ${body.error}`))
    desired = body.value
  } else if (method === 'PATCH') {
    const patched = applyPatch(contentType, served, text)
    if (!patched.ok) return status('unsupported' in patched ? failure('UnsupportedMediaType', `unsupported patch type ${contentType}`) : failure('Invalid', patched.error))
    desired = patched.value
  } else {
    return status(methodNotAllowed())
  }
  const replicas = (desired as { spec?: { replicas?: unknown } } | null)?.spec?.replicas ?? 0
  const ns = live.metadata.namespace!
  const result = r.kind === 'Deployment' ? ctx.sim.scale(ns, name, replicas as number) : ctx.sim.patch('ReplicaSet', ns, name, { spec: { replicas } })
  if (!result.ok) return status(fromCommandResult(result, r.group))
  return json(200, ctx.shift.toWall(scaleOf(ctx.source.get(r, ns, name) as Workload)))
}

const LOG_TIME = /\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d/g

/**
 * GET pods/<name>/log: what the engine's own `kubectl logs` prints (nginx's start-up lines), its times moved onto the
 * wall clock like every timestamp served. Not followed: `-f` ends with what there is.
 */
export function podLog(ctx: ServerContext, r: ServedResource, namespace: string | undefined, name: string, query: URLSearchParams): Answer {
  const live = ctx.source.get(r, namespace, name)
  if (!live) return status(notFound(r, name))
  const container = query.get('container')
  const out = ctx.sim.run(`kubectl logs ${name} -n ${live.metadata.namespace}${container ? ` -c ${container}` : ''}`)
  if (out.exitCode !== 0) {
    const m = /^Error from server \((\w+)\): (.*)$/.exec(out.stderr.trim())
    return status(m ? failure(m[1]!, m[2]!) : badRequest(out.stderr.trim().replace(/^error: /, '')))
  }
  const shifted = out.stdout.replace(LOG_TIME, (t) => {
    const wall = new Date(Date.parse(`${t.replace(/\//g, '-').replace(' ', 'T')}Z`) + ctx.shift.offsetMs)
    return wall.toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')
  })
  return { code: 200, body: shifted, contentType: 'text/plain' }
}
