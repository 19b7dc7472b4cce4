import { Map as IMap } from 'immutable'
import { proxyRuleCount, proxyRules, type NodeProxyRules } from '../controllers/kubeProxy/proxyRules'
import { flannelTables } from '../dataplane/flannelRules'
import { findVirtualServer } from '../dataplane/ipvs'
import { kernelWalk, type NodeKernel } from '../dataplane/kernelWalk'
import type { WalkContext } from '../dataplane/netfilter'
import { SERVICE_NAME_LABEL, type EndpointSlice } from '../model/endpointSlice'
import type { Header } from '../model/packet'
import type { ProxyMode } from '../model/proxyMode'
import type { Service } from '../model/service'
import { defaultServiceSpec } from '../model/serviceAdmission'
import { numberToIp } from '../runtime/ip'
import { createRng } from '../runtime/rng'
import type { ProxyView } from '../state'

/** The sizes the comparison chart measures: Services in the cluster. */
export const SCALING_SIZES = [1, 10, 100, 1_000, 10_000] as const

const NODE = { name: 'worker-1', ip: '172.18.0.3' }
const POD_CIDR = '10.244.0.0/16'
const NODE_POD_CIDR = '10.244.1.0/24'
const CLIENT = '10.244.1.2'

/** Service i's ClusterIP: 10.96.0.10 upwards. */
const clusterIP = (i: number) => numberToIp(0x0a600000 + 10 + i)

/**
 * A kube-proxy watch view of `services` ClusterIP Services, each with `endpointsPerService` ready endpoints on another node: what the
 * chart and the bench measure each mode against. Built directly (no controllers), so 10,000 Services take a moment.
 */
export function scalingView(services: number, mode: ProxyMode, endpointsPerService = 2): ProxyView {
  let svcs = IMap<string, Service>().asMutable()
  let slices = IMap<string, EndpointSlice>().asMutable()
  for (let i = 0; i < services; i++) {
    const name = `svc-${i}`
    svcs = svcs.set(`default/${name}`, {
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', resourceVersion: String(1000 + i) },
      spec: defaultServiceSpec({ clusterIP: clusterIP(i), clusterIPs: [clusterIP(i)], selector: { app: name }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }] }),
      status: { loadBalancer: {} },
    })
    const ep = (k: number) => ({ addresses: [numberToIp(0x0af40200 + ((i * endpointsPerService + k) % 60000))], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'worker-2' })
    slices = slices.set(`default/${name}-abc12`, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-abc12`, namespace: 'default', resourceVersion: String(50_000 + i), labels: { [SERVICE_NAME_LABEL]: name } },
      addressType: 'IPv4', endpoints: Array.from({ length: endpointsPerService }, (_, k) => ep(k)), ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    })
  }
  return { services: svcs.asImmutable(), endpointSlices: slices.asImmutable(), syncedAt: 0, ...(mode !== 'iptables' ? { mode } : {}) }
}

/** What one mode holds and does at one size: its rule count, and the rules a new connection to the last Service tests. */
export interface ScalingPoint {
  readonly mode: ProxyMode
  readonly services: number
  /** iptables rules; IPVS servers, real servers, ipset entries and rules; nft rules and map elements. */
  readonly rules: number
  /** Rules (and lookups) the first packet of a connection to the last Service is tested against, on the node. */
  readonly rulesWalked: number
}

/** Renders one node's rules for the view, as a sync does (what the chart times as "sync"). */
export function renderScaling(view: ProxyView): NodeProxyRules {
  return proxyRules(view, NODE, POD_CIDR)
}

/** Counts, for rendered rules, what a new connection from a pod to the last Service walks through on its node. */
export function measureScaling(rules: NodeProxyRules, services: number): ScalingPoint {
  return { mode: rules.mode, services, rules: proxyRuleCount(rules), rulesWalked: newConnection(rules, services - 1, 40000) }
}

/** The first packet of a new connection from a pod to Service `target` on the node: the rules and lookups it is tested against. */
export function newConnection(rules: NodeProxyRules, target: number, sport: number): number {
  const ipsets = rules.mode === 'ipvs' ? new Map(rules.ipvs.ipsets.map((s) => [s.name, s])) : undefined
  const kernel: NodeKernel = { proxy: rules, rules: { kubeProxy: rules.iptables, flannel: flannelTables(NODE_POD_CIDR, POD_CIDR) }, ...(ipsets ? { ipsets } : {}) }
  const local = new Set([NODE.ip, '10.244.1.1', '127.0.0.1', ...(rules.mode === 'ipvs' ? rules.ipvs.dummyAddresses : [])])
  const ctx: WalkContext = { localAddresses: local, rng: createRng(1), now: 0, recent: new Map(), mark: 0, ...(ipsets ? { ipsets } : {}) }
  const h: Header = { proto: 'tcp', src: CLIENT, sport, dst: clusterIP(target), dport: 80 }
  const nat = kernelWalk(kernel, 'dstnat', 'PREROUTING', h, ctx)
  const mid = nat.dnat ? { ...h, dst: nat.dnat.ip, dport: nat.dnat.port } : h
  const filter = kernelWalk(kernel, 'filter', local.has(mid.dst) ? 'INPUT' : 'FORWARD', mid, ctx)
  // IPVS: one lookup in its hash of virtual servers.
  const ipvs = rules.mode === 'ipvs' && findVirtualServer(rules.ipvs, mid) ? 1 : 0
  const post = kernelWalk(kernel, 'srcnat', 'POSTROUTING', mid, ctx)
  return nat.rulesEvaluated + filter.rulesEvaluated + ipvs + post.rulesEvaluated
}
