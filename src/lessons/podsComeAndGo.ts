import { clusterIP, did, kubectlRows, podsOf, readyEndpoints, service } from './facts'
import { webWithService } from './startingClusters'
import type { Lesson, LessonContext } from './types'
import type { Pod, Simulation } from '../sim'

const OLD = 'nginxinc/nginx-unprivileged:1.27'
const NEW = 'nginxinc/nginx-unprivileged:1.28'
const podList = (sim: Simulation) => podsOf(sim, 'web').map((p) => `${p.metadata.name} ${p.status.podIP ?? '(no IP yet)'}`)
const imagesAre = (sim: Simulation, image: string, n: number) => {
  const pods = podsOf(sim, 'web') as Pod[]
  return pods.length === n && pods.every((p) => p.spec.containers[0]?.image === image) && readyEndpoints(sim, 'web').length === n && sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-')).length === n
}
const stable = ({ sim }: LessonContext) => `The Service web is still ${clusterIP(sim, 'web')}:80, still web.default.svc.cluster.local.`
const podsExhibit = ({ sim }: LessonContext) => ({ title: 'kubectl get pods -l app=web -o wide (name, IP)', text: podList(sim).join('\n') })

/** Lesson 2: Pods are mortal and change IPs on scaling, failures and rolling updates; the Service never changes. */
export const podsComeAndGo: Lesson = {
  id: 'pods-come-and-go',
  title: 'Pods come and go, the Service stays',
  summary: 'Scale, delete a Pod, roll out a new image and roll it back: the Pods and their IPs change, the Service does not.',
  start: { seed: 2, workers: 2, manifest: webWithService() },
  steps: [
    {
      title: 'Three Pods behind one Service',
      narration: ({ sim }) => [
        `The Deployment web runs three Pods, each with its own IP from its node's Pod range. The Service web is ${clusterIP(sim, 'web')}:80, and its EndpointSlice lists the three Pod IPs.`,
        'Watch the Pods\' names and IPs through this lesson, and the Service\'s address beside them.',
      ],
      done: () => true,
      highlight: () => [{ kind: 'service', name: 'default/web' }, { kind: 'pod', prefix: 'default/web-' }],
      exhibit: podsExhibit,
    },
    {
      title: 'Scale up to 5: new Pods, new IPs',
      narration: (ctx) => [
        'kubectl scale sets the Deployment\'s replicas. The ReplicaSet controller creates two Pods, the scheduler places them, each kubelet starts them and they get fresh IPs. Only once a Pod is ready does the EndpointSlice controller add it.',
        `${readyEndpoints(ctx.sim, 'web').length} ready endpoints now. ${stable(ctx)}`,
      ],
      action: () => [{ type: 'scale', namespace: 'default', name: 'web', replicas: 5 }],
      done: ({ sim }) => readyEndpoints(sim, 'web').length === 5,
      highlight: () => [{ kind: 'pod', prefix: 'default/web-' }, { kind: 'slice', prefix: 'default/web-' }],
      exhibit: podsExhibit,
      hint: 'Or press + beside web until it has 5 replicas.',
    },
    {
      title: 'Scale down to 2: endpoints leave first',
      narration: (ctx) => [
        'Scaling down marks three Pods for deletion. They are taken out of the EndpointSlice at once (they are terminating, no longer ready), so no new connection is sent to them, and they stop a moment later.',
        `${readyEndpoints(ctx.sim, 'web').length} ready endpoints now. ${stable(ctx)}`,
      ],
      action: () => [{ type: 'scale', namespace: 'default', name: 'web', replicas: 2 }],
      done: ({ sim }) => readyEndpoints(sim, 'web').length === 2 && sim.list('Pod', 'default').filter((p) => p.metadata.name.startsWith('web-')).length === 2,
      highlight: () => [{ kind: 'pod', prefix: 'default/web-' }],
      exhibit: podsExhibit,
    },
    {
      title: 'A Pod dies: its replacement has a new name and IP',
      narration: (ctx) => {
        const gone = did(ctx, 'delete').find((a) => a.kind === 'pod')
        return [
          'A Pod is never repaired or moved: when one is deleted (or its node fails), the ReplicaSet controller sees one too few and creates a new one, with a new name and a new IP.',
          gone ? `${gone.name} was deleted. ${stable(ctx)}` : 'Delete one of web\'s Pods (the inspector has a Delete button), or press "Do it for me".',
        ]
      },
      action: ({ sim }) => [{ type: 'delete', kind: 'pod', namespace: 'default', name: podsOf(sim, 'web')[0]!.metadata.name }],
      done: (ctx) => did(ctx, 'delete').some((a) => a.kind === 'pod') && readyEndpoints(ctx.sim, 'web').length === 2 && podsOf(ctx.sim, 'web').length === 2,
      highlight: () => [{ kind: 'pod', prefix: 'default/web-' }],
      exhibit: podsExhibit,
    },
    {
      title: 'A rolling update: kubectl set image',
      narration: (ctx) => [
        `kubectl set image deployment/web web=${NEW} changes the Pod template. The Deployment controller makes a new ReplicaSet and replaces the Pods a few at a time (maxSurge and maxUnavailable, 25% each by default): at every moment some ready Pods are in the EndpointSlice.`,
        stable(ctx),
      ],
      action: () => [{ type: 'setImage', namespace: 'default', name: 'web', container: 'web', image: NEW }],
      done: ({ sim }) => imagesAre(sim, NEW, 2),
      highlight: () => [{ kind: 'pod', prefix: 'default/web-' }],
      exhibit: podsExhibit,
    },
    {
      title: 'And back: kubectl rollout undo',
      narration: (ctx) => [
        'kubectl rollout undo brings back the previous revision\'s template: the old ReplicaSet is scaled up again and the new one down. The Pods are new once more (new names and IPs), though their ReplicaSet is the old one.',
        stable(ctx),
      ],
      action: () => [{ type: 'rolloutUndo', namespace: 'default', name: 'web' }],
      done: ({ sim }) => imagesAre(sim, OLD, 2),
      highlight: () => [{ kind: 'pod', prefix: 'default/web-' }],
      exhibit: podsExhibit,
    },
    {
      title: 'The Service never changed',
      narration: ({ sim }) => [
        `Through all of it, nobody wrote to the Service: it is at the resourceVersion it had at the start (${service(sim, 'web')?.metadata.resourceVersion}), with the same ClusterIP ${clusterIP(sim, 'web')} and DNS name. Only its EndpointSlice was rewritten, and kube-proxy's rules with it.`,
        'That is why clients use the Service: its name and address outlive every Pod behind it.',
      ],
      done: () => true,
      highlight: () => [{ kind: 'service', name: 'default/web' }],
      exhibit: ({ sim }) => ({ title: 'kubectl get service web', text: kubectlRows(sim, 'service', ['web']) }),
    },
  ],
  tasks: [
    {
      title: 'Scale web to 4 and send 10 requests: each Pod serves some',
      hint: 'Use + beside web, wait until 4 are ready, then send 10 requests from the Traffic tab.',
      check: ({ sim, actions }) => (podsOf(sim, 'web').length === 4 && readyEndpoints(sim, 'web').length === 4 && actions.filter((a) => a.type === 'connect').length >= 10 ? { ok: true, feedback: 'Four Pods, one Service: kube-proxy\'s rules spread the requests at random.' } : undefined),
    },
    {
      title: 'Delete a Pod, then reach web again',
      hint: 'Delete one of web\'s Pods in the inspector, then send a request to web:80.',
      check: ({ actions }) => {
        const i = actions.findIndex((a) => a.type === 'delete' && a.kind === 'pod')
        return i >= 0 && actions.slice(i).some((a) => a.type === 'connect' && a.target.startsWith('web')) ? { ok: true, feedback: 'The request found web by the same name and address: the Service hid the Pod\'s death.' } : undefined
      },
    },
  ],
}
