import { clock, clusterIP, describeSections, did, podsOf, readyEndpoints, service, serviceRules, slicesOf, workers } from './facts'
import { webWithService } from './startingClusters'
import type { Highlight, Lesson, LessonContext } from './types'
import { faultKey, toTimestamp, type Deployment, type Node, type Pod, type Simulation } from '../sim'

const UNREACHABLE = 'node.kubernetes.io/unreachable'

const nodeOf = (sim: Simulation, name: string) => sim.get('Node', undefined, name) as Node | undefined
const readyOf = (sim: Simulation, name: string) => nodeOf(sim, name)?.status.conditions.find((c) => c.type === 'Ready')
const unreachableTaints = (sim: Simulation, name: string) => (nodeOf(sim, name)?.spec.taints ?? []).filter((t) => t.key === UNREACHABLE)
const clientNode = (sim: Simulation) => (sim.get('Pod', 'default', 'client') as Pod | undefined)?.spec.nodeName ?? ''
/** The node this lesson stops: the worker the client does not run on (a bare Pod on a dead node is never replaced). */
const downNode = (sim: Simulation) => workers(sim).find((n) => n !== clientNode(sim)) ?? workers(sim)[0]!
const isDown = (sim: Simulation) => sim.state.faults.has(faultKey('node-down', downNode(sim)))
const replicas = (sim: Simulation) => (sim.get('Deployment', 'default', 'web') as Deployment | undefined)?.spec.replicas ?? 0
/** web's Pods bound to a node, the Terminating ones included. */
const webPodsOn = (sim: Simulation, node: string) => (sim.list('Pod', 'default') as Pod[]).filter((p) => p.metadata.labels?.['app'] === 'web' && p.spec.nodeName === node)
const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name).join(' and ') || 'none'
const ipsOf = (pods: readonly Pod[]) => pods.map((p) => p.status.podIP).filter((ip): ip is string => ip !== undefined)
/** The pod IPs kube-proxy on a node sends web's connections to. */
const ruleTargets = (sim: Simulation, node: string) => [...serviceRules(sim, node, 'web').matchAll(/--to-destination ([\d.]+):/g)].map((m) => m[1]!).sort()
/** web's endpoints of a node's Pods, as the EndpointSlice lists them. */
const endpointsOn = (sim: Simulation, node: string) => slicesOf(sim, 'web').flatMap((s) => s.endpoints ?? []).filter((e) => e.nodeName === node)
const sentRequests = (ctx: LessonContext) => did(ctx, 'connect').filter((a) => a.from !== 'external')
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`
const since = (sim: Simulation) => sim.state.faults.get(faultKey('node-down', downNode(sim)))?.since
const lastEvent = (sim: Simulation, test: (e: ReturnType<Simulation['events']>[number]) => boolean) => sim.events().filter(test).at(-1)

const podsWide = ({ sim }: LessonContext) => ({ title: 'kubectl get pods -o wide', text: sim.run('kubectl get pods -o wide').stdout.trimEnd() })
const nodeDescribed = ({ sim }: LessonContext) => ({ title: `kubectl describe node ${downNode(sim)} (Taints, Conditions, Events)`, text: describeSections(sim, `node ${downNode(sim)}`, ['Name', 'Taints', 'Conditions', 'Events']) })
const rulesOnClientNode = ({ sim }: LessonContext) => ({ title: `iptables-save -t nat on ${clientNode(sim)} (web's rules)`, text: serviceRules(sim, clientNode(sim), 'web') })
const sliceConditions = ({ sim }: LessonContext) => ({
  title: 'kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath=… (address, ready, serving, terminating, node, pod)',
  text: slicesOf(sim, 'web')
    .flatMap((s) => s.endpoints ?? [])
    .map((e) => [e.addresses[0], e.conditions.ready, e.conditions.serving, e.conditions.terminating ?? false, e.nodeName, e.targetRef?.name].join('\t'))
    .join('\n'),
})
const downPods = (sim: Simulation): Highlight[] => webPodsOn(sim, downNode(sim)).map((p) => ({ kind: 'pod', name: `default/${p.metadata.name}` }))

/** Lesson 6: a node stops; the node controller notices, its Pods leave the endpoints, then are replaced elsewhere. */
export const whenANodeDies: Lesson = {
  id: 'node-failure',
  title: 'When a node dies',
  summary: 'Stop a worker: watch the grace period, the unreachable taints, the endpoints turn not ready, the eviction after 300 s and the replacements; the Service carries on.',
  start: { seed: 6, workers: 2, manifest: webWithService(4) },
  steps: [
    {
      title: 'web on two workers',
      narration: ({ sim }) => {
        const [a, b] = workers(sim)
        return [
          `The Deployment web runs ${replicas(sim)} Pods: ${names(webPodsOn(sim, a!))} on ${a}, ${names(webPodsOn(sim, b!))} on ${b}. The Service web (${clusterIP(sim, 'web')}:80) has all ${readyEndpoints(sim, 'web').length} as ready endpoints, and every node's kube-proxy spreads connections over them.`,
          `The client Pod runs on ${clientNode(sim)}. In this lesson ${downNode(sim)} dies: its kubelet stops and nothing reaches it any more, as when a machine loses power.`,
        ]
      },
      done: () => true,
      highlight: ({ sim }) => [...workers(sim).map((n): Highlight => ({ kind: 'node', name: n })), { kind: 'pod', prefix: 'default/web-' }, { kind: 'service', name: 'default/web' }],
      exhibit: podsWide,
    },
    {
      title: 'A node stops',
      narration: ({ sim }) => [
        `${downNode(sim)} is down${since(sim) !== undefined ? ` since ${clock(since(sim)!)}` : ''}: no kubelet, no kube-proxy, its Pods unreachable. But the cluster has not noticed yet. Nothing writes to the API server when a node dies: the Node still says Ready, the EndpointSlice still lists ${names(webPodsOn(sim, downNode(sim)))} as ready.`,
        'The only sign is an absence: the kubelet renews its Lease in kube-node-lease every 10 s, and those renewals have stopped.',
      ],
      action: ({ sim }) => [{ type: 'fault', fault: 'node-down', target: downNode(sim) }],
      done: ({ sim }) => isDown(sim),
      highlight: ({ sim }) => [{ kind: 'node', name: downNode(sim) }],
      exhibit: ({ sim }) => ({ title: 'kubectl get nodes', text: sim.kubectlGet('nodes').trimEnd() }),
      hint: 'Or open the Faults menu and choose Node down on worker-1 (or run systemctl stop kubelet in its shell).',
    },
    {
      title: 'Requests still work, but some time out',
      narration: (ctx) => {
        const { sim } = ctx
        const targets = ruleTargets(sim, clientNode(sim))
        const dead = ipsOf(webPodsOn(sim, downNode(sim))).filter((ip) => targets.includes(ip))
        return [
          `kube-proxy on ${clientNode(sim)} still has ${targets.length} endpoints in its rules for web, ${dead.length} of them (${dead.join(', ') || 'none'}) on ${downNode(sim)}. Each new connection picks one at random: those that pick a Pod on ${downNode(sim)} get no answer and end in "connection timed out: ${downNode(sim)} is down", the others are answered.`,
          `${sentRequests(ctx).length} requests sent in this step. Follow them in the Traffic tab: the Service works, for some of its clients some of the time. This lasts until the control plane decides the node is gone.`,
        ]
      },
      action: () => Array.from({ length: 4 }, () => ({ type: 'connect' as const, from: 'default/client', target: 'web:80' })),
      done: (ctx) => sentRequests(ctx).length > 0,
      highlight: ({ sim }) => [{ kind: 'pod', name: 'default/client' }, { kind: 'kube-proxy', name: clientNode(sim) }, ...downPods(sim)],
      exhibit: rulesOnClientNode,
      hint: 'Send a few requests from client to web:80 in the Traffic tab.',
    },
    {
      title: 'After the grace period: NotReady, and tainted',
      narration: ({ sim }) => {
        const node = downNode(sim)
        const ready = readyOf(sim, node)
        const began = since(sim)
        const at = ready?.status === 'Unknown' ? ready.lastTransitionTime : undefined
        return [
          `The node lifecycle controller in kube-controller-manager looks at every node's heartbeat every 5 s (--node-monitor-period). A node not heard from for --node-monitor-grace-period (50 s by default) gets its conditions set to Unknown, "Kubelet stopped posting node status.", and kubectl shows it NotReady.`,
          at !== undefined && began !== undefined
            ? `${node} turned Unknown at ${clock(at)}, ${seconds(Date.parse(at) - Date.parse(toTimestamp(began)))} after it stopped: the grace is counted from its last renewal, up to 10 s before the stop, and the controller only acts at one of its looks.`
            : `${node} is not Unknown yet: press Next event.`,
          `At the same moment it taints the node ${UNREACHABLE}: NoSchedule, so the scheduler puts nothing new there, and NoExecute, so the Pods on it are evicted once their toleration runs out.`,
        ]
      },
      done: ({ sim }) => readyOf(sim, downNode(sim))?.status === 'Unknown' && unreachableTaints(sim, downNode(sim)).length === 2,
      highlight: ({ sim }) => [{ kind: 'component', name: 'controller manager' }, { kind: 'node', name: downNode(sim) }],
      exhibit: nodeDescribed,
    },
    {
      title: 'Its Pods not ready, their endpoints out of the rules',
      narration: ({ sim }) => {
        const node = downNode(sim)
        const pods = webPodsOn(sim, node)
        return [
          `With the node, the controller marks its Pods not ready (MarkPodsNotReady: their Ready condition False, "Node is not ready"). The EndpointSlice controller keeps them in web's slice, with ready: false and serving: false, and every kube-proxy leaves them out of its rules: ${clientNode(sim)}'s now sends to ${ruleTargets(sim, clientNode(sim)).join(', ') || 'nothing'} only.`,
          `kubectl get pods still prints ${names(pods)} 1/1 Running: that column counts container statuses, which only their own kubelet writes, and it is down. The Ready condition is what counts for the Service.`,
        ]
      },
      done: ({ sim }) => {
        const node = downNode(sim)
        const ips = ipsOf(webPodsOn(sim, node))
        const targets = ruleTargets(sim, clientNode(sim))
        return readyOf(sim, node)?.status === 'Unknown' && endpointsOn(sim, node).every((e) => e.conditions.ready === false && e.conditions.serving === false) && targets.length > 0 && !ips.some((ip) => targets.includes(ip))
      },
      highlight: ({ sim }) => [{ kind: 'slice', prefix: 'default/web-' }, { kind: 'kube-proxy', name: clientNode(sim) }, ...downPods(sim)],
      exhibit: sliceConditions,
    },
    {
      title: 'The Service keeps working with the Pods left',
      narration: (ctx) => {
        const { sim } = ctx
        const left = podsOf(sim, 'web').filter((p) => p.spec.nodeName !== downNode(sim))
        return [
          `Send requests again: every one is answered now, by ${names(left)} on ${clientNode(sim)}. Nobody told the client anything; it still connects to web:80, and the rules behind ${clusterIP(sim, 'web')} changed under it.`,
          `${sentRequests(ctx).length} requests sent in this step. web serves with ${left.length} of its ${replicas(sim)} Pods for now. The Deployment does not replace the others yet: the Pods on ${downNode(sim)} still exist, not deleted, and still count.`,
        ]
      },
      action: () => Array.from({ length: 4 }, () => ({ type: 'connect' as const, from: 'default/client', target: 'web:80' })),
      done: (ctx) => sentRequests(ctx).length > 0,
      highlight: ({ sim }) => [{ kind: 'service', name: 'default/web' }, ...podsOf(sim, 'web').filter((p) => p.spec.nodeName !== downNode(sim)).map((p): Highlight => ({ kind: 'pod', name: `default/${p.metadata.name}` }))],
      exhibit: rulesOnClientNode,
      hint: 'Send a few requests from client to web:80 in the Traffic tab.',
    },
    {
      title: 'After 300 s: evicted, and replaced elsewhere',
      narration: ({ sim }) => {
        const node = downNode(sim)
        const gone = webPodsOn(sim, node).filter((p) => p.metadata.deletionTimestamp)
        const toleration = (sim.list('Pod', 'default') as Pod[]).find((p) => p.metadata.labels?.['app'] === 'web')?.spec.tolerations?.find((t) => t.key === UNREACHABLE)?.tolerationSeconds
        const tainted = unreachableTaints(sim, node).find((t) => t.effect === 'NoExecute')?.timeAdded
        const evicted = lastEvent(sim, (e) => e.reason === 'TaintManagerEviction' && e.message.startsWith('Marking for deletion'))
        // RFC 3339 timestamps of one format sort as text.
        const fresh = podsOf(sim, 'web').filter((p) => tainted !== undefined && (p.metadata.creationTimestamp ?? '') > tainted)
        return [
          `Every Pod carries a toleration of ${UNREACHABLE}:NoExecute for ${toleration ?? 300} s, added by the DefaultTolerationSeconds admission plugin: time for a node to come back before its Pods are given up. ${tainted ? `The NoExecute taint was added at ${clock(tainted)}.` : ''}`,
          evicted
            ? `At ${clock(evicted.time)} the taint eviction controller deleted ${names(gone)} ("Marking for deletion Pod …"). The ReplicaSet saw too few Pods and made ${names(fresh)}; the scheduler put them on ${[...new Set(fresh.map((p) => p.spec.nodeName))].join(', ')}, the only node without the taint, and once ready they joined the slice.`
            : 'No Pod has been evicted yet: press Next event.',
          `The deleted Pods stay Terminating: only their kubelet can say their containers stopped, and it is down. Their endpoints stay in the slice as terminating, never again ready.`,
        ]
      },
      done: ({ sim }) => {
        const on = webPodsOn(sim, downNode(sim))
        return on.length > 0 && on.every((p) => p.metadata.deletionTimestamp) && podsOf(sim, 'web').length === replicas(sim) && readyEndpoints(sim, 'web').length === replicas(sim)
      },
      highlight: ({ sim }) => [{ kind: 'pod', prefix: 'default/web-' }, { kind: 'node', name: clientNode(sim) }],
      exhibit: podsWide,
    },
    {
      title: 'The node comes back',
      narration: ({ sim }) => {
        const node = downNode(sim)
        const back = lastEvent(sim, (e) => e.reason === 'NodeReady' && e.object === `Node ${node}`)
        return [
          back
            ? `${node}'s kubelet came back at ${clock(back.time)} and posted Ready at once. It found its Pods deleted, stopped their containers and let the API server remove them: the Terminating Pods are gone. The node lifecycle controller took the unreachable taints off at its next look (every 5 s).`
            : `Bring ${node} back: its kubelet posts Ready at once, the node lifecycle controller takes the taints off at its next look, and the kubelet finishes the Pods that were deleted.`,
          `Nothing moves back: web's Pods now all run on ${[...new Set(podsOf(sim, 'web').map((p) => p.spec.nodeName))].join(', ')}, and ${node} is empty until the scheduler has new Pods to place (Kubernetes does not rebalance by itself).`,
        ]
      },
      action: ({ sim }) => [{ type: 'heal', fault: 'node-down', target: downNode(sim) }],
      done: ({ sim }) => !isDown(sim) && readyOf(sim, downNode(sim))?.status === 'True' && unreachableTaints(sim, downNode(sim)).length === 0 && webPodsOn(sim, downNode(sim)).length === 0,
      highlight: ({ sim }) => [{ kind: 'node', name: downNode(sim) }],
      exhibit: nodeDescribed,
      hint: 'Or heal it in the Faults menu (or run systemctl start kubelet in its shell).',
    },
    {
      title: 'What the Service never changed',
      narration: ({ sim }) => [
        `Through the node's death, the eviction and the replacements, nobody wrote to the Service web: it is at resourceVersion ${service(sim, 'web')?.metadata.resourceVersion}, with the same ClusterIP ${clusterIP(sim, 'web')} and the same name web.default.svc.cluster.local. What changed was its EndpointSlice and, with it, every kube-proxy's rules.`,
        'The price of a node failure was the time before it was noticed: connections to its Pods timed out until the grace period was over. Readiness probes cannot help there (the kubelet that runs them is gone); a client that retries on timeout can.',
      ],
      done: () => true,
      highlight: () => [{ kind: 'service', name: 'default/web' }],
      exhibit: ({ sim }) => ({ title: 'kubectl get service web', text: sim.run('kubectl get service web').stdout.trimEnd() }),
    },
  ],
  tasks: [
    {
      title: 'Make a Pod fail its readiness probe and watch its endpoint turn not ready',
      hint: 'In the Faults menu choose Readiness probe failing on one of web\'s Pods, then press Next event until its endpoint is ready: false.',
      check: (ctx) => {
        const target = did(ctx, 'fault').find((a) => a.fault === 'readiness-failing' && a.target.startsWith('default/web-'))?.target
        const pod = target ? (ctx.sim.get('Pod', 'default', target.slice('default/'.length)) as Pod | undefined) : undefined
        const endpoint = pod && slicesOf(ctx.sim, 'web').flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === pod.metadata.name)
        if (!pod || endpoint?.conditions.ready !== false) return undefined
        const probe = pod.spec.containers[0]?.readinessProbe
        return { ok: true, feedback: `${pod.metadata.name} failed ${probe?.failureThreshold ?? 3} probes in a row, ${probe?.periodSeconds ?? 10} s apart: its endpoint ${endpoint.addresses[0]} is ready: false and out of the rules, while its node is fine. Unlike a dead node, its own kubelet noticed, within seconds.` }
      },
    },
    {
      title: 'Crash a web container and watch the back-off grow',
      hint: 'In the Faults menu choose Container crashing on one of web\'s Pods, then press Next event until it has restarted three times.',
      check: (ctx) => {
        const target = did(ctx, 'fault').find((a) => a.fault === 'container-crash' && a.target.startsWith('default/web-'))?.target
        const pod = target ? (ctx.sim.get('Pod', 'default', target.slice('default/'.length)) as Pod | undefined) : undefined
        const status = pod?.status.containerStatuses?.[0]
        const waiting = status?.state['waiting']
        if (!pod || !status || status.restartCount < 3 || waiting?.['reason'] !== 'CrashLoopBackOff') return undefined
        return { ok: true, feedback: `${pod.metadata.name} restarted ${status.restartCount} times and now waits out a ${String(waiting['message']).split(' ')[1]} back-off: CrashLoopBackOff doubles the wait each time, 10 s, 20 s, 40 s… up to 5 min. Meanwhile it is not ready and web sends it nothing.` }
      },
    },
  ],
}
