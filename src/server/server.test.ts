import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Pod, Service } from '../sim'
import type { KubeObject } from '../sim/model/meta'
import { CLUSTER_EPOCH_MS } from '../sim/runtime/time'
import { startServer, type SimServer } from './server'
import type { Status } from './status'
import type { TableColumn } from './tables'

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'
// The wall clock the server reads: fixed, so that every timestamp it serves is known.
const WALL = Date.UTC(2030, 5, 1, 12, 0, 0)

let server: SimServer
let startVirtual = 0

// The shapes these scenarios read from the answers.
type List<T> = { kind: string; apiVersion: string; metadata: { resourceVersion: string; continue?: string }; items: T[] }
type Table = { kind: string; columnDefinitions: TableColumn[]; rows: { cells: (string | number)[]; object?: KubeObject }[] }
type WatchEvent = { type: string; object: KubeObject & Partial<Table> }
type Resources = { resources: { name: string; kind: string; namespaced: boolean; group?: string }[] }
type Event = KubeObject & { reason: string; lastTimestamp: string }

async function call<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  })
  const text = await res.text()
  return { code: res.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as T, headers: res.headers }
}

/** A watch as a stream of events: `next(pred)` waits for the first event that matches. */
async function openWatch(path: string, accept = 'application/json') {
  const abort = new AbortController()
  const res = await fetch(`${server.url}${path}`, { headers: { Accept: accept }, signal: abort.signal })
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let pending = ''
  const seen: WatchEvent[] = []
  const next = async (pred: (e: WatchEvent) => boolean) => {
    for (;;) {
      const found = seen.find(pred)
      if (found) return found
      const { value, done } = await reader.read()
      if (done) throw new Error('the watch ended')
      pending += decoder.decode(value, { stream: true })
      const lines = pending.split('\n')
      pending = lines.pop()!
      for (const l of lines) if (l.trim()) seen.push(JSON.parse(l))
    }
  }
  return { next, close: () => abort.abort(), seen }
}

const service = (name: string, port = 80) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port, targetPort: 'http' }] } })

beforeAll(async () => {
  server = await startServer({ tickMs: 0, now: () => WALL })
  startVirtual = server.sim.now
})
afterAll(() => server.close())

