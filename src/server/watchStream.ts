import type { IncomingMessage, ServerResponse } from 'node:http'
import type { KubeObject } from '../sim/model/meta'
import type { ServerContext } from './context'
import { asEventsV1 } from './events'
import { send, status } from './http'
import type { Representation } from './reads'
import type { ServedResource } from './resources'
import { objectFilter } from './selectors'
import { badRequest } from './status'
import { tableBody, toTable } from './tables'
import type { WatchEventType, WatchHub } from './watch'

// A watch without timeoutSeconds ends after a while, as the API server's do (--min-request-timeout is 30 min).
const DEFAULT_TIMEOUT_S = 1800

/**
 * `?watch=true`: a chunked stream of newline-separated `{"type":...,"object":...}`, each object a one-row Table when the
 * client asked for tables (kubectl get -w; only the first carries the column definitions, as the API server sends
 * them). Ends at `timeoutSeconds` or when the client goes away.
 */
export function serveWatch(ctx: ServerContext, hub: WatchHub, r: ServedResource, namespace: string | undefined, query: URLSearchParams, as: Representation, req: IncomingMessage, res: ServerResponse): void {
  const parsed = objectFilter(query, r)
  if (!parsed.ok) return send(res, status(badRequest(parsed.error)))
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' })
  res.flushHeaders()
  let first = true
  const encode = (type: WatchEventType, o: KubeObject): string => {
    if (as === 'table') {
      const table = toTable(tableBody(r.kind, [o], ctx.sim.now), [o], query.get('includeObject') === 'Object' ? 'Object' : 'Metadata', ctx.shift, { resourceVersion: o.metadata.resourceVersion ?? '' }, first)
      first = false
      return JSON.stringify({ type, object: table })
    }
    if (as === 'metadata') return JSON.stringify({ type, object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: ctx.shift.toWall(o).metadata } })
    return `{"type":"${type}","object":${ctx.shift.json(o)}}`
  }
  const convert = r.kind === 'Event' && r.group !== '' ? asEventsV1 : (o: KubeObject) => o
  // The events of one publish go out as one chunk: a write per event costs a system call each.
  let pending: string[] = []
  const flush = () => {
    const chunk = pending.join('')
    pending = []
    if (chunk && !res.writableEnded) res.write(chunk)
  }
  const queue = (line: string) => {
    if (pending.push(line) === 1) setImmediate(flush)
  }
  const rv = Number(query.get('resourceVersion') ?? '')
  const unsubscribe = hub.subscribe(
    { resource: r, ...(namespace !== undefined ? { namespace } : {}), filter: parsed.filter, send: (type, o) => queue(`${encode(type, convert(o))}\n`) },
    Number.isInteger(rv) && rv > 0 ? rv : undefined,
  )
  const timeout = Number(query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S)
  const timer = setTimeout(() => res.end(), (Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_S) * 1000)
  const close = () => {
    clearTimeout(timer)
    unsubscribe()
  }
  req.on('close', close)
  res.on('close', close)
}
