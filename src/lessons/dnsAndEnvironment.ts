import { clusterIP, did, dnsKnows, searchTries, serviceYaml, triesText } from './facts'
import { clientPod, webWithService } from './startingClusters'
import type { Lesson } from './types'
import type { Simulation } from '../sim'

const CLIENT = clientPod()
const SHOP = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: registry.k8s.io/e2e-test-images/agnhost:2.53
        args: ["netexec", "--http-port=8080"]
        ports:
        - containerPort: 8080
---
${serviceYaml('api', { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] }, 'shop')}`
const ADMIN = serviceYaml('web-admin', { selector: { app: 'web' }, ports: [{ port: 8080, targetPort: 8080 }] })

const serviceEnv = (sim: Simulation) =>
  Object.entries(sim.env('default/client') ?? {})
    .filter(([k]) => /_SERVICE_|_PORT/.test(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join('\n')
const tries = (name: string) => ({ sim }: { sim: Simulation }) => ({ title: `nslookup ${name} (from client: each name tried, in order)`, text: triesText(searchTries(sim, 'default/client', name)) })
const looked = (name: string) => (ctx: Parameters<Lesson['steps'][number]['done']>[0]) => did(ctx, 'resolve').some((a) => a.name === name) || did(ctx, 'connect').some((a) => a.target.startsWith(`${name}:`))

/** Lesson 3: how a client finds a Service: DNS (resolv.conf, the search list, namespaces) and environment variables. */
export const dnsAndEnvironment: Lesson = {
  id: 'dns-and-environment',
  title: 'Finding a Service: DNS and environment variables',
  summary: 'resolv.conf and its search list, short names and full names, other namespaces, and the variables set when a container starts.',
  start: { seed: 3, workers: 2, manifest: webWithService() },
  steps: [
    {
      title: "The client's resolv.conf",
      narration: () => [
        'When the kubelet starts a container it writes /etc/resolv.conf: the nameserver is the kube-dns Service\'s ClusterIP (10.96.0.10, served by the CoreDNS Pods), and a search list built from the Pod\'s namespace.',
        'options ndots:5 means: a name with fewer than five dots is first tried with each search domain appended, then as it is.',
      ],
      done: () => true,
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'service', name: 'kube-system/kube-dns' }],
      exhibit: ({ sim }) => ({ title: 'kubectl exec client -- cat /etc/resolv.conf', text: sim.resolvConf('default/client') ?? '' }),
    },
    {
      title: 'A short name: web',
      narration: ({ sim }) => [
        `"web" has no dots, so the first search domain is tried first: web.default.svc.cluster.local, which CoreDNS answers with the ClusterIP ${clusterIP(sim, 'web')}. A short name finds Services in the client's own namespace.`,
      ],
      action: () => [{ type: 'resolve', pod: 'default/client', name: 'web' }],
      done: looked('web'),
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'pod', prefix: 'kube-system/coredns-' }],
      exhibit: tries('web'),
    },
    {
      title: 'The full name: web.default.svc.cluster.local.',
      narration: () => [
        'A name ending in a dot is absolute (a fully qualified domain name): the search list is skipped and one query is sent. The Service\'s full name is <service>.<namespace>.svc.<cluster domain>.',
        'Without the final dot, this name has four dots, still fewer than five: the resolver would first try it with each search domain, wasting queries.',
      ],
      action: () => [{ type: 'resolve', pod: 'default/client', name: 'web.default.svc.cluster.local.' }],
      done: looked('web.default.svc.cluster.local.'),
      highlight: () => [{ kind: 'pod', name: 'default/client' }],
      exhibit: tries('web.default.svc.cluster.local.'),
    },
    {
      title: 'A Service in another namespace',
      narration: ({ sim }) => [
        'Here is a Deployment and a Service api in a new namespace, shop. CoreDNS names it api.shop.svc.cluster.local.',
        dnsKnows(sim, 'api', 'shop') ? `CoreDNS serves api.shop.svc.cluster.local: ${clusterIP(sim, 'api', 'shop')}.` : 'Wait for CoreDNS to see it (Next event).',
      ],
      action: () => [{ type: 'apply', manifest: SHOP }],
      done: ({ sim }) => dnsKnows(sim, 'api', 'shop'),
      highlight: () => [{ kind: 'service', name: 'shop/api' }],
    },
    {
      title: 'From default, "api" alone is not found',
      narration: () => [
        'The client lives in default, so its search list starts with default.svc.cluster.local: "api" becomes api.default.svc.cluster.local, which does not exist, and so do the other tries. The lookup fails with NXDOMAIN.',
      ],
      action: () => [{ type: 'resolve', pod: 'default/client', name: 'api' }],
      done: looked('api'),
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'service', name: 'shop/api' }],
      exhibit: tries('api'),
    },
    {
      title: '"api.shop" is found, through the second search domain',
      narration: ({ sim }) => [
        `api.shop.default.svc.cluster.local does not exist, but the next search domain gives api.shop.svc.cluster.local: ${clusterIP(sim, 'api', 'shop')}. To reach a Service in another namespace, add the namespace to its name.`,
      ],
      action: () => [{ type: 'resolve', pod: 'default/client', name: 'api.shop' }],
      done: looked('api.shop'),
      highlight: () => [{ kind: 'service', name: 'shop/api' }],
      exhibit: tries('api.shop'),
    },
    {
      title: 'Environment variables, set when the container started',
      narration: () => [
        'The kubelet also gives each container variables for every Service of its namespace that existed when the container started: WEB_SERVICE_HOST, WEB_SERVICE_PORT and the Docker-link style WEB_PORT_80_TCP… (enableServiceLinks, on by default).',
        'Now a new Service, web-admin, is created. Look: the client has no WEB_ADMIN_ variables. A running container\'s environment never changes.',
      ],
      action: () => [{ type: 'apply', manifest: ADMIN }],
      done: ({ sim }) => clusterIP(sim, 'web-admin') !== undefined,
      highlight: () => [{ kind: 'pod', name: 'default/client' }, { kind: 'service', name: 'default/web-admin' }],
      exhibit: ({ sim }) => ({ title: 'kubectl exec client -- env | grep -E "_SERVICE_|_PORT"', text: serviceEnv(sim) }),
    },
    {
      title: 'A new container sees the new Service',
      narration: ({ sim }) => [
        'Delete the client and create it again: its new container starts after web-admin existed, so it gets WEB_ADMIN_SERVICE_HOST. This is why DNS is the way to find Services: it follows changes, variables do not.',
        /WEB_ADMIN_SERVICE_HOST/.test(serviceEnv(sim)) ? 'The new client has the WEB_ADMIN_ variables.' : 'Not yet: the new client is starting.',
      ],
      action: () => [
        { type: 'delete', kind: 'pod', namespace: 'default', name: 'client' },
        { type: 'advance', ms: 31_000 },
        { type: 'apply', manifest: CLIENT },
      ],
      done: ({ sim }) => /WEB_ADMIN_SERVICE_HOST/.test(serviceEnv(sim)),
      highlight: () => [{ kind: 'pod', name: 'default/client' }],
      exhibit: ({ sim }) => ({ title: 'kubectl exec client -- env | grep -E "_SERVICE_|_PORT"', text: serviceEnv(sim) || '(the client is starting)' }),
    },
  ],
  tasks: [
    {
      title: 'Ask DNS yourself: nslookup from the client',
      hint: 'In the Console, type: kubectl exec client -- nslookup web (or open a shell in client and type nslookup web).',
      check: ({ commands }) =>
        commands.some((c) => (c.pod?.replace(/^default\//, '') === 'client' && /^\s*nslookup\s+\S/.test(c.line)) || /^\s*kubectl\s+exec\s+(-\S+\s+)*client\s+(-\S+\s+)*--\s+nslookup\s+\S/.test(c.line))
          ? { ok: true, feedback: 'Server: 10.96.0.10 is the kube-dns ClusterIP from resolv.conf; the answer came from a CoreDNS pod, with web\'s ClusterIP.' }
          : undefined,
    },
    {
      title: 'Reach api in shop from the client',
      hint: 'Send a request from default/client to api.shop:80 (Traffic tab).',
      check: ({ actions }) => (actions.some((a) => a.type === 'connect' && /^api\.shop(\.svc(\.cluster\.local\.?)?)?:80$/.test(a.target)) ? { ok: true, feedback: 'Right: another namespace needs its name in the Service name.' } : undefined),
    },
    {
      title: 'Make a Service cache in default, and find its variables',
      hint: 'Apply a Service named cache (any selector and port), then recreate the client: its env has CACHE_SERVICE_HOST.',
      check: ({ sim }) => (/CACHE_SERVICE_HOST=/.test(serviceEnv(sim)) ? { ok: true, feedback: 'The variables exist only in containers started after the Service.' } : sim.get('Service', 'default', 'cache') ? { ok: false, feedback: 'cache exists, but the client started before it: recreate the client.' } : undefined),
    },
  ],
}
