import { parseCidr, type Cidr } from './runtime/ip'

/** Cluster-wide settings, as kubeadm (with flannel) sets them up. */
export interface ClusterConfig {
  readonly serviceCIDR: Cidr
  readonly podCIDR: Cidr
  readonly clusterDomain: string
  readonly dnsServiceIP: string
  readonly nodePortRange: readonly [number, number]
  /** Addresses handed to type LoadBalancer Services (a MetalLB-style pool; TEST-NET-3, so it reads as a public IP). */
  readonly loadBalancerPool: readonly [string, string]
  /** The node network: the control plane gets .2, workers .3 upward (as kind lays out its Docker network). */
  readonly nodeNetwork: Cidr
  readonly apiServerPort: number
  readonly maxPodsPerNode: number
  readonly maxEndpointsPerSlice: number
  /** Pods the whole simulation may hold: Kubernetes' own scalability limit of 150,000, plus system pods. */
  readonly maxPods: number
  readonly maxNodes: number
}

export const DEFAULT_CONFIG: ClusterConfig = {
  serviceCIDR: parseCidr('10.96.0.0/12'),
  podCIDR: parseCidr('10.244.0.0/16'),
  clusterDomain: 'cluster.local',
  dnsServiceIP: '10.96.0.10',
  nodePortRange: [30000, 32767],
  loadBalancerPool: ['203.0.113.10', '203.0.113.250'],
  nodeNetwork: parseCidr('172.18.0.0/16'),
  apiServerPort: 6443,
  maxPodsPerNode: 110,
  maxEndpointsPerSlice: 100,
  maxPods: 160000,
  maxNodes: 5001,
}

/**
 * How far the virtual clock may go: 100 years (timestamps stay RFC 3339, every duration stays exact). A snapshot or
 * save whose clock is beyond it is refused as damaged rather than loaded with a clock that can no longer move (at
 * 1e300 ms adding a frame's milliseconds changes nothing).
 */
export const MAX_VIRTUAL_MS = 100 * 365.25 * 86_400_000

/** Virtual-time delays of the simulated components, in milliseconds. Chosen so a student can watch each step happen. */
export const TIMING = {
  /** Sandbox creation and CNI IP assignment after the kubelet sees a bound pod. */
  sandbox: 400,
  /** Pulling an image a node does not have yet: drawn uniformly from this range. */
  pullMin: 1500,
  pullMax: 4000,
  /** Creating and starting the container once the image is present. */
  containerStart: 300,
  /** How long a simulated process takes to exit after SIGTERM (capped by the grace period). */
  sigtermExit: 1000,
  /** A controller's informer sees a write this long after it (the watch event's way from etcd through the API server). */
  informerLatency: 10,
  /** CoreDNS and kube-proxy see a watch event this long after the write (plus a per-node spread for kube-proxy). */
  watchLatency: 100,
  /** kube-proxy's --iptables-min-sync-period default: at most one sync per second per node. */
  proxyMinSyncPeriod: 1000,
  /** The kubelet renews its node Lease every 10 s (a quarter of its 40 s lease duration). */
  leaseRenewInterval: 10_000,
  /** kube-controller-manager's --node-monitor-period: the node lifecycle controller looks every 5 s. */
  nodeMonitorPeriod: 5000,
  /** --node-monitor-grace-period, 50 s since 1.32 (40 s before): so long without a heartbeat, and the node is Unknown. */
  nodeMonitorGracePeriod: 50_000,
  /** The kubelet's restart back-off: 10 s, doubled after each crash, at most 5 min (MaxContainerBackOff). */
  backOffInitial: 10_000,
  backOffMax: 300_000,
  /** A crashing app here exits this long after it starts. */
  crashAfter: 1000,
} as const
