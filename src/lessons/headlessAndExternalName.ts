import { did, dnsKnows, readyEndpoints, service, serviceYaml } from './facts'
import { webWithService } from './startingClusters'
import type { Lesson } from './types'
import type { Simulation } from '../sim'

const HEADLESS = serviceYaml('web-headless', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] })
const EXTERNAL = serviceYaml('search', { type: 'ExternalName', externalName: 'example.com' })
const records = (sim: Simulation, name: string, type: string) =>
  sim
    .dnsRecords()
    .filter((r) => r.name === name && r.type === type)
    .map((r) => `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`)
    .join('\n')

/** Lesson 5: Services without a virtual IP: headless (DNS lists the Pods) and ExternalName (a CNAME). */
export const headlessAndExternalName: Lesson = {
  id: 'headless-and-externalname',
  title: 'Headless Services and ExternalName',
  summary: 'A Service with no ClusterIP, whose name lists the Pods themselves, and one that is only a DNS alias.',
  start: { seed: 5, workers: 2, manifest: webWithService() },
  steps: [
    {
      title: 'A headless Service: clusterIP: None',
      narration: ({ sim }) => [
        'A Service with clusterIP: None gets no virtual IP, so kube-proxy writes no rules for it. The EndpointSlice controller still lists its ready Pods, and CoreDNS serves them.',
        dnsKnows(sim, 'web-headless') ? `Its slice lists ${readyEndpoints(sim, 'web-headless').join(', ')}.` : 'Wait for CoreDNS to see it (Next event).',
      ],
      action: () => [{ type: 'apply', manifest: HEADLESS }],
      done: ({ sim }) => dnsKnows(sim, 'web-headless') && readyEndpoints(sim, 'web-headless').length > 0,
      highlight: () => [{ kind: 'service', name: 'default/web-headless' }],
      exhibit: () => ({ title: 'web-headless.yaml', text: HEADLESS }),
    },
    {
      title: 'Its name resolves to the Pods',
      narration: () => [
        'Looking up web-headless returns one A record per ready Pod, their own IPs, shuffled on each answer (CoreDNS\'s loadbalance plugin). The client picks one: the choice is the client\'s, not the kernel\'s. StatefulSets use this so each Pod has a name of its own.',
      ],
      action: () => [{ type: 'resolve', pod: 'default/client', name: 'web-headless' }],
      done: (ctx) => did(ctx, 'resolve').some((a) => a.name.startsWith('web-headless')) || did(ctx, 'connect').some((a) => a.target.startsWith('web-headless')),
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'pod', prefix: 'default/web-' }],
      exhibit: ({ sim }) => ({ title: 'dig +noall +answer web-headless.default.svc.cluster.local', text: records(sim, 'web-headless.default.svc.cluster.local.', 'A') }),
    },
    {
      title: 'No DNAT: straight to a Pod',
      narration: () => [
        'The client connects to a Pod IP it got from DNS. No kube-proxy rule matches a Pod IP, so nothing rewrites the destination: the packet goes to that Pod as addressed, and no conntrack NAT is needed on the way back.',
      ],
      action: () => [{ type: 'connect', from: 'default/client', target: 'web-headless:8080' }],
      done: (ctx) => did(ctx, 'connect').some((a) => a.target.startsWith('web-headless')),
      highlight: () => [{ kind: 'pod', prefix: 'default/web-' }],
    },
    {
      title: 'SRV records name the ports',
      narration: () => [
        'For each named port CoreDNS also serves SRV records, _http._tcp.web-headless.default.svc.cluster.local, giving every Pod\'s own DNS name and the port it listens on (the target port).',
      ],
      done: () => true,
      highlight: () => [{ kind: 'service', name: 'default/web-headless' }],
      exhibit: ({ sim }) => ({ title: 'dig +noall +answer SRV _http._tcp.web-headless.default.svc.cluster.local', text: records(sim, '_http._tcp.web-headless.default.svc.cluster.local.', 'SRV') }),
    },
    {
      title: 'ExternalName: a Service that is a DNS alias',
      narration: ({ sim }) => [
        'A Service of type ExternalName has no Pods, no ClusterIP and no rules: CoreDNS answers its name with a CNAME to another name. Clients keep using a cluster name while the thing behind it lives elsewhere.',
        dnsKnows(sim, 'search') ? `search.default.svc.cluster.local is now a CNAME for ${service(sim, 'search')?.spec.externalName}.` : 'Wait for CoreDNS to see it (Next event).',
      ],
      action: () => [{ type: 'apply', manifest: EXTERNAL }],
      done: ({ sim }) => dnsKnows(sim, 'search'),
      highlight: () => [{ kind: 'service', name: 'default/search' }],
      exhibit: ({ sim }) => ({ title: 'dig +noall +answer search.default.svc.cluster.local', text: records(sim, 'search.default.svc.cluster.local.', 'CNAME') || EXTERNAL }),
    },
    {
      title: 'Following the alias out of the cluster',
      narration: () => [
        'A request to search:80 resolves search to the CNAME example.com, then example.com through CoreDNS\'s upstream, and leaves the cluster: no kube-proxy rule is involved (the simulation has no Internet; a documentation address stands in for example.com).',
      ],
      action: () => [{ type: 'connect', from: 'default/client', target: 'search:80' }],
      done: (ctx) => did(ctx, 'connect').some((a) => a.target.startsWith('search')),
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'external', name: 'Internet' }],
    },
  ],
  tasks: [
    {
      title: 'Make an ExternalName Service docs for kubernetes.io',
      hint: 'Apply a Service named docs of type ExternalName with externalName: kubernetes.io.',
      check: ({ sim }) => {
        const s = service(sim, 'docs')
        if (!s) return undefined
        return s.spec.type === 'ExternalName' && s.spec.externalName === 'kubernetes.io' ? { ok: true, feedback: 'docs.default.svc.cluster.local is a CNAME for kubernetes.io.' } : { ok: false, feedback: 'docs exists, but is not an ExternalName Service for kubernetes.io.' }
      },
    },
  ],
}
