import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSimulation, type Simulation } from '../sim'
import { webScenario } from '../scenarios/webScenario'
import type { ServerContext } from './context'
import { apiGroup, apiGroupList, apiResourceList, apiVersions, VERSION_INFO } from './discovery'
import { refuseExec, serveExec } from './exec'
import { json, parseJson, readBody, send, status, type Answer } from './http'
import { ObjectSource } from './objects'
import { openApiGroupVersion, openApiRoot } from './openapi'
import { getObject, listObjects, representationOf } from './reads'
import { decodeProtobuf, PROTOBUF } from './protobuf'
import { parseRoute } from './route'
import { badRequest, failure, methodNotAllowed, notFound } from './status'
import { podLog, scaleSubresource } from './subresources'
import { TimeShift } from './timeShift'
import { WatchHub } from './watch'
import { serveWatch } from './watchStream'
import { createObject, deleteObject, patchObject, replaceObject } from './writes'
import { parseYaml } from './yamlBody'

/** How to start the server. Everything is optional: a fresh cluster with the web scenario on a free port. */
export interface ServerOptions {
  /** A simulation to serve as it is; otherwise one is created from seed, workers and scenario, and settled. */
  readonly sim?: Simulation
  readonly seed?: number
  readonly workers?: number
  /** "web" (default): the classroom scenario applied at start; "none": the bare cluster. */
  readonly scenario?: 'web' | 'none'
  readonly host?: string
  /** 0 (default): any free port. */
  readonly port?: number
  /** How often the cluster catches up with the wall clock, in ms (default 100); 0: only when `advance` is called. */
  readonly tickMs?: number
  /** The wall clock (tests may pass their own). */
  readonly now?: () => number
  /** Called with one line per request ("GET /api/v1/pods 200 3ms"). */
  readonly log?: (line: string) => void
}

/** A running server. */
export interface SimServer {
  readonly url: string
  readonly host: string
  readonly port: number
  readonly sim: Simulation
  /** Moves the cluster forward by `ms` of virtual time and sends the watchers what changed. */
  advance(ms: number): void
  /** Open watches. */
  readonly watches: number
  close(): Promise<void>
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** A request body as an object: JSON, YAML when the client says it sends YAML, protobuf from typed clients. */
function bodyValue(req: IncomingMessage, body: Buffer): { ok: true; value: unknown } | { ok: false; answer: Answer } {
  const type = req.headers['content-type'] ?? ''
  if (type.startsWith(PROTOBUF)) {
    const decoded = decodeProtobuf(body)
    return decoded.ok ? decoded : { ok: false, answer: status(failure('UnsupportedMediaType', decoded.error)) }
  }
  const text = body.toString('utf8')
  const parsed = type.includes('yaml') ? parseYaml(text) : parseJson(text)
  return parsed.ok ? parsed : { ok: false, answer: status(badRequest(`couldn't get version/kind; ${parsed.error}`)) }
}

async function handle(ctx: ServerContext, hub: WatchHub, req: IncomingMessage, res: ServerResponse): Promise<Answer | undefined> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const path = url.pathname.replace(/\/+$/, '') || '/'
  const method = req.method ?? 'GET'
  if (method === 'GET') {
    if (path === '/version') return json(200, VERSION_INFO)
    if (path === '/api') return json(200, apiVersions())
    if (path === '/apis') return json(200, apiGroupList())
    if (path === '/openapi/v3') return json(200, openApiRoot())
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiGroupVersion(path.slice('/openapi/v3/'.length))
      return doc ? json(200, doc) : status(failure('NotFound', 'the server could not find the requested resource'))
    }
    if (path === '/healthz' || path === '/livez' || path === '/readyz') return { code: 200, body: 'ok', contentType: 'text/plain' }
  }
  const route = parseRoute(path)
  if (!route) return status(failure('NotFound', 'the server could not find the requested resource'))
  if (route.type === 'group') {
    const g = apiGroup(route.group)
    return g ? json(200, g) : status(failure('NotFound', 'the server could not find the requested resource'))
  }
  if (route.type === 'groupVersion') {
    const list = apiResourceList(route.group, route.version)
    return list ? json(200, list) : status(failure('NotFound', 'the server could not find the requested resource'))
  }
  if (route.type === 'unknown') return status(failure('NotFound', 'the server could not find the requested resource'))
  const { resource: r, namespace, name, subresource } = route
  // The v1.33 API server's deprecation notice, which kubectl prints as "Warning: ...".
  if (r.kind === 'Endpoints') res.setHeader('Warning', '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"')
  const as = representationOf(req.headers.accept)
  // The engine commits every command it runs: a dry run would change the cluster, so it is refused instead.
  if (MUTATING.has(method) && url.searchParams.has('dryRun')) return status(badRequest('dry run is not supported by the simulated API server: run without --dry-run=server'))
  const raw = MUTATING.has(method) ? await readBody(req) : Buffer.alloc(0)
  if (raw === undefined) return status(failure('RequestEntityTooLarge', 'Request entity too large: limit is 3145728'))
  const contentType = req.headers['content-type'] ?? ''
  const text = raw.toString('utf8')
  if (name === undefined) {
    if (method === 'GET') {
      const watch = url.searchParams.get('watch')
      if (watch === 'true' || watch === '1') return void serveWatch(ctx, hub, r, namespace, url.searchParams, as, req, res)
      return listObjects(ctx, r, namespace, url.searchParams, as)
    }
    if (method === 'POST') {
      const body = bodyValue(req, raw)
      return body.ok ? createObject(ctx, r, namespace, body.value) : body.answer
    }
    return status(methodNotAllowed())
  }
  if (r.namespaced && namespace === undefined) return status(notFound(r, name))
  if (subresource === 'scale') return scaleSubresource(ctx, r, namespace, name, method, contentType, text)
  if (subresource === 'log' && r.kind === 'Pod' && method === 'GET') return podLog(ctx, r, namespace, name, url.searchParams)
  if (subresource === 'exec' && r.kind === 'Pod') return refuseExec()
  if (subresource === 'status' && method === 'GET') return getObject(ctx, r, namespace, name, url.searchParams, as)
  if (subresource !== undefined) return status(failure('NotFound', 'the server could not find the requested resource'))
  switch (method) {
    case 'GET':
      return getObject(ctx, r, namespace, name, url.searchParams, as)
    case 'PUT': {
      const body = bodyValue(req, raw)
      return body.ok ? replaceObject(ctx, r, namespace, name, body.value) : body.answer
    }
    case 'PATCH':
      return patchObject(ctx, r, namespace, name, contentType, text)
    case 'DELETE':
      return deleteObject(ctx, r, namespace, name)
  }
  return status(methodNotAllowed())
}

