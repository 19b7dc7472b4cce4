import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { expectGolden } from '../testing/golden'
import { catchUp, webCluster } from '../testing/scenarios'
import { transcript } from '../testing/transcript'

/** What the real kubectl (v1.32.4) printed for these mistakes, captured with no cluster to talk to. */
const CLIENT_ERRORS = JSON.parse(readFileSync(`${__dirname}/__golden__/client-errors.json`, 'utf8')) as { args: string; exitCode: number; stdout: string; stderr: string }[]

describe('kubectl typed into the console', () => {
  it.each(CLIENT_ERRORS)('answers `kubectl $args` with the real kubectl\'s own error', ({ args, exitCode, stderr }) => {
    const sim = webCluster()
    const r = sim.run(`kubectl ${args}`)
    // kubectl 1.32 prints a required flag left out as a klog line, with its own clock and pid: compare the message.
    const expected = stderr.replace(/^E\d{4} [\d:.]+ +\d+ /, '')
    expect(r.stderr.replace(/^E\d{4} [\d:.]+ +\d+ /, '')).toBe(expected)
    expect(r.exitCode).toBe(exitCode)
  })

  it('lists what a student asks for first, as kubectl prints it (golden)', () => {
    const sim = webCluster()
    const text = transcript(sim, [
      'kubectl get svc',
      'kubectl get pods -o wide',
      'kubectl get pods --show-labels',
      'kubectl get pods -l app=web',
      'kubectl get all',
      'kubectl get svc,ep',
      'kubectl get svc web -o yaml',
      'kubectl get svc web -o name',
      'kubectl get svc web -o jsonpath={.spec.clusterIP}',
      "kubectl get pods -l app=web -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.status.podIP}{\"\\n\"}{end}'",
      'kubectl get endpointslices -l kubernetes.io/service-name=web',
      'kubectl get pods -n kube-system',
      'kubectl get nodes',
      'kubectl get svc nope',
      'kubectl get pods -n nowhere',
      'kubectl get foo',
      'kubectl get pods -o foo',
      'kubectl get pods | grep client',
    ])
    expectGolden(`${__dirname}/__golden__/get.txt`, text)
  })

  it('describes objects and lists the events, reading the engine, as kubectl does (golden)', () => {
    const sim = webCluster()
    sim.run('kubectl scale deploy web --replicas=4')
    sim.advance(20_000)
    const text = transcript(sim, [
      'kubectl describe svc web',
      'kubectl describe endpoints web',
      'kubectl describe pods web',
      'kubectl describe deploy nope',
      'kubectl describe configmap kube-root-ca.crt',
      'kubectl get events',
      'kubectl get events -A | wc -l',
      'kubectl api-resources --namespaced=false',
      'kubectl version',
      'kubectl cluster-info',
    ])
    expectGolden(`${__dirname}/__golden__/describe.txt`, text)
  })

  it('changes the cluster by dispatching actions, and the graph-facing state follows', () => {
    const sim = webCluster()
    const text = transcript(sim, [
      'kubectl scale deploy web --replicas=5',
      'kubectl scale deployment/nope --replicas=2',
      'kubectl create deployment api --image=nginx:1.27 --replicas=2 --port=80',
      'kubectl create deployment api --image=nginx:1.27',
      'kubectl expose deployment api --port=80',
      'kubectl create service nodeport shop --tcp=80:8080',
      'kubectl create svc clusterip cache --tcp=6379',
      'kubectl create service externalname search --external-name=search.example.com',
      'kubectl label pod client tier=debug',
      'kubectl label pod client tier=other',
      'kubectl label pod client tier=other --overwrite',
      'kubectl label pod client tier-',
      'kubectl annotate svc web owner=class',
      'kubectl set image deployment/web web=nginxinc/nginx-unprivileged:1.28',
      'kubectl rollout history deployment/web',
      'kubectl rollout undo deployment/web',
      'kubectl rollout restart deployment/web',
      'kubectl delete svc shop',
      'kubectl delete pod nope',
      'kubectl cordon worker-1',
      'kubectl cordon worker-1',
      'kubectl get nodes',
      'kubectl drain worker-2',
      'kubectl drain worker-2 --ignore-daemonsets --dry-run=client',
      'kubectl uncordon worker-1 worker-2',
      'kubectl cordon nope',
    ], { pause: 2000 })
    expectGolden(`${__dirname}/__golden__/changes.txt`, text)
    sim.settle()
    expect(sim.list('Pod', 'default').filter((p) => p.metadata.labels?.['app'] === 'web' && !p.metadata.deletionTimestamp)).toHaveLength(5)
    expect(sim.get('Service', 'default', 'api')).toBeDefined()
    expect(sim.get('Pod', 'default', 'client')!.metadata.labels?.['tier']).toBeUndefined()
    expect(sim.get('Service', 'default', 'web')!.metadata.annotations?.['owner']).toBe('class')
  })

  it('sends what it changes through the dispatch it is given, so the app can record it', () => {
    const sim = webCluster()
    const sent: string[] = []
    sim.run('kubectl scale deploy web --replicas=4', { dispatch: (a) => (sent.push(a.type), sim.dispatch(a)) })
    sim.run('kubectl get pods', { dispatch: (a) => (sent.push(a.type), sim.dispatch(a)) })
    expect(sent).toEqual(['scale'])
  })

  it('applies a manifest from a here-document, and refuses a broken one without changing anything', () => {
    const sim = webCluster()
    const ok = sim.run(`kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: cache
spec:
  selector:
    app: cache
  ports:
  - port: 6379
EOF`)
    expect(ok.stdout).toBe('service/cache created\n')
    const before = sim.state
    const bad = sim.run("kubectl apply -f - <<'EOF'\napiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 99999\nEOF")
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toMatch(/The Service "bad" is invalid:[\s\S]*spec.ports\[0\].port: Invalid value: 99999/)
    expect(sim.state).toBe(before)
    expect(sim.run('kubectl apply -f web.yaml', { files: { 'web.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: class\n' } }).stdout).toBe('namespace/class created\n')
    expect(sim.run('kubectl apply -f missing.yaml').stderr).toBe('error: the path "missing.yaml" does not exist\n')
  })

  it('watches with -w: the list first, then a row for each object written since', () => {
    const sim = webCluster()
    const first = sim.run('kubectl get pods -w')
    expect(first.follows).toBe(true)
    expect(first.stdout).toMatch(/^NAME +READY +STATUS/)
    expect(sim.run('kubectl get pods -w', { after: first.resumeAfter! }).stdout).toBe('')
    sim.run('kubectl scale deploy web --replicas=4')
    catchUp(sim)
    const next = sim.run('kubectl get pods -w', { after: first.resumeAfter! })
    expect(next.stdout).toMatch(/^web-\S+ +0\/1 +(Pending|ContainerCreating) /)
    expect(next.stdout).not.toMatch(/NAME/)
  })

  it('follows a rollout that is under way, as `rollout status` keeps watching', () => {
    const sim = webCluster()
    sim.run('kubectl set image deployment/web web=nginxinc/nginx-unprivileged:1.28')
    catchUp(sim)
    const during = sim.run('kubectl rollout status deployment/web')
    expect(during.stdout).toMatch(/^Waiting for deployment "web" rollout to finish: /)
    expect(during.follows).toBe(true)
    sim.settle()
    expect(sim.run('kubectl rollout status deployment/web')).toEqual({ exitCode: 0, stdout: 'deployment "web" successfully rolled out\n', stderr: '' })
  })
})
