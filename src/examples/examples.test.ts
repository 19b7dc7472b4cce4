import { parseAllDocuments } from 'yaml'
import { describe, expect, it } from 'vitest'
import { createSimulation, type EndpointSlice, type Pod, type Service, type Simulation } from '../sim'
import { EXAMPLES } from './index'
import { GUESTBOOK } from './guestbook'
import { SHOP } from './shop'

/** A settled three-worker cluster with the example applied, and what the apply said. */
function load(manifest: string): { sim: Simulation; result: ReturnType<Simulation['apply']> } {
  const sim = createSimulation({ seed: 3, workers: 3 })
  const result = sim.apply(manifest)
  sim.settle()
  return { sim, result }
}

const selects = (svc: Service, pod: Pod) => Object.entries(svc.spec.selector ?? {}).every(([k, v]) => pod.metadata.labels?.[k] === v)

describe.each(EXAMPLES.map((e) => [e.title, e] as const))('the example %s', (_, example) => {
  const { sim, result } = load(example.manifest)
  const services = (sim.list('Service', example.namespace) as Service[]).filter((s) => s.spec.selector)
  const pods = sim.list('Pod', example.namespace) as Pod[]

  it('is accepted whole: every object created, the kinds not simulated said so', () => {
    expect(result.errors).toEqual([])
    const documents = parseAllDocuments(example.manifest).filter((d) => d.contents !== null)
    expect(result.applied).toHaveLength(documents.length)
    expect(result.applied.every((a) => a.result === 'created')).toBe(true)
    for (const a of result.applied.filter((a) => a.kind === 'ServiceAccount')) expect(a.simulated).toBe(false)
  })

  it('lives in its own namespace and runs every pod, Ready', () => {
    expect(sim.get('Namespace', undefined, example.namespace)).toBeDefined()
    expect(pods.length).toBeGreaterThan(0)
    for (const p of pods) {
      expect(p.status.phase, p.metadata.name).toBe('Running')
      expect(p.status.conditions?.find((c) => c.type === 'Ready')?.status, p.metadata.name).toBe('True')
    }
  })

  it('gives every Service the ready endpoints of exactly the pods it selects', () => {
    expect(services.length).toBeGreaterThanOrEqual(3)
    for (const svc of services) {
      const slices = (sim.list('EndpointSlice', example.namespace) as EndpointSlice[]).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name)
      const endpoints = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions.ready)
      expect(endpoints.map((e) => e.targetRef?.name).sort(), svc.metadata.name).toEqual(pods.filter((p) => selects(svc, p)).map((p) => p.metadata.name).sort())
    }
  })

  it('answers each Service name from a pod of the namespace with its ClusterIP, and sends a request by name to a pod it selects', () => {
    const client = `${example.namespace}/${pods[0]!.metadata.name}`
    for (const svc of services) {
      const answer = sim.resolve(client, svc.metadata.name, 'A')
      expect(answer.rcode, svc.metadata.name).toBe('NOERROR')
      expect(answer.answers.map((a) => a.data)).toEqual([svc.spec.clusterIP])
      const port = svc.spec.ports![0]!.port
      const r = sim.connect(client, `${svc.metadata.name}:${port}`)
      expect(r.ok, `${svc.metadata.name}: ${r.reason}`).toBe(true)
      const served = pods.find((p) => `${example.namespace}/${p.metadata.name}` === r.pod)
      expect(served && selects(svc, served), `${svc.metadata.name} reached ${r.pod}`).toBe(true)
    }
  })
})