/**
 * Starts the simulated cluster behind a Kubernetes-style HTTP API (plain HTTP, no authentication) that a real kubectl
 * can talk to. The cluster runs in virtual time at wall speed: every `tickMs` it advances by the wall time elapsed,
 * and watchers are sent what changed; writes are published at once.
 */
export async function startServer(options: ServerOptions = {}): Promise<SimServer> {
  const now = options.now ?? Date.now
  let sim = options.sim
  if (!sim) {
    sim = createSimulation({ seed: options.seed ?? 1, workers: options.workers ?? 2 })
    if ((options.scenario ?? 'web') === 'web') {
      const applied = sim.apply(webScenario())
      if (!applied.ok) throw new Error(`the web scenario did not apply: ${applied.message}`)
    }
    sim.settle()
  }
  const ctx: ServerContext = { sim, source: new ObjectSource(sim), shift: new TimeShift(now(), sim.now) }
  const hub = new WatchHub(ctx.source)
  const advance = (ms: number) => {
    if (ms > 0) ctx.sim.advance(ms)
    hub.publish()
  }
  const server = createServer((req, res) => {
    const started = now()
    handle(ctx, hub, req, res)
      .catch((e: unknown) => status(failure('InternalError', `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`)))
      .then((answer) => {
        if (MUTATING.has(req.method ?? '')) hub.publish()
        if (answer) send(res, answer)
        options.log?.(`${req.method} ${req.url} ${answer ? answer.code : 'watch'} ${now() - started}ms`)
      })
  })
  // kubectl exec asks for a WebSocket upgrade (then SPDY): served over WebSocket, anything else refused with a Status.
  server.on('upgrade', (req, socket) => {
    const route = parseRoute(new URL(req.url ?? '/', 'http://localhost').pathname)
    const pod = route?.type === 'resource' && route.resource.kind === 'Pod' && route.subresource === 'exec' && route.name && route.namespace ? { namespace: route.namespace, name: route.name } : undefined
    if (pod && serveExec(ctx.sim, req, socket, pod)) {
      options.log?.(`${req.method} ${req.url} exec`)
      return
    }
    const body = JSON.stringify(refuseExec().body)
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
    options.log?.(`${req.method} ${req.url} upgrade refused`)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const tickMs = options.tickMs ?? 100
  let last = now()
  const timer = tickMs > 0 ? setInterval(() => {
    const t = now()
    advance(t - last)
    last = t
  }, tickMs) : undefined
  timer?.unref()
  const host = options.host ?? '127.0.0.1'
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    host,
    port: address.port,
    sim,
    advance,
    get watches() {
      return hub.size
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearInterval(timer)
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
