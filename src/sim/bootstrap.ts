import { allocate } from './admission/serviceAllocation'
import type { Engine } from './engine'
import type { EndpointSlice, Endpoints } from './model/endpointSlice'
import type { KubeObject } from './model/meta'
import type { Namespace } from './model/namespace'
import type { Node } from './model/node'
import type { Pod } from './model/pod'
import { defaultPodSpec } from './model/podSpecAdmission'
import type { Service } from './model/service'
import { defaultServiceSpec } from './model/serviceAdmission'
import type { Deployment } from './model/workloads'
import { defaultDeploymentSpec } from './model/workloadAdmission'
import { numberToIp } from './runtime/ip'
import { SAFE_ALPHABET } from './runtime/hash'
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

/** A node joins (kubeadm join): the Node object, then the kube-proxy DaemonSet pod bound to it. */
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
  const ds = engine.state.others.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'kube-proxy')
  create(engine, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `kube-proxy-${engine.rt.rng.string(SAFE_ALPHABET, 5)}`,
      namespace: 'kube-system',
      labels: { 'controller-revision-hash': '6d4b8c5b9f', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
      ...(ds ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: ds.metadata.uid!, controller: true, blockOwnerDeletion: true }] } : {}),
    },
    spec: defaultPodSpec({
      nodeName: name,
      hostNetwork: true,
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'kube-proxy',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { operator: 'Exists' }],
      containers: [{ name: 'kube-proxy', image: `registry.k8s.io/kube-proxy:${KUBERNETES_VERSION}`, command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', `--hostname-override=${name}`] }],
    }, true),
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  } as Pod, 'daemonset-controller')
  if (controlPlane) {
    for (const component of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
      create(engine, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${component}-${name}`,
          namespace: 'kube-system',
          labels: { component, tier: 'control-plane' },
          annotations: { 'kubernetes.io/config.source': 'file' },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid!, controller: true }],
        },
        spec: defaultPodSpec({
          nodeName: name,
          hostNetwork: true,
          priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
          containers: [{ name: component, image: component === 'etcd' ? 'registry.k8s.io/etcd:3.5.21-0' : `registry.k8s.io/${component}:${KUBERNETES_VERSION}` }],
        }, true),
        status: { phase: 'Pending', qosClass: 'Burstable' },
      } as Pod, 'kubelet')
    }
  }
}

function createService(engine: Engine, svc: Service, actor: string, message: string, writer: string): Service {
  const { state, spec } = allocate(engine.state, svc, undefined, engine.config, engine.rt.rng)
  engine.state = state
  const created = create(engine, { ...svc, spec }, writer) as Service
  story(engine, actor, created, message)
  return created
}

/** A kubeadm cluster: control plane (tainted), the kubernetes and kube-dns Services, CoreDNS, kube-proxy, workers. */
export function bootstrap(engine: Engine, workers: number): void {
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    create(engine, { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } } as Namespace, 'kube-apiserver')
  }
  create(engine, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } }, spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } } } })
  create(engine, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: COREFILE } })
  joinNode(engine, CONTROL_PLANE, 0, true)
  const apiServerIP = numberToIp(engine.config.nodeNetwork.base + 2)
  const { serviceCIDR, apiServerPort } = engine.config

  createService(engine, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ...defaultServiceSpec({ ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiServerPort }] }), clusterIP: numberToIp(serviceCIDR.base + 1) },
    status: { loadBalancer: {} },
  }, 'API server', `The API server created its own Service with the first address of the service CIDR, ${numberToIp(serviceCIDR.base + 1)}`, 'kube-apiserver')
  create(engine, {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: apiServerIP }], ports: [{ name: 'https', port: apiServerPort, protocol: 'TCP' }] }],
  } as Endpoints, 'kube-apiserver')
  const slice = create(engine, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [apiServerIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: apiServerPort, protocol: 'TCP' }],
  } as EndpointSlice, 'kube-apiserver')
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
}
