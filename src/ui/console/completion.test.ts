import { describe, expect, it } from 'vitest'
import { createSimulation } from '../../sim'
import { webScenario } from '../../scenarios/webScenario'
import { complete, type ShellPlace } from './completion'

/** The cluster a student starts with: web (3 replicas), its Service, a client pod, CoreDNS; two workers. */
function cluster() {
  const sim = createSimulation({ seed: 42, workers: 2 })
  sim.apply(webScenario())
  sim.settle()
  return sim
}

const sim = cluster()
const webPods = [...sim.state.pods.keys()].filter((k) => k.startsWith('default/web-')).map((k) => k.slice('default/'.length)).sort()
/** The pod-template hash in the web pods' names (web-<hash>-<suffix>). */
const template = webPods[0]!.split('-')[1]!
const at = (place: ShellPlace) => (before: string) => complete(before, { place, state: sim.state, files: ['web.yaml', 'guestbook.yaml'] })
const laptop = at({ kind: 'laptop' })
const inClient = at({ kind: 'pod', namespace: 'default' })
const onNode = at({ kind: 'node' })

describe('Tab on the student laptop', () => {
  it('completes the first word to kubectl', () => {
    expect(laptop('kub')).toEqual({ insert: 'ectl ', candidates: [] })
  })

  it('lists the commands kubectl has when a prefix matches several, like bash on a second Tab', () => {
    expect(laptop('kubectl ')).toMatchObject({ insert: '' })
    expect(laptop('kubectl ').candidates).toEqual(expect.arrayContaining(['get', 'describe', 'apply', 'scale', 'exec', 'rollout', 'api-resources']))
    expect(laptop('kubectl de')).toEqual({ insert: '', candidates: ['delete', 'describe'] })
    expect(laptop('kubectl sc')).toEqual({ insert: 'ale ', candidates: [] })
  })

  it('completes subcommands: rollout status, create deployment, set image', () => {
    expect(laptop('kubectl rollout st')).toEqual({ insert: 'atus ', candidates: [] })
    expect(laptop('kubectl create dep')).toEqual({ insert: 'loyment ', candidates: [] })
    expect(laptop('kubectl set i')).toEqual({ insert: 'mage ', candidates: [] })
  })

  it('completes kinds by their plural, and by a short name when no plural starts so', () => {
    expect(laptop('kubectl get po')).toEqual({ insert: 'ds ', candidates: [] })
    expect(laptop('kubectl get endpoint')).toEqual({ insert: 's', candidates: [] })
    expect(laptop('kubectl get endpoints')).toEqual({ insert: '', candidates: ['endpoints', 'endpointslices'] })
    expect(laptop('kubectl get n')).toEqual({ insert: '', candidates: ['namespaces', 'nodes'] })
    expect(laptop('kubectl get sv')).toEqual({ insert: 'c ', candidates: [] })
    expect(laptop('kubectl describe deploy')).toEqual({ insert: 'ments ', candidates: [] })
    // scale takes only what the simulator scales: a Deployment (a ReplicaSet is refused, its Deployment owns it).
    expect(laptop('kubectl scale ')).toEqual({ insert: 'deployments ', candidates: [] })
  })

  it('completes names of the objects in the cluster, of the kind typed, in the default namespace', () => {
    expect(laptop('kubectl describe svc w')).toEqual({ insert: 'eb ', candidates: [] })
    expect(laptop('kubectl get svc ')).toEqual({ insert: '', candidates: ['kubernetes', 'web'] })
    expect(laptop('kubectl scale deploy w')).toEqual({ insert: 'eb ', candidates: [] })
    // Three replicas share their ReplicaSet's name: that much is inserted, then they are listed.
    expect(laptop('kubectl get pods web-')).toEqual({ insert: `${template}-`, candidates: [] })
    expect(laptop(`kubectl get pods web-${template}-`).candidates).toEqual(webPods)
    expect(laptop('kubectl get nodes worker-')).toEqual({ insert: '', candidates: ['worker-1', 'worker-2'] })
  })

  it('completes names in the namespace -n names, wherever the flag stands', () => {
    expect(laptop('kubectl get deploy -n kube-system c')).toEqual({ insert: 'oredns ', candidates: [] })
    expect(laptop('kubectl -n kube-system get svc k')).toEqual({ insert: 'ube-dns ', candidates: [] })
    expect(laptop('kubectl get svc --namespace=kube-system k')).toEqual({ insert: 'ube-dns ', candidates: [] })
  })

  it('completes kind/name, listing the names alone', () => {
    expect(laptop('kubectl rollout status deployment/w')).toEqual({ insert: 'eb ', candidates: [] })
    expect(laptop(`kubectl logs pod/web-${template}-`).candidates).toEqual(webPods)
  })

  it('completes pod names after exec and logs, and the pod tools after exec --', () => {
    expect(laptop('kubectl exec cl')).toEqual({ insert: 'ient ', candidates: [] })
    expect(laptop('kubectl exec -it cl')).toEqual({ insert: 'ient ', candidates: [] })
    expect(laptop('kubectl exec client -- nsl')).toEqual({ insert: 'ookup ', candidates: [] })
    expect(laptop('kubectl exec client -- nslookup w')).toEqual({ insert: 'eb ', candidates: [] })
  })

  it('completes flags, without a space after those that take a value', () => {
    expect(laptop('kubectl scale deploy web --rep')).toEqual({ insert: 'licas=', candidates: [] })
    expect(laptop('kubectl create deployment hello --im')).toEqual({ insert: 'age=', candidates: [] })
    expect(laptop('kubectl get pods -').candidates).toEqual(expect.arrayContaining(['-n', '-o', '-w', '-A']))
    // Only what the simulator acts on: the engine's own flags, not kubectl's whole list.
    expect(laptop('kubectl rollout status deploy/web --t')).toEqual({ insert: '', candidates: [] })
  })

  it('completes the values of -n, -o, -f and --type', () => {
    expect(laptop('kubectl get pods -n kube-')).toEqual({ insert: '', candidates: ['kube-node-lease', 'kube-public', 'kube-system'] })
    expect(laptop('kubectl get pods -n kube-s')).toEqual({ insert: 'ystem ', candidates: [] })
    expect(laptop('kubectl get pods --namespace=kube-s')).toEqual({ insert: 'ystem ', candidates: [] })
    expect(laptop('kubectl get pods -o w')).toEqual({ insert: 'ide ', candidates: [] })
    expect(laptop('kubectl apply -f g')).toEqual({ insert: 'uestbook.yaml ', candidates: [] })
    expect(laptop('kubectl expose deploy web --type=Node')).toEqual({ insert: 'Port ', candidates: [] })
  })

  it('offers the text filters after a pipe, and nothing it does not know', () => {
    expect(laptop('kubectl get pods | gr')).toEqual({ insert: 'ep ', candidates: [] })
    expect(laptop('kubectl get nosuchkind ')).toEqual({ insert: '', candidates: [] })
    expect(laptop('kubectl frobnicate ')).toEqual({ insert: '', candidates: [] })
    expect(laptop('nslookup')).toEqual({ insert: '', candidates: [] })
  })
})

