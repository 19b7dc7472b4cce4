import { LB_IP_MODE_ANNOTATION } from '../sim'
import { clusterIP, conntrackList, did, kubectlRows, lbIP, nodePort, dnsKnows, dnsPodsBehind, dnsPodsKnowing, etcdEntry, nodes, podsOf, proxiesKnowing, readyEndpoints, service, serviceRules, serviceYaml, slicesOf, workers } from './facts'
import { webWithoutService } from './startingClusters'
import type { Lesson } from './types'
import type { Pod } from '../sim'

const WEB_SERVICE = serviceYaml('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] })
// A load balancer of the kind that forwards to a NodePort (ipMode: Proxy), as the story of step 10 tells it.
const WEB_LB = serviceYaml('web-lb', { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }, undefined, { [LB_IP_MODE_ANNOTATION]: 'Proxy' })
const clientNode = (sim: Parameters<typeof service>[0]) => (sim.get('Pod', 'default', 'client') as Pod | undefined)?.spec.nodeName

/** Lesson 1: the ten steps of how a Service is found, in order, starting from a Deployment nobody can reach yet. */
export const howAServiceIsFound: Lesson = {
  id: 'how-a-service-is-found',
  title: 'How a Service is found',
  summary: 'From kubectl apply to a packet DNAT-ed to a Pod: the ten steps, one at a time.',
  start: { seed: 1, workers: 2, manifest: webWithoutService() },
  steps: [
    {
      title: 'You post a Service to the API server',
      narration: () => [
        'Three Pods of the Deployment web are running, each with its own IP. Pods are replaced all the time and their IPs change, so clients need something stable to talk to: a Service.',
        'A Service is a manifest like the one shown. `kubectl apply` sends it to the API server, the front door of the cluster: every change to the cluster is a write to the API server.',
      ],
      action: () => [{ type: 'apply', manifest: WEB_SERVICE }],
      done: ({ sim }) => service(sim, 'web') !== undefined,
      highlight: () => [{ kind: 'component', name: 'API server' }],
      exhibit: () => ({ title: 'web-service.yaml (kubectl apply -f web-service.yaml)', text: WEB_SERVICE }),
      hint: 'Press "Do it for me", or apply this YAML in the YAML tab.',
    },
    {
      title: 'The Service gets a stable virtual IP: the ClusterIP',
      narration: ({ sim }) => [
        `The API server gave web the ClusterIP ${clusterIP(sim, 'web') ?? '(none yet)'}, taken from the Service CIDR 10.96.0.0/12, and kept its port 80.`,
        'This address is virtual: no network interface has it, and nothing answers a ping to it. It exists only as a rule in each node\'s kernel, which you will see being written. It stays the same for as long as the Service exists, however often its Pods change.',
      ],
      done: ({ sim }) => clusterIP(sim, 'web') !== undefined,
      highlight: () => [{ kind: 'service', name: 'default/web' }],
      exhibit: ({ sim }) => ({ title: 'kubectl get service web', text: kubectlRows(sim, 'service', ['web']) }),
    },
    {
      title: 'The EndpointSlice controller lists the ready Pods',
      narration: ({ sim }) => [
        'The EndpointSlice controller (in the controller manager) watches Services and Pods. It found the Pods whose labels match the selector app=web and wrote an EndpointSlice listing those that are ready.',
        `It lists ${readyEndpoints(sim, 'web').join(', ') || 'no addresses yet'}: the Pods' own IPs, with the target port 8080. When a Pod comes or goes, this list is rewritten; the Service is not.`,
      ],
      done: ({ sim }) => readyEndpoints(sim, 'web').length > 0,
      highlight: ({ sim }) => [{ kind: 'component', name: 'controller manager' }, ...slicesOf(sim, 'web').map((s) => ({ kind: 'slice' as const, name: `default/${s.metadata.name}` })), { kind: 'pod', prefix: 'default/web-' }],
      exhibit: ({ sim }) => ({ title: 'kubectl get endpointslices -l kubernetes.io/service-name=web', text: kubectlRows(sim, 'endpointslices', slicesOf(sim, 'web').map((x) => x.metadata.name)) }),
    },
    {
      title: 'CoreDNS learns the name',
      narration: ({ sim }) => [
        'CoreDNS, the cluster\'s DNS server, runs as Pods in kube-system. Each watches the API for Services and EndpointSlices; a moment after the write, the watch event reaches them.',
        dnsKnows(sim, 'web')
          ? `Now every CoreDNS Pod answers web.default.svc.cluster.local with ${clusterIP(sim, 'web')}: any Pod can find the Service by its name.`
          : dnsPodsKnowing(sim, 'web').length > 0
            ? `${dnsPodsKnowing(sim, 'web').join(', ')} already answers for web; ${dnsPodsBehind(sim, 'web').join(', ')} has not caught up yet: a query it gets is still answered NXDOMAIN.`
            : 'Press "Next event" (or "Do it for me") to let the watch event arrive.',
      ],
      done: ({ sim }) => dnsKnows(sim, 'web'),
      highlight: () => [{ kind: 'pod', prefix: 'kube-system/coredns-' }],
      exhibit: ({ sim }) => (dnsKnows(sim, 'web') ? { title: 'dig +noall +answer web.default.svc.cluster.local', text: sim.dnsRecords().filter((r) => r.name === 'web.default.svc.cluster.local.' && r.type === 'A').map((r) => `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`).join('\n') } : undefined),
    },
    {
      title: 'etcd stores the Service',
      narration: ({ sim }) => [
        'The API server keeps every object in etcd, a key-value store. The Service is stored under its key, as the object you see, and every write gives it a new revision: the resourceVersion that watchers use to know what they have already seen.',
        `web is at resourceVersion ${service(sim, 'web')?.metadata.resourceVersion ?? '?'}.`,
      ],
      done: () => true,
      highlight: () => [{ kind: 'component', name: 'etcd' }],
      exhibit: ({ sim }) => ({ title: 'etcdctl get /registry/services/specs/default/web', text: etcdEntry(sim, 'web') ?? '' }),
    },
    {
      title: 'kube-proxy on every node watches',
      narration: ({ sim }) => [
        'kube-proxy runs on every node (a DaemonSet Pod). It watches Services and EndpointSlices, and turns them into rules in its node\'s kernel. It batches changes: it syncs at most once a second.',
        proxiesKnowing(sim, 'web').length > 0 ? `kube-proxy on ${proxiesKnowing(sim, 'web').join(', ')} has seen web.` : 'Press "Next event" until kube-proxy has seen the change.',
      ],
      done: ({ sim }) => proxiesKnowing(sim, 'web').length > 0,
      highlight: ({ sim }) => nodes(sim).map((n) => ({ kind: 'kube-proxy' as const, name: n })),
    },
    {
      title: 'kube-proxy writes the rules on every node',
      narration: ({ sim }) => [
        'Each kube-proxy wrote iptables rules: traffic to the ClusterIP and port jumps to the Service\'s chain (KUBE-SVC-…), which picks one endpoint chain (KUBE-SEP-…) at random, each of which rewrites the destination to one Pod.',
        `Synced so far: ${proxiesKnowing(sim, 'web').length} of ${nodes(sim).length} nodes.`,
      ],
      done: ({ sim }) => proxiesKnowing(sim, 'web').length === nodes(sim).length,
      highlight: ({ sim }) => nodes(sim).map((n) => ({ kind: 'node' as const, name: n })),
      exhibit: ({ sim }) => ({ title: `iptables-save -t nat on ${workers(sim)[0]} (web's rules)`, text: serviceRules(sim, workers(sim)[0]!, 'web') }),
    },
    {
      title: 'The client resolves the name',
      narration: ({ sim }) => [
        'The client Pod asks for "web". Its /etc/resolv.conf (written by the kubelet) names the cluster DNS, 10.96.0.10, and a search list: with ndots:5 a short name is tried with each search domain first, so "web" becomes web.default.svc.cluster.local.',
        `The answer is the ClusterIP ${clusterIP(sim, 'web')}, never a Pod IP.`,
      ],
      action: () => [{ type: 'resolve', pod: 'default/client', name: 'web' }],
      done: (ctx) => did(ctx, 'resolve').length > 0 || did(ctx, 'connect').some((a) => a.from === 'default/client'),
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'pod', prefix: 'kube-system/coredns-' }],
      exhibit: ({ sim }) => ({ title: 'kubectl exec client -- cat /etc/resolv.conf', text: sim.resolvConf('default/client') ?? '' }),
      hint: 'Or send a request from the Traffic tab: it resolves the name first.',
    },
    {
      title: 'The kernel picks a Pod: DNAT, and conntrack reverses it',
      narration: ({ sim }) => [
        `The client sends its request to ${clusterIP(sim, 'web')}:80. On the client's node the kernel matches kube-proxy's rules and rewrites the destination to one ready Pod, chosen at random: destination NAT (DNAT). From there the packet travels as if the client had sent it to that Pod.`,
        'conntrack remembers the choice, so the rest of the connection goes to the same Pod, and rewrites the reply\'s source back to the ClusterIP: the client only ever sees the Service.',
      ],
      action: () => [{ type: 'connect', from: 'default/client', target: 'web:80' }],
      done: (ctx) => did(ctx, 'connect').some((a) => a.from === 'default/client'),
      highlight: ({ sim }) => [{ kind: 'pod', name: 'default/client' }, { kind: 'pod', prefix: 'default/web-' }, ...(clientNode(sim) ? [{ kind: 'node' as const, name: clientNode(sim)! }] : [])],
      exhibit: ({ sim }) => {
        const node = clientNode(sim)
        const list = node ? conntrackList(sim, node).split('\n').filter((l) => l.includes(`dst=${clusterIP(sim, 'web')} `)) : []
        return list.length ? { title: `conntrack -L on ${node} (the request's entry: to the ClusterIP, replied by the Pod)`, text: list.join('\n') } : undefined
      },
      hint: 'Or send a request from the Traffic tab.',
    },
    {
      title: 'A load balancer for the outside world',
      narration: ({ sim }) => [
        'ClusterIPs are reachable only inside the cluster. To let the Internet in, a Service of type LoadBalancer asks for a load balancer. It gets a ClusterIP as before, a NodePort (a port open on every node, from 30000-32767), and an external address from the load balancer.',
        lbIP(sim, 'web-lb') ? `web-lb got the external address ${lbIP(sim, 'web-lb')} and NodePort ${nodePort(sim, 'web-lb')}.` : 'The load balancer takes a moment to be provisioned: press "Next event".',
      ],
      action: () => [{ type: 'apply', manifest: WEB_LB }],
      done: ({ sim }) => lbIP(sim, 'web-lb') !== undefined,
      highlight: () => [{ kind: 'service', name: 'default/web-lb' }, { kind: 'external', name: 'load balancer' }],
      exhibit: () => ({ title: 'web-lb.yaml', text: WEB_LB }),
    },
    {
      title: 'From the Internet: load balancer, node, Pod',
      narration: ({ sim }) => [
        `A browser on the Internet connects to ${lbIP(sim, 'web-lb') ?? 'the load balancer'}:80. The load balancer picks a node and forwards the request to that node's address on the NodePort ${nodePort(sim, 'web-lb') ?? ''}; there kube-proxy's NodePort rules DNAT it to a ready Pod, on that node or another.`,
        'With externalTrafficPolicy: Cluster the node also masquerades the packet (SNAT) so the reply comes back through it, and the load balancer answers the browser. Everything after the node is the path you saw from the client Pod.',
      ],
      action: ({ sim }) => [{ type: 'connect', from: 'external', target: `${lbIP(sim, 'web-lb')}:80` }],
      done: (ctx) => did(ctx, 'connect').some((a) => a.from === 'external'),
      highlight: ({ sim }) => [{ kind: 'external', name: 'Internet' }, { kind: 'external', name: 'load balancer' }, ...workers(sim).map((n) => ({ kind: 'node' as const, name: n }))],
      hint: 'Or choose From: Internet in the Traffic tab.',
    },
  ],
  tasks: [
    {
      title: 'Reach web by its full name',
      hint: 'From the client, send a request to web.default.svc.cluster.local:80 (Traffic tab).',
      check: (ctx) => (did(ctx, 'connect').some((a) => a.target.startsWith('web.default.svc.cluster.local')) ? { ok: true, feedback: 'Right: the full name needs no search list, and resolves to the same ClusterIP.' } : undefined),
    },
    {
      title: 'Scale web to 5: the slice grows, the Service stays',
      hint: 'Use the + button of web until it has 5 replicas, and let them become ready.',
      check: ({ sim }) => {
        const n = readyEndpoints(sim, 'web').length
        return podsOf(sim, 'web').length === 5 && n === 5 ? { ok: true, feedback: `The EndpointSlice lists 5 Pods now; the ClusterIP is still ${clusterIP(sim, 'web')}.` } : undefined
      },
    },
    {
      title: 'Open web itself on a NodePort',
      hint: 'Apply the Service web again with type: NodePort (YAML tab).',
      check: ({ sim }) => (service(sim, 'web')?.spec.type === 'NodePort' ? { ok: true, feedback: `web now also listens on port ${service(sim, 'web')?.spec.ports?.[0]?.nodePort} of every node, and kept its ClusterIP ${clusterIP(sim, 'web')}.` } : undefined),
    },
  ],
}