describe('the simulated API server, as a client sees it', () => {
  it('answers discovery: the version, the groups, and each group-version with its subresources', async () => {
    expect((await call('GET', '/version')).body).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.1' })
    expect((await call('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] })
    const groups = (await call<{ groups: { name: string }[] }>('GET', '/apis')).body.groups.map((g) => g.name)
    expect(groups).toEqual(expect.arrayContaining(['apps', 'discovery.k8s.io', 'events.k8s.io']))
    const core = (await call<Resources>('GET', '/api/v1')).body.resources
    expect(core.find((r) => r.name === 'services')).toMatchObject({ kind: 'Service', namespaced: true, shortNames: ['svc'], singularName: 'service' })
    expect(core.find((r) => r.name === 'nodes')).toMatchObject({ namespaced: false })
    expect(core.map((r) => r.name)).toEqual(expect.arrayContaining(['pods/log', 'pods/exec']))
    const apps = (await call<Resources>('GET', '/apis/apps/v1')).body.resources
    expect(apps.find((r) => r.name === 'deployments/scale')).toMatchObject({ group: 'autoscaling', version: 'v1', kind: 'Scale' })
  })

  it('lists pods as the Table kubectl get prints, wide columns at priority 1', async () => {
    const { body } = await call<Table>('GET', '/api/v1/namespaces/default/pods?limit=500', undefined, { Accept: TABLE })
    expect(body.kind).toBe('Table')
    expect(body.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'])
    expect(body.columnDefinitions.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1])
    expect(body.rows.map((r) => r.cells[0])).toEqual(['client', ...server.sim.list('Pod', 'default').slice(1).map((p) => p.metadata.name)])
    expect(body.rows[0]!.cells.slice(1, 4)).toEqual(['1/1', 'Running', '0'])
    expect(body.rows[0]!.object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'client', namespace: 'default' } })
  })

  it('lists and gets pods as JSON, with every timestamp moved onto the wall clock', async () => {
    const list = (await call<List<Pod>>('GET', '/api/v1/namespaces/default/pods')).body
    expect(list).toMatchObject({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: String(server.sim.state.resourceVersion) } })
    expect(list.items).toHaveLength(4)
    const { code, body: pod } = await call<Pod>('GET', '/api/v1/namespaces/default/pods/client')
    expect(code).toBe(200)
    const stored = server.sim.get('Pod', 'default', 'client') as Pod
    const offset = Math.round((WALL - CLUSTER_EPOCH_MS - startVirtual) / 1000) * 1000
    expect(Date.parse(pod.metadata.creationTimestamp!)).toBe(Date.parse(stored.metadata.creationTimestamp!) + offset)
    const startedAt = (p: Pod) => Date.parse((p.status.containerStatuses![0]!.state['running'] as { startedAt: string }).startedAt)
    expect(startedAt(pod)).toBe(startedAt(stored) + offset)
    // "Now" in virtual time is now on the wall: the pod started within the cluster's lifetime, before now.
    expect(WALL - Date.parse(pod.status.startTime!)).toBeLessThanOrEqual(startVirtual + 1000)
  })

  it('filters by label and field selectors, lists across namespaces and pages with limit', async () => {
    const web = (await call<List<Pod>>('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items
    expect(web).toHaveLength(3)
    const one = (await call<List<Pod>>('GET', '/api/v1/pods?fieldSelector=metadata.name%3Dclient')).body.items
    expect(one.map((p) => p.metadata.name)).toEqual(['client'])
    const all = (await call<List<Pod>>('GET', '/api/v1/pods')).body.items
    expect(all.some((p) => p.metadata.namespace === 'kube-system')).toBe(true)
    const page = (await call<List<Pod>>('GET', '/api/v1/pods?limit=2')).body
    expect(page.items).toHaveLength(2)
    const rest = (await call<List<Pod>>('GET', `/api/v1/pods?limit=100&continue=${page.metadata.continue}`)).body
    expect(rest.items).toHaveLength(all.length - 2)
    expect((await call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%20in')).code).toBe(400)
  })

  it('streams ADDED when a pod is created and MODIFIED when a deployment is scaled', async () => {
    const rv = server.sim.state.resourceVersion
    const pods = await openWatch(`/api/v1/namespaces/default/pods?watch=true&resourceVersion=${rv}`)
    const deployments = await openWatch(`/apis/apps/v1/namespaces/default/deployments?watch=true&resourceVersion=${rv}`, TABLE)
    const created = await call('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'probe' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } })
    expect(created.code).toBe(201)
    expect((await pods.next((e) => e.object.metadata.name === 'probe')).type).toBe('ADDED')
    expect((await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 4 } }, { 'Content-Type': 'application/merge-patch+json' })).code).toBe(200)
    const modified = await deployments.next((e) => e.type === 'MODIFIED')
    expect(modified.object.kind).toBe('Table')
    expect(modified.object.rows![0]!.cells[0]).toBe('web')
    server.advance(2_000)
    expect(((await pods.next((e) => e.type === 'ADDED' && e.object.metadata.name.startsWith('web-'))).object as Pod).spec.containers[0]!.name).toBe('web')
    pods.close()
    deployments.close()
  })

  it('creates a Service, then applies a change to it as kubectl apply patches it', async () => {
    const created = await call<Service>('POST', '/api/v1/namespaces/default/services', service('extra'))
    expect(created.code).toBe(201)
    expect(created.body.spec.clusterIP).toMatch(/^10\./)
    // What kubectl apply sends for an existing object: a strategic merge patch, its list order as a directive.
    const patch = { metadata: { labels: { team: 'a' } }, spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 80, targetPort: 8080 }] } }
    const applied = await call<Service>('PATCH', '/api/v1/namespaces/default/services/extra', patch, { 'Content-Type': 'application/strategic-merge-patch+json' })
    expect(applied.code).toBe(200)
    expect(applied.body.spec.ports).toEqual([expect.objectContaining({ name: 'http', port: 80, targetPort: 8080 })])
    expect(applied.body.metadata.labels).toEqual({ team: 'a' })
  })

  it('merge-patches labels, scales through the subresource and deletes', async () => {
    const patched = await call<Service>('PATCH', '/api/v1/namespaces/default/services/extra', { metadata: { labels: { tier: 'x' } } }, { 'Content-Type': 'application/merge-patch+json' })
    expect(patched.body.metadata.labels).toEqual({ team: 'a', tier: 'x' })
    const json = await call<Service>('PATCH', '/api/v1/namespaces/default/services/extra', [{ op: 'remove', path: '/metadata/labels/team' }], { 'Content-Type': 'application/json-patch+json' })
    expect(json.body.metadata.labels).toEqual({ tier: 'x' })
    const scale = await call('PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 5 } })
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 5 }, status: { selector: 'app=web' } })
    expect(server.sim.get('Deployment', 'default', 'web')!.spec).toMatchObject({ replicas: 5 })
    const deleted = await call('DELETE', '/api/v1/namespaces/default/services/extra')
    expect(deleted.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'extra', kind: 'services' } })
    expect((await call('GET', '/api/v1/namespaces/default/services/extra')).code).toBe(404)
  })

  it('answers errors as Status objects with the codes kubectl expects', async () => {
    const missing = await call('GET', '/api/v1/namespaces/default/pods/x')
    expect(missing.code).toBe(404)
    expect(missing.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'pods "x" not found', details: { name: 'x', kind: 'pods' }, code: 404 })
    expect((await call('GET', '/apis/apps/v1/namespaces/default/deployments/x')).body).toMatchObject({ message: 'deployments.apps "x" not found', details: { group: 'apps' } })
    const exists = await call('POST', '/api/v1/namespaces/default/services', service('web'))
    expect(exists.body).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'services "web" already exists' })
    const bad = await call<Status>('POST', '/api/v1/namespaces/default/services', service('bad', 0))
    expect(bad.code).toBe(422)
    expect(bad.body).toMatchObject({ reason: 'Invalid', details: { name: 'bad', kind: 'Service' } })
    expect(bad.body.details!.causes![0]).toEqual({ reason: 'FieldValueInvalid', field: 'spec.ports[0].port', message: 'Invalid value: 0: must be between 1 and 65535, inclusive' })
    expect(bad.body.message).toBe('Service "bad" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive')
    expect((await call('POST', '/api/v1/namespaces/default/services', '{"kind": "Serv')).body).toMatchObject({ code: 400, reason: 'BadRequest' })
    expect((await call('POST', '/api/v1/namespaces/default/pods/client', {})).body).toMatchObject({ code: 405, reason: 'MethodNotAllowed' })
    expect((await call('DELETE', '/api/v1/namespaces/default/events/x')).code).toBe(405)
  })

  it('serves the story as Events that kubectl describe finds by the object uid', async () => {
    const uid = server.sim.get('Pod', 'default', 'client')!.metadata.uid!
    const selector = encodeURIComponent(`involvedObject.name=client,involvedObject.namespace=default,involvedObject.kind=Pod,involvedObject.uid=${uid}`)
    const events = (await call<List<Event>>('GET', `/api/v1/namespaces/default/events?fieldSelector=${selector}`)).body.items
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['Scheduled', 'Pulled', 'Created', 'Started']))
    expect(events[0]!).toMatchObject({ kind: 'Event', involvedObject: { kind: 'Pod', name: 'client', uid }, source: { component: 'default-scheduler' }, type: 'Normal', count: 1 })
    expect(Date.parse(events[0]!.lastTimestamp)).toBeLessThanOrEqual(WALL)
    const v1 = (await call<List<KubeObject>>('GET', '/apis/events.k8s.io/v1/namespaces/default/events')).body.items[0]
    expect(v1).toMatchObject({ apiVersion: 'events.k8s.io/v1', regarding: { kind: expect.any(String) }, note: expect.any(String) })
  })

  it('serves pods/log and refuses exec without a WebSocket', async () => {
    const web = server.sim.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!
    const log = await call('GET', `/api/v1/namespaces/default/pods/${web.metadata.name}/log`)
    expect(log.body).toContain('Configuration complete; ready for start up')
    expect((await call('POST', '/api/v1/namespaces/default/pods/client/exec?command=ls')).body).toMatchObject({ code: 400, message: 'Upgrade request required' })
  })
})
