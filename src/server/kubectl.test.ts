import { execFile } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kubeconfig } from './kubeconfig'
import { startServer, type SimServer } from './server'

/** The real kubectl on PATH, if there is one: these scenarios run only where it is installed. */
function findKubectl(): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, 'kubectl'), constants.X_OK)
      return join(dir, 'kubectl')
    } catch {
      // not in this directory
    }
  }
  return undefined
}

const KUBECTL = findKubectl()
let server: SimServer
let dir: string

/** Runs kubectl against the server (asynchronously: the server answers from this same process). */
function kubectl(args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(KUBECTL!, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
    if (stdin !== undefined) child.stdin!.end(stdin)
  })
}

const EXTRA = `apiVersion: v1
kind: Service
metadata:
  name: extra
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 8080
    targetPort: http
`

describe.skipIf(!KUBECTL)('a real kubectl against the simulated cluster', () => {
  beforeAll(async () => {
    server = await startServer()
    dir = mkdtempSync(join(tmpdir(), 'sim-kubectl-'))
    writeFileSync(join(dir, 'kubeconfig'), kubeconfig(server.url))
  })
  afterAll(async () => {
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('gets pods with the columns of a real cluster', async () => {
    const r = await kubectl(['get', 'pods'])
    expect(r.stderr).toBe('')
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/)
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['client', '1/1', 'Running'],
      ...server.sim.list('Pod', 'default').slice(1).map((p) => [p.metadata.name, '1/1', 'Running']),
    ])
  })

  it('gets services -o wide, with SELECTOR', async () => {
    const r = await kubectl(['get', 'svc', '-o', 'wide'])
    expect(r.stdout).toMatch(/^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\n/)
    expect(r.stdout).toMatch(/\nweb\s+ClusterIP\s+10\.\S+\s+<none>\s+80\/TCP\s+\d+s\s+app=web\n/)
  })

  it('describes the web Service, its endpoints from its EndpointSlices', async () => {
    const r = await kubectl(['describe', 'svc', 'web'])
    expect(r.stdout).toMatch(/^Name:\s+web\nNamespace:\s+default\n/)
    expect(r.stdout).toMatch(/\nSelector:\s+app=web\n/)
    expect(r.stdout).toMatch(/\nEndpoints:\s+10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080\n/)
  })

  it('applies a new Service from stdin, scales the Deployment, reads it back and deletes the Service', async () => {
    expect(await kubectl(['apply', '-f', '-'], EXTRA)).toMatchObject({ code: 0, stdout: 'service/extra created\n' })
    expect((await kubectl(['apply', '-f', '-'], EXTRA)).stdout).toBe('service/extra unchanged\n')
    expect((await kubectl(['apply', '-f', '-'], EXTRA.replace('port: 8080', 'port: 8081'))).stdout).toBe('service/extra configured\n')
    expect(server.sim.get('Service', 'default', 'extra')!.spec).toMatchObject({ ports: [expect.objectContaining({ port: 8081 })] })
    expect((await kubectl(['scale', 'deploy', 'web', '--replicas=5'])).stdout).toBe('deployment.apps/web scaled\n')
    expect((await kubectl(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'])).stdout).toBe('5')
    expect((await kubectl(['delete', 'svc', 'extra'])).stdout).toBe('service "extra" deleted\n')
    expect(server.sim.get('Service', 'default', 'extra')).toBeUndefined()
  })

  it('creates from kubectl\'s generators, whose typed clients send protobuf', async () => {
    expect((await kubectl(['create', 'deployment', 'hello', '--image=nginx', '--replicas=2'])).stdout).toBe('deployment.apps/hello created\n')
    expect((await kubectl(['expose', 'deployment', 'hello', '--port=80'])).stdout).toBe('service/hello exposed\n')
    expect(server.sim.get('Service', 'default', 'hello')!.spec).toMatchObject({ selector: { app: 'hello' }, ports: [expect.objectContaining({ port: 80 })] })
  })

  it('describes a pod with its Events, and runs a command in it over exec', async () => {
    const described = await kubectl(['describe', 'pod', 'client'])
    expect(described.stdout).toMatch(/\nEvents:\n\s+Type\s+Reason\s+Age\s+From\s+Message\n[\s\S]*Normal\s+Scheduled\s+\S+\s+default-scheduler\s+Successfully assigned default\/client to worker-\d/)
    const exec = await kubectl(['exec', 'client', '--', 'cat', '/etc/resolv.conf'])
    expect(exec).toMatchObject({ code: 0, stdout: 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n' })
  })

  it('prints what the console\'s own kubectl prints of the same objects: describers and tables agree with the real ones', async () => {
    // Not `describe node`: the server holds no node Leases, and kubectl says so where the engine shows the lease.
    // Times and ages differ by the moments between the two runs; everything else must be the same, byte for byte once
    // the columns they widen are closed up.
    const normal = (t: string) => t.replace(/\w{3}, \d\d \w{3} \d{4} [\d:]+ \+0000/g, 'DATE').replace(/\b\d+(s|m\d*s?|h\d*m?)\b/g, 'AGE').replace(/ {2,}/g, '  ').replace(/ +\n/g, '\n')
    for (const line of ['describe svc web', 'describe endpointslices -l kubernetes.io/service-name=web', 'describe deploy web', 'describe rs', 'describe pod client', 'get svc -o wide', 'get pods -o wide', 'get endpointslices', 'get deploy,rs']) {
      const real = await kubectl(line.split(' '))
      const ours = server.sim.run(`kubectl ${line}`)
      expect(normal(ours.stdout), line).toBe(normal(real.stdout))
    }
  })

  it('prints the API server\'s errors as kubectl prints a real one\'s', async () => {
    expect(await kubectl(['get', 'pod', 'x'])).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "x" not found\n' })
    expect((await kubectl(['get', 'deploy', 'x'])).stderr).toBe('Error from server (NotFound): deployments.apps "x" not found\n')
    const invalid = await kubectl(['apply', '-f', '-'], EXTRA.replace('port: 8080', 'port: 0'))
    expect(invalid.stderr).toBe('The Service "extra" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n')
    const exists = await kubectl(['create', '-f', '-'], EXTRA.replace('name: extra', 'name: web'))
    expect(exists.stderr).toBe('Error from server (AlreadyExists): error when creating "STDIN": services "web" already exists\n')
  })
})