describe('Tab in a shell in a pod', () => {
  it('completes the tools the pod has, not kubectl', () => {
    expect(inClient('ns')).toEqual({ insert: 'lookup ', candidates: [] })
    expect(inClient('print')).toEqual({ insert: 'env ', candidates: [] })
    expect(inClient('kub')).toEqual({ insert: '', candidates: [] })
    expect(inClient('c')).toEqual({ insert: '', candidates: ['cat', 'clear', 'curl'] })
  })

  it('completes Service names to look up: its own namespace by the short name, others with theirs', () => {
    expect(inClient('nslookup w')).toEqual({ insert: 'eb ', candidates: [] })
    expect(inClient('dig kube-dns')).toEqual({ insert: '.kube-system ', candidates: [] })
    expect(at({ kind: 'pod', namespace: 'kube-system' })('nslookup kube-d')).toEqual({ insert: 'ns ', candidates: [] })
  })

  it('completes the files a container has', () => {
    expect(inClient('cat /etc/re')).toEqual({ insert: 'solv.conf ', candidates: [] })
  })
})

describe('Tab in a shell on a node', () => {
  it("completes the node's tools and their arguments", () => {
    expect(onNode('iptables-s')).toEqual({ insert: 'ave ', candidates: [] })
    expect(onNode('iptables')).toEqual({ insert: '', candidates: ['iptables', 'iptables-save'] })
    expect(onNode('iptables-save -t n')).toEqual({ insert: 'at ', candidates: [] })
    expect(onNode('crictl p')).toEqual({ insert: 's ', candidates: [] })
    expect(onNode('conntrack -')).toEqual({ insert: 'L ', candidates: [] })
    expect(onNode('nslookup')).toEqual({ insert: '', candidates: [] })
  })

  it('completes what stops and starts the kubelet and kube-proxy', () => {
    expect(onNode('syst')).toEqual({ insert: 'emctl ', candidates: [] })
    expect(onNode('systemctl st')).toEqual({ insert: '', candidates: ['start', 'status', 'stop'] })
    expect(onNode('systemctl stop kub')).toEqual({ insert: 'elet ', candidates: [] })
    expect(onNode('pidof kube-p')).toEqual({ insert: 'roxy ', candidates: [] })
    expect(onNode('kill -S')).toEqual({ insert: 'TOP ', candidates: [] })
    expect(onNode('pkill -C')).toEqual({ insert: 'ONT ', candidates: [] })
  })
})

describe('Tab after kubectl cordon, uncordon and drain', () => {
  it('offers the nodes by name', () => {
    expect(laptop('kubectl cor')).toEqual({ insert: 'don ', candidates: [] })
    expect(laptop('kubectl drain w')).toEqual({ insert: 'orker-', candidates: [] })
    expect(laptop('kubectl uncordon worker-')).toEqual({ insert: '', candidates: ['worker-1', 'worker-2'] })
    expect(laptop('kubectl drain worker-1 --ig')).toEqual({ insert: 'nore-daemonsets ', candidates: [] })
  })
})