describe('the shop', () => {
  const { sim } = load(SHOP.manifest)
  const storefront = (sim.list('Pod', 'shop') as Pod[]).find((p) => p.metadata.name.startsWith('storefront-'))!

  it('names the services each part calls as name:port in its environment, and they answer there', () => {
    const env = sim.env(`shop/${storefront.metadata.name}`)!
    expect(env['CATALOG_ADDR']).toBe('catalog:3550')
    expect(env['CART_ADDR']).toBe('cart:7070')
    const named = Object.entries(env).filter(([, v]) => /^[a-z-]+:\d+$/.test(v))
    expect(named.map(([k]) => k).sort()).toEqual(['CART_ADDR', 'CATALOG_ADDR', 'CHECKOUT_ADDR', 'CURRENCY_ADDR', 'RECOMMENDER_ADDR'])
    for (const [key, value] of named) {
      const r = sim.connect(`shop/${storefront.metadata.name}`, value)
      expect(r.ok, `${key}=${value}: ${r.reason}`).toBe(true)
      expect(r.pod).toMatch(new RegExp(`^shop/${value.split(':')[0]}-`))
    }
  })

  it('serves the storefront from the Internet through its load balancer', () => {
    const lb = sim.get('Service', 'shop', 'storefront') as Service
    const ip = lb.status.loadBalancer.ingress?.[0]?.ip
    expect(ip).toMatch(/^203\.0\.113\./)
    const r = sim.connect('external', `${ip}:80`)
    expect(r.ok, r.reason).toBe(true)
    expect(r.pod).toMatch(/^shop\/storefront-/)
    expect(r.endpoint).toMatch(/:8080$/)
  })

  it('sends the email Service port 5000 to the container port 8080', () => {
    const r = sim.connect(`shop/${storefront.metadata.name}`, 'email:5000')
    expect(r.ok).toBe(true)
    expect(r.endpoint).toMatch(/:8080$/)
  })
})

describe('the guestbook', () => {
  const { sim } = load(GUESTBOOK.manifest)
  const frontend = (sim.list('Pod', 'guestbook') as Pod[]).find((p) => p.metadata.name.startsWith('frontend-'))!
  const from = `guestbook/${frontend.metadata.name}`

  it('chooses DNS discovery, and still has the Service variables env discovery would read', () => {
    const env = sim.env(from)!
    expect(env['GET_HOSTS_FROM']).toBe('dns')
    expect(env['REDIS_LEADER_SERVICE_HOST']).toBe((sim.get('Service', 'guestbook', 'redis-leader') as Service).spec.clusterIP)
    expect(env['REDIS_FOLLOWER_SERVICE_PORT']).toBe('6379')
  })

  it('writes to the leader and reads from a follower, both on 6379 (the follower Service has no targetPort)', () => {
    const write = sim.connect(from, 'redis-leader:6379')
    expect(write.pod).toMatch(/^guestbook\/redis-leader-/)
    const read = sim.connect(from, 'redis-follower:6379')
    expect(read.pod).toMatch(/^guestbook\/redis-follower-/)
    expect(read.endpoint).toMatch(/:6379$/)
    expect((sim.get('Service', 'guestbook', 'redis-follower') as Service).spec.ports![0]!.targetPort).toBe(6379)
  })

  it('serves the frontend from the Internet on its NodePort, on every node', () => {
    const nodePort = (sim.get('Service', 'guestbook', 'frontend') as Service).spec.ports![0]!.nodePort
    expect(nodePort).toBeGreaterThanOrEqual(30000)
    for (const node of ['172.18.0.3', '172.18.0.4', '172.18.0.5']) {
      const r = sim.connect('external', `${node}:${nodePort}`)
      expect(r.ok, r.reason).toBe(true)
      expect(r.pod).toMatch(/^guestbook\/frontend-/)
    }
  })
})

describe('the project', () => {
  it('carries everything its tests read: no file reaches outside the checkout for fixtures', async () => {
    const { readdirSync, readFileSync, statSync } = await import('node:fs')
    const { join } = await import('node:path')
    const root = join(__dirname, '../..')
    const outside = ['..', 'shared'].join('/')
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.') || name === 'dist' || name === 'test-results' || name === 'playwright-report') continue
        const path = join(dir, name)
        if (statSync(path).isDirectory()) walk(path)
        else if (/\.(ts|tsx|js|mjs|json)$/.test(name) && readFileSync(path, 'utf8').includes(outside)) offenders.push(path.slice(root.length + 1))
      }
    }
    walk(root)
    expect(offenders).toEqual([])
  })
})
