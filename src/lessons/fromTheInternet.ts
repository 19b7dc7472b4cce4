import { did, lbIP, nodePort, podsOf, service, serviceRules, serviceYaml, workers } from './facts'
import { webWithService } from './startingClusters'
import type { Lesson } from './types'
import { LB_IP_MODE_ANNOTATION, type Node, type Simulation } from '../sim'

const NODEPORT = serviceYaml('web-np', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] })
const lb = (policy: 'Cluster' | 'Local', mode: 'Proxy' | 'VIP') => serviceYaml('web-lb', { type: 'LoadBalancer', externalTrafficPolicy: policy, selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] }, undefined, mode === 'Proxy' ? { [LB_IP_MODE_ANNOTATION]: 'Proxy' } : undefined)
const ipMode = (sim: Simulation) => service(sim, 'web-lb')?.status?.loadBalancer?.ingress?.[0]?.ipMode
const nodeIP = (sim: Simulation, name: string) => (sim.get('Node', undefined, name) as Node | undefined)?.status.addresses?.find((a) => a.type === 'InternalIP')?.address
const external = (ctx: Parameters<Lesson['steps'][number]['done']>[0], target?: string) => did(ctx, 'connect').some((a) => a.from === 'external' && (!target || a.target === target))
const nodesWithWeb = (sim: Simulation) => [...new Set(podsOf(sim, 'web').map((p) => p.spec.nodeName))].sort().join(', ')
/** A worker running none of web's Pods when there is one (the NodePort works there too), else the last worker. */
const farNode = (sim: Simulation) => {
  const busy = new Set(podsOf(sim, 'web').map((p) => p.spec.nodeName))
  const w = workers(sim)
  return w.find((n) => !busy.has(n)) ?? w[w.length - 1]!
}

