import { allocate } from './admission/serviceAllocation'
import type { Engine } from './engine'
import { serviceAccount } from './controllers/serviceAccountController'
import { kubernetesEndpointSlice, kubernetesEndpoints, kubernetesService } from './controllers/kubernetesServiceController'
import type { KubeObject } from './model/meta'
import type { Namespace } from './model/namespace'
import type { Node } from './model/node'
import type { Pod } from './model/pod'
import { defaultPodSpec } from './model/podSpecAdmission'
import type { Service } from './model/service'
import { defaultServiceSpec } from './model/serviceAdmission'
import type { DaemonSet, Deployment } from './model/workloads'
import { defaultDeploymentSpec } from './model/workloadAdmission'
import { numberToIp } from './runtime/ip'
import { sha256Hex } from './runtime/hash'
import { MIRROR_ANNOTATION } from './controllers/mirrorPod'
import { toTimestamp } from './runtime/time'

export const KUBERNETES_VERSION = 'v1.33.1'
export const CONTROL_PLANE = 'control-plane'

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`

/** Writes an object through the API server, as `writer` (kubeadm, the API server itself, a node's kubelet) sends it. */
function create(engine: Engine, obj: KubeObject, writer = 'kubeadm'): KubeObject {
  const r = engine.rt.api.as(writer).create(engine.state, obj)
  engine.state = r.state
  return r.object
}

/** Records the story of an object a cluster component created (kubeadm, the API server itself). */
function story(engine: Engine, actor: string, obj: KubeObject, message: string): void {
  const ns = obj.metadata.namespace
  engine.rt.record({ time: engine.state.now, actor, action: 'create', object: `${obj.kind} ${ns ? `${ns}/` : ''}${obj.metadata.name}`, message })
}

/** A Node as the kubelet registers it, with the /24 the node IPAM controller gives it. */
export function nodeObject(engine: Engine, name: string, index: number, controlPlane: boolean): Node {
  const { nodeNetwork, podCIDR } = engine.config
  const ip = numberToIp(nodeNetwork.base + 2 + index)
  const cidr = `${numberToIp(podCIDR.base + index * 256)}/24`
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      },
      annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock', 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: {
      podCIDR: cidr,
      podCIDRs: [cidr],
      ...(controlPlane ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] } : {}),
    },
    status: {
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      capacity: { cpu: controlPlane ? '2' : '4', 'ephemeral-storage': '61202244Ki', memory: controlPlane ? '4005328Ki' : '16373576Ki', pods: '110' },
      allocatable: { cpu: controlPlane ? '2' : '4', 'ephemeral-storage': '61202244Ki', memory: controlPlane ? '3902928Ki' : '16271176Ki', pods: '110' },
      conditions: [],
      nodeInfo: {
        architecture: 'amd64',
        containerRuntimeVersion: 'containerd://2.1.1',
        kernelVersion: '6.1.0-37-amd64',
        kubeProxyVersion: '',
        kubeletVersion: KUBERNETES_VERSION,
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
      },
    },
  }
}

/** A node joins (kubeadm join): the Node object (the DaemonSet controller then puts a kube-proxy pod on it). */
export function joinNode(engine: Engine, name: string, index: number, controlPlane: boolean): void {
  const draft = nodeObject(engine, name, index, controlPlane)
  const at = toTimestamp(engine.state.now)
  const node = create(engine, {
    ...draft,
    status: {
      ...draft.status,
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: at, lastTransitionTime: at },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: at, lastTransitionTime: at },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: at, lastTransitionTime: at },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: at, lastTransitionTime: at },
      ],
    },
  } as Node, 'kubelet')
  story(engine, controlPlane ? 'kubeadm init' : 'kubeadm join', node, `Node ${name} registered by its kubelet, podCIDR ${draft.spec.podCIDR}`)
  if (controlPlane) {
    for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      create(engine, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${component}-${name}`,
          namespace: 'kube-system',
          labels: { component, tier: 'control-plane' },
          annotations: {
            // The kubelet hashes the manifest file; a hash of the component and node stands in for it.
            'kubernetes.io/config.hash': sha256Hex(`${component}/${name}`).slice(0, 32),
            [MIRROR_ANNOTATION]: sha256Hex(`${component}/${name}`).slice(0, 32),
            'kubernetes.io/config.seen': toTimestamp(engine.state.now).replace('Z', '.000000000Z'),
            'kubernetes.io/config.source': 'file',
          },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid!, controller: true }],
        },
        spec: staticPodSpec(defaultPodSpec({
          nodeName: name,
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
          containers: [{ name: component, image: component === 'etcd' ? 'registry.k8s.io/etcd:3.5.21-0' : `registry.k8s.io/${component}:${KUBERNETES_VERSION}` }],
        }, true)),
        status: { phase: 'Pending', qosClass: 'Burstable' },
      } as Pod, 'kubelet')
    }
  }
}

