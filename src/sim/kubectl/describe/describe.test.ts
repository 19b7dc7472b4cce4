import { describe, expect, it } from 'vitest'
import type { Simulation } from '../../index'
import { expectGolden } from '../../testing/golden'
import { webCluster } from '../../testing/scenarios'
import { describeObject, DESCRIBED_KINDS } from './describe'

/**
 * The goldens were checked line by line against kubectl 1.33's staging/src/k8s.io/kubectl/pkg/describe/describe.go
 * (tag kubernetes/kubectl v0.33.13), one upstream function per golden:
 *   service.txt        describeService (+ formatEndpointSlices, buildIngressString)
 *   pod.txt            describePod (+ describeContainers, describeVolumes, printProjectedVolumeSource, DescribeProbe)
 *   deployment.txt     describeDeployment (+ DescribePodTemplate, printReplicaSetsByLabels)
 *   replicaset.txt     describeReplicaSet (+ getPodStatusForController, DescribePodTemplate)
 *   endpoints.txt      describeEndpoints
 *   endpointslice.txt  describeEndpointSliceV1
 *   node.txt           describeNode (+ describeNodeLease, describeNodeResource)
 *   namespace.txt      describeNamespace (+ DescribeResourceQuotas, DescribeLimitRanges)
 * and every Events section DescribeEvents. The layout is text/tabwriter's (minwidth 0, tabwidth 8, padding 2, ' '):
 * trailing spaces in the goldens (a padded cell before an empty last one, "True " in Conditions) are kubectl's own.
 */

/** The web scenario, grown: a NodePort and a LoadBalancer Service, a pod nothing can run, and one rollout done. */
function rolledOutCluster(): Simulation {
  const sim = webCluster()
  const applied = sim.apply([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-lb', labels: { app: 'web' } }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending' },
      spec: {
        nodeSelector: { disktype: 'ssd' },
        containers: [{
          name: 'app', image: 'nginx', resources: { limits: { cpu: '500m', memory: '128Mi' } },
          env: [{ name: 'MODE', value: 'demo' }, { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
        }],
      },
    },
  ])
  expect(applied.ok).toBe(true)
  sim.settle()
  expect(sim.setImage('default', 'web', 'web', 'nginxinc/nginx-unprivileged:1.28').ok).toBe(true)
  sim.settle()
  sim.advance(90_000)
  return sim
}

/** `kubectl describe KIND NAME...`: each description, separated as kubectl's describe command separates them. */
function kubectlDescribe(sim: Simulation, kind: string, namespace: string | undefined, names: readonly string[]): string {
  return names.map((name) => describeObject(sim.state, sim.events(), kind, sim.get(kind, namespace, name)!, sim.now)).join('\n\n')
}

const golden = (name: string) => `${__dirname}/__golden__/${name}.txt`

describe('kubectl describe', () => {
  const sim = rolledOutCluster()
  const webPods = sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-')).map((p) => p.metadata.name).sort()
  const replicaSets = sim.list('ReplicaSet', 'default').map((rs) => rs.metadata.name).sort()

  it('describes Services with their ports, ready endpoints, ingress and events (golden)', () => {
    const text = kubectlDescribe(sim, 'Service', 'default', ['web', 'web-np', 'web-lb'])
    expect(text).toMatch(/\nEndpoints: {16}10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080,10\.244\.\d+\.\d+:8080\n/)
    expect(text).toContain('\nLoadBalancer Ingress:     203.0.113.10 (VIP)\n')
    expectGolden(golden('service'), text)
  })

  it('describes pods running, with a command, static, and unschedulable (golden)', () => {
    const text = kubectlDescribe(sim, 'Pod', 'default', [webPods[0]!, 'client', 'pending'])
      + '\n\n' + kubectlDescribe(sim, 'Pod', 'kube-system', ['kube-apiserver-control-plane'])
    expect(text).toContain('\nNode:             <none>\n')
    expect(text).toMatch(/\n {2}Warning {2}FailedScheduling +\d+s +default-scheduler +0\/3 nodes are available/)
    expect(text).toContain('      POD_NAME:  pending (v1:metadata.name)\n')
    expectGolden(golden('pod'), text)
  })

  it('describes the Deployment after its rollout, old and new ReplicaSets included (golden)', () => {
    const text = kubectlDescribe(sim, 'Deployment', 'default', ['web'])
    expect(text).toContain('Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n')
    expect(text).toMatch(/\nOldReplicaSets: {2}web-\w+ \(0\/0 replicas created\)\nNewReplicaSet: {3}web-\w+ \(3\/3 replicas created\)\n/)
    expectGolden(golden('deployment'), text)
  })

  it('describes both ReplicaSets, with their pods by phase (golden)', () => {
    expectGolden(golden('replicaset'), kubectlDescribe(sim, 'ReplicaSet', 'default', replicaSets))
  })

  it('describes the Endpoints and the EndpointSlice of Service web (golden)', () => {
    const slices = sim.list('EndpointSlice', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')
    expectGolden(golden('endpoints'), kubectlDescribe(sim, 'Endpoints', 'default', ['web']))
    expectGolden(golden('endpointslice'), kubectlDescribe(sim, 'EndpointSlice', 'default', slices.map((s) => s.metadata.name)))
  })

  it('describes nodes with their lease, capacity and the requests of their pods (golden)', () => {
    const text = kubectlDescribe(sim, 'Node', undefined, ['control-plane', 'worker-1'])
    expect(text).toContain('\n  cpu                200m (10%)  0 (0%)\n')
    expectGolden(golden('node'), text)
  })

  it('describes a namespace (golden)', () => {
    expectGolden(golden('namespace'), kubectlDescribe(sim, 'Namespace', undefined, ['default']))
  })

  it('shows a pod being deleted as Terminating, the age of its deadline "<invalid>" as kubectl prints it', () => {
    const fresh = webCluster()
    const name = fresh.list('Pod', 'default').find((p) => p.metadata.name.startsWith('web-'))!.metadata.name
    fresh.delete('Pod', 'default', name)
    fresh.advance(100)
    const text = describeObject(fresh.state, fresh.events(), 'Pod', fresh.get('Pod', 'default', name)!, fresh.now)
    expect(text).toMatch(/\nStatus: +Terminating \(lasts <invalid>\)\nTermination Grace Period: +30s\n/)
    expect(text).toMatch(/\n {2}Normal {2}Killing +\d+s +kubelet +Stopping container web\n$/)
  })

  it('leaves out the events of an earlier object of the same name', () => {
    const fresh = webCluster()
    const spec = { containers: [{ name: 'c', image: 'nginx' }] }
    fresh.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'again' }, spec })
    fresh.settle()
    fresh.delete('Pod', 'default', 'again')
    fresh.settle()
    fresh.advance(5_000)
    fresh.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'again' }, spec })
    fresh.settle()
    const text = describeObject(fresh.state, fresh.events(), 'Pod', fresh.get('Pod', 'default', 'again')!, fresh.now)
    expect(text.match(/ Scheduled /g)).toHaveLength(1)
    expect(text).not.toContain('Killing')
  })

  it('names the kinds it describes, and refuses others', () => {
    expect([...DESCRIBED_KINDS].sort()).toEqual(['Deployment', 'EndpointSlice', 'Endpoints', 'Namespace', 'Node', 'Pod', 'ReplicaSet', 'Service'])
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }
    expect(() => describeObject(sim.state, [], 'ConfigMap', cm, sim.now)).toThrow(/no describer/)
  })
})