/** Lesson 4: from outside: NodePort, LoadBalancer, and externalTrafficPolicy Cluster (SNAT) against Local. */
export const fromTheInternet: Lesson = {
  id: 'from-the-internet',
  title: 'From the Internet',
  summary: 'A NodePort on every node, a load balancer in front of them, and what externalTrafficPolicy changes.',
  start: { seed: 4, workers: 3, manifest: webWithService(2) },
  steps: [
    {
      title: 'A NodePort Service',
      narration: ({ sim }) => [
        'A Service of type NodePort is a ClusterIP Service plus a port, from 30000-32767, that kube-proxy opens on every node: traffic to any node\'s address on that port is sent to the Service\'s Pods.',
        nodePort(sim, 'web-np') ? `web-np got NodePort ${nodePort(sim, 'web-np')}.` : '',
      ],
      action: () => [{ type: 'apply', manifest: NODEPORT }],
      done: ({ sim }) => nodePort(sim, 'web-np') !== undefined && sim.state.proxies.get(workers(sim)[0]!)?.services.has('default/web-np') === true,
      highlight: () => [{ kind: 'service', name: 'default/web-np' }],
      exhibit: ({ sim }) => ({ title: `iptables-save -t nat on ${workers(sim)[0]} (web-np's rules)`, text: serviceRules(sim, workers(sim)[0]!, 'web-np') }),
    },
    {
      title: 'Any node answers on the NodePort',
      narration: ({ sim }) => [
        `web's Pods run on ${nodesWithWeb(sim)}. A client outside connects to ${farNode(sim)} (${nodeIP(sim, farNode(sim))}) on port ${nodePort(sim, 'web-np')}: its kube-proxy rules DNAT the packet to a Pod, on this node or another, and masquerade it so the reply comes back the same way.`,
      ],
      action: ({ sim }) => [{ type: 'connect', from: 'external', target: `${nodeIP(sim, farNode(sim))}:${nodePort(sim, 'web-np')}` }],
      done: (ctx) => external(ctx),
      highlight: ({ sim }) => [{ kind: 'node', name: farNode(sim) }, { kind: 'external', name: 'Internet' }],
    },
    {
      title: 'A LoadBalancer Service',
      narration: ({ sim }) => [
        'Remembering node addresses is not for clients. A Service of type LoadBalancer gets, on top of its ClusterIP and NodePort, an external address from a load balancer (a cloud\'s, or MetalLB on bare metal) that spreads traffic over the nodes.',
        lbIP(sim, 'web-lb') ? `web-lb got ${lbIP(sim, 'web-lb')} (NodePort ${nodePort(sim, 'web-lb')}). This balancer forwards to the NodePort: its status says ipMode: ${ipMode(sim)}.` : 'The load balancer is being provisioned (Next event).',
      ],
      action: () => [{ type: 'apply', manifest: lb('Cluster', 'Proxy') }],
      done: ({ sim }) => lbIP(sim, 'web-lb') !== undefined,
      highlight: () => [{ kind: 'service', name: 'default/web-lb' }, { kind: 'external', name: 'load balancer' }],
    },
    {
      title: 'Through the load balancer to a NodePort',
      narration: ({ sim }) => [
        `The load balancer picks a node and opens its own connection to that node's address on port ${nodePort(sim, 'web-lb') ?? ''}, the NodePort: from there it is the NodePort path you just saw. kube-proxy writes no rule for ${lbIP(sim, 'web-lb') ?? 'the external address'} itself (ipMode: Proxy tells it the balancer handles it).`,
        'With the default externalTrafficPolicy, Cluster, the node may send the packet to a Pod on another node, and masquerades it (SNAT) so the reply comes back through it.',
      ],
      action: ({ sim }) => [{ type: 'connect', from: 'external', target: `${lbIP(sim, 'web-lb')}:80` }],
      done: (ctx) => external(ctx, `${lbIP(ctx.sim, 'web-lb')}:80`),
      highlight: ({ sim }) => [{ kind: 'external', name: 'load balancer' }, ...workers(sim).map((n) => ({ kind: 'node' as const, name: n }))],
    },
    {
      title: 'The other kind: the address passed through',
      narration: ({ sim }) => [
        'Other load balancers (GCE\'s, MetalLB) pass the packet on unchanged, its destination still the external address: ipMode: VIP. Then kube-proxy does write rules for that address (KUBE-EXT-…), and they catch it on whichever node it arrives.',
        ipMode(sim) === 'VIP' ? `web-lb is now ipMode: VIP, with the same address ${lbIP(sim, 'web-lb')}.` : 'The balancer is being changed (Next event).',
      ],
      action: () => [{ type: 'apply', manifest: lb('Cluster', 'VIP') }],
      done: ({ sim }) => ipMode(sim) === 'VIP' && workers(sim).every((n) => (sim.kubeProxyRules(n) ?? '').includes(`-d ${lbIP(sim, 'web-lb')} `)),
      highlight: () => [{ kind: 'external', name: 'load balancer' }, { kind: 'service', name: 'default/web-lb' }],
      exhibit: ({ sim }) => ({ title: `iptables-save -t nat on ${workers(sim)[0]} (web-lb's rules)`, text: serviceRules(sim, workers(sim)[0]!, 'web-lb') }),
    },
    {
      title: 'externalTrafficPolicy: Local: the client address kept',
      narration: ({ sim }) => [
        'With Local, a node sends external traffic only to Pods on itself, so no SNAT is needed and the Pod sees the real client address. A node without a Pod drops it; kube-proxy answers the load balancer\'s health checks on healthCheckNodePort so that it sends only to nodes with a Pod.',
        `web-lb's health check port is ${service(sim, 'web-lb')?.spec.healthCheckNodePort ?? '(being allocated)'}; nodes with a web Pod: ${nodesWithWeb(sim)}.`,
      ],
      action: () => [{ type: 'apply', manifest: lb('Local', 'VIP') }],
      done: ({ sim }) => service(sim, 'web-lb')?.spec.externalTrafficPolicy === 'Local' && workers(sim).every((n) => sim.state.proxies.get(n)?.services.get('default/web-lb')?.spec.externalTrafficPolicy === 'Local'),
      highlight: () => [{ kind: 'service', name: 'default/web-lb' }],
      exhibit: ({ sim }) => ({ title: `iptables-save -t nat on ${workers(sim)[0]} (web-lb's rules)`, text: serviceRules(sim, workers(sim)[0]!, 'web-lb') }),
    },
    {
      title: 'Through the load balancer, under Local',
      narration: () => [
        'The load balancer now sends only to nodes whose health check passes, and the Pod that answers sees 198.51.100.23 as the source: follow the packet and compare its source address with the one under Cluster.',
      ],
      action: ({ sim }) => [{ type: 'connect', from: 'external', target: `${lbIP(sim, 'web-lb')}:80` }],
      done: (ctx) => external(ctx, `${lbIP(ctx.sim, 'web-lb')}:80`),
      highlight: ({ sim }) => [{ kind: 'external', name: 'load balancer' }, ...podsOf(sim, 'web').map((p) => ({ kind: 'node' as const, name: p.spec.nodeName! }))],
    },
  ],
  tasks: [
    {
      title: 'Make web itself reachable from outside on a NodePort',
      hint: 'Apply the Service web again with type: NodePort, then send a request from the Internet to a node on its port.',
      check: ({ sim, actions }) => {
        const port = nodePort(sim, 'web')
        if (service(sim, 'web')?.spec.type !== 'NodePort' || !port) return undefined
        return actions.some((a) => a.type === 'connect' && a.from === 'external' && a.target.endsWith(`:${port}`)) ? { ok: true, feedback: `web answers on port ${port} of every node, and kept its ClusterIP.` } : { ok: false, feedback: `web has NodePort ${port}: now send a request from the Internet to a node's address on it.` }
      },
    },
  ],
}