/** kubeadm's kube-proxy DaemonSet: one hostNetwork pod per Linux node, tolerating every taint. */
function kubeProxyDaemonSet(): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' }, generation: 1 },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
      revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-proxy' } },
        spec: {
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { operator: 'Exists' }],
          containers: [{
            name: 'kube-proxy',
            image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`,
            command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
            env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
            securityContext: { privileged: true },
          }],
        },
      },
    },
    status: {},
  }
}

/** A mirror pod names no service account (the API refuses one that does): the defaults' are taken off. */
function staticPodSpec(spec: Pod['spec']): Pod['spec'] {
  const { serviceAccountName: _n, serviceAccount: _a, ...rest } = spec
  return rest as Pod['spec']
}

function createService(engine: Engine, svc: Service, actor: string, message: string, writer: string): Service {
  const { state, spec } = allocate(engine.state, svc, undefined, engine.config, engine.rt.rng.ipam)
  engine.state = state
  const created = create(engine, { ...svc, spec }, writer) as Service
  story(engine, actor, created, message)
  return created
}

/** A kubeadm cluster: control plane (tainted), the kubernetes and kube-dns Services, CoreDNS, kube-proxy, workers. */
export function bootstrap(engine: Engine, workers: number): void {
  // Before the cluster's history begins: each controller takes in the writes at once, so it starts settled.
  engine.rt.immediate = true
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    create(engine, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as Namespace, 'kube-apiserver')
  }
  create(engine, kubeProxyDaemonSet(), 'kubeadm')
  create(engine, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } }, 'kubeadm')
  // kubeadm's addons run as their own service accounts.
  for (const name of ['coredns', 'kube-proxy']) story(engine, 'kubeadm init', create(engine, serviceAccount('kube-system', name), 'kubeadm'), `kubeadm created ServiceAccount kube-system/${name} for its ${name} addon`)
  joinNode(engine, CONTROL_PLANE, 0, true)
  const apiServerIP = numberToIp(engine.config.nodeNetwork.base + 2)
  const { serviceCIDR, apiServerPort } = engine.config

  createService(engine, kubernetesService(engine.config), 'API server', `The API server created its own Service with the first address of the service CIDR, ${numberToIp(serviceCIDR.base + 1)}`, 'kube-apiserver')
  create(engine, kubernetesEndpoints(engine.config), 'kube-apiserver')
  const slice = create(engine, kubernetesEndpointSlice(engine.config), 'kube-apiserver')
  story(engine, 'API server', slice, `The API server keeps its own endpoint (${apiServerIP}:${apiServerPort}) in EndpointSlice default/kubernetes`)

  const dnsLabels = { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }
  createService(engine, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: dnsLabels, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
    spec: {
      ...defaultServiceSpec({
        selector: { 'k8s-app': 'kube-dns' },
        ports: [
          { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
          { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
          { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
        ],
      }),
      clusterIP: engine.config.dnsServiceIP,
    },
    status: { loadBalancer: {} },
  }, 'kubeadm init', `kubeadm created the DNS Service with the 10th address of the service CIDR, ${engine.config.dnsServiceIP}`, 'kubeadm')
  const coredns = create(engine, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: defaultDeploymentSpec({
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          dnsPolicy: 'Default',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
          containers: [{
            name: 'coredns',
            image: 'registry.k8s.io/coredns/coredns:v1.12.0',
            args: ['-conf', '/etc/coredns/Corefile'],
            resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
            ports: [
              { containerPort: 53, name: 'dns', protocol: 'UDP' },
              { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
              { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
            ],
            readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
            livenessProbe: { httpGet: { path: '/health', port: 8080, scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 },
          }],
        },
      },
    } as Deployment['spec']),
    status: {},
  } as Deployment)
  story(engine, 'kubeadm init', coredns, 'kubeadm installed the CoreDNS addon (2 replicas, tolerating the control-plane taint)')
  // CoreDNS lands on the control plane before any worker has joined, as on a fresh kubeadm cluster.
  engine.reconcile()
  for (let i = 1; i <= workers; i++) joinNode(engine, `worker-${i}`, i, false)
  engine.reconcile()
  engine.rt.immediate = false
}
