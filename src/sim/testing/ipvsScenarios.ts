import { ipvsNode, ipvsNodeAddresses } from '../controllers/kubeProxy/ipvs/ipvsNode'
import type { IpvsNode } from '../model/ipvs'
import { nodeInternalIP } from '../model/node'
import type { Simulation } from '../simulation'

/**
 * Adds Services of every kind IPVS mode writes for (iptablesOracle.test.ts's): NodePorts (TCP, UDP, SCTP), a Local load
 * balancer with source ranges, ClientIP affinity with an external IP, one with no endpoints, an internal Local policy.
 */
export function withServices(sim: Simulation): Simulation {
  const result = sim.apply([
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }, { name: 'dns', port: 53, protocol: 'UDP', targetPort: 8080 }, { name: 'sctp', port: 9999, protocol: 'SCTP', targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['172.18.0.0/16', '198.51.100.0/25'], selector: { app: 'web' }, ports: [{ port: 443, targetPort: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'sticky' }, spec: { sessionAffinity: 'ClientIP', externalIPs: ['192.0.2.7'], selector: { app: 'web' }, ports: [{ port: 8080 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty' }, spec: { type: 'LoadBalancer', selector: { app: 'none' }, externalIPs: ['192.0.2.8'], ports: [{ port: 80 }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'local' }, spec: { internalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 81, targetPort: 8080 }] } },
  ])
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'))
  sim.settle()
  return sim
}

/** What kube-proxy in IPVS mode wrote on `node` of `sim`, the node with all its addresses (eth0, flannel.1, cni0). */
export function ipvsOf(sim: Simulation, node: string): IpvsNode {
  const n = sim.state.nodes.get(node)!
  const ip = nodeInternalIP(n)
  return ipvsNode(sim.state.proxies.get(node)!, { name: node, ip, addresses: ipvsNodeAddresses(ip, n.spec.podCIDR) }, sim.config.podCIDR.text)
}
