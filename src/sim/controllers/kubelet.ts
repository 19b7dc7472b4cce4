import { Map as IMap } from 'immutable'
import { TIMING } from '../config'
import { nodeInternalIP } from '../model/node'
import type { ContainerStatus, Pod, PodCondition, PodStatus } from '../model/pod'
import { sha256Hex } from '../runtime/hash'
import { numberToIp, parseCidr } from '../runtime/ip'
import type { Controller, ControllerContext } from '../runtime/runtime'
import { goDuration, toTimestamp } from '../runtime/time'
import { hasFault, isNodeDown, withoutFaultsOf } from '../faults'
import type { ClusterState, ContainerRuntime } from '../state'
import { imageSize } from './imageSize'
import { isMirrorPod, recreateMirrorPod } from './mirrorPod'
import { containerEnv, resolvConf } from './serviceEnv'

/** What the container runtime on a node has done for one pod, and when the next step is due. */
interface Plan extends ContainerRuntime {
  readonly sandboxAt: number
  readonly startAt: number
  /** The prober's next tick that matters (while readiness fails, or until it passes again after failing). */
  readonly probeAt?: number
  /** Consecutive readiness results: failures while it fails, successes while it recovers. */
  readonly probeFailures?: number
  readonly probeSuccesses?: number
  /** When the running container exits (a crashing app), when its back-off ends, and how many times it crashed in a row. */
  readonly crashAt?: number
  readonly restartAt?: number
  readonly crashes?: number
}

/** The node's own /etc/resolv.conf, which pods with dnsPolicy Default (and hostNetwork pods) inherit. */
export const NODE_RESOLV_CONF = 'nameserver 172.18.0.1\noptions edns0 trust-ad ndots:0\n'

/**
 * The kubelet on every node, in virtual time: sandbox and pod IP, image pull, container start (environment and
 * resolv.conf fixed there), readiness probe, and graceful termination. One reconciler serves all nodes; each pod is
 * handled by the kubelet of the node it is bound to.
 */
export const kubelet: Controller = {
  name: 'kubelet',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      state = syncPod(state, ctx, key)
      // Like a pod worker, re-arm the next step: an earlier wake-up may have taken this key's timer slot.
      const next = nextStepAt(state, key)
      if (next !== undefined && next > state.now) ctx.after(next - state.now, key)
    }
    return state
  },
}

function nextStepAt(state: ClusterState, key: string): number | undefined {
  const plan = state.containers.get(key) as Plan | undefined
  const pod = state.pods.get(key)
  if (!plan || !pod || isNodeDown(state, plan.node)) return undefined
  if (plan.exitAt !== undefined) return plan.exitAt
  if (!pod.status.podIP) return plan.sandboxAt
  if (plan.startedAt === undefined) return plan.startAt
  const due = [plan.crashAt, plan.restartAt, plan.probeAt].filter((t): t is number => t !== undefined)
  if (plan.readyAt !== undefined && plan.restartAt === undefined && plan.probeAt === undefined && !pod.status.containerStatuses?.every((c) => c.ready)) due.push(plan.readyAt)
  return due.length > 0 ? Math.min(...due) : undefined
}

function syncPod(state: ClusterState, ctx: ControllerContext, key: string): ClusterState {
  const pod = ctx.index.pods.get(key)
  let plan = state.containers.get(key) as Plan | undefined
  if (!pod) return withoutFaultsOf(plan ? releasePod(state, key, plan.node) : state, key)
  // The pod this kubelet ran under that name is gone (its node too, perhaps) and a new one took the name before the
  // deletion reached the kubelet: what the old one held goes first.
  if (plan && ((plan.uid !== undefined && plan.uid !== pod.metadata.uid) || !state.nodes.has(plan.node))) {
    state = releasePod(state, key, plan.node)
    plan = undefined
  }
  const nodeName = pod.spec.nodeName
  if (!nodeName || !state.nodes.has(nodeName)) return state
  // A kubelet that is down does nothing: its containers run on as they were, and nobody reports on them.
  if (isNodeDown(state, nodeName)) return state
  if (pod.metadata.deletionTimestamp) return isMirrorPod(pod) ? recreateMirrorPod(state, ctx, pod, key) : terminate(state, ctx, pod, key, plan)
  if (!plan) return admit(state, ctx, pod, key, nodeName)
  const now = state.now
  if (!pod.status.podIP && now >= plan.sandboxAt) state = sandboxReady(state, ctx, pod, key, plan)
  const current = ctx.index.pods.get(key)!
  if (plan.startedAt !== undefined && changedContainers(current).length > 0) return restartChanged(state, ctx, current, key, plan)
  if (plan.startedAt === undefined && now >= plan.startAt) return startContainers(state, ctx, current, key, plan)
  if (plan.startedAt === undefined) return state
  if (plan.restartAt !== undefined) return now >= plan.restartAt ? restartCrashed(state, ctx, current, key, plan) : state
  const crashing = hasFault(state, 'container-crash', key)
  if (plan.crashAt === undefined && crashing) plan = { ...plan, crashAt: now }
  // Healed before the app's next crash: it keeps running.
  if (plan.crashAt !== undefined && !crashing) {
    const { crashAt: _c, ...rest } = plan
    plan = rest as Plan
  }
  if (plan.crashAt !== undefined && now >= plan.crashAt) return crash(savePlan(state, key, plan).state, ctx, current, key, plan)
  state = savePlan(state, key, plan).state
  const failing = hasFault(state, 'readiness-failing', key)
  if (plan.probeAt === undefined && (failing || plan.probeFailures !== undefined) && plan.readyAt !== undefined) {
    plan = { ...plan, probeAt: nextProbeTick(current, plan, now, now >= plan.readyAt) }
    state = savePlan(state, key, plan).state
  }
  if (plan.probeAt !== undefined) return now >= plan.probeAt ? probe(state, ctx, current, key, plan) : state
  if (plan.readyAt !== undefined && now >= plan.readyAt && !isReadyNow(current)) return markReady(state, ctx, current, key)
  return state
}

function savePlan(state: ClusterState, key: string, plan: Plan): { state: ClusterState; plan: Plan } {
  return state.containers.get(key) === plan ? { state, plan } : { state: { ...state, containers: state.containers.set(key, plan) }, plan }
}

/** Ready as the kubelet reports it: every container ready and the Ready condition true (the node controller may have set it false). */
function isReadyNow(pod: Pod): boolean {
  return (pod.status.containerStatuses?.every((c) => c.ready) ?? false) && pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True'
}

/** The prober's ticks: every periodSeconds from the first one at or after initialDelaySeconds (see readinessTime). */
function nextProbeTick(pod: Pod, plan: Plan, now: number, strictlyAfter: boolean): number {
  const first = plan.readyAt!
  const period = readinessPeriod(pod)
  if (now < first) return first
  const k = Math.floor((now - first) / period) + (strictlyAfter ? 1 : 0)
  const at = first + k * period
  return at < now ? at + period : at
}

const readinessProbeOf = (pod: Pod) => pod.spec.containers.find((c) => c.readinessProbe)

function readinessPeriod(pod: Pod): number {
  return (readinessProbeOf(pod)?.readinessProbe?.periodSeconds ?? 10) * 1000
}

/** What the kubelet's prober says when the readiness probe fails (pkg/probe/http, tcp, exec, grpc). */
function probeFailure(pod: Pod): string {
  const c = readinessProbeOf(pod)
  const probe = c?.readinessProbe
  const port = (p: number | string) => (typeof p === 'number' ? p : (c?.ports as { name?: string; containerPort: number }[] | undefined)?.find((x) => x.name === p)?.containerPort ?? p)
  if (probe?.httpGet) return 'HTTP probe failed with statuscode: 503'
  if (probe?.tcpSocket) return `dial tcp ${pod.status.podIP}:${port(probe.tcpSocket.port)}: connect: connection refused`
  if (probe?.grpc) return 'service unhealthy (responded with "NOT_SERVING")'
  return ''
}

/**
 * One readiness probe (prober/worker.go): a failure while the fault lasts, a success otherwise. failureThreshold
 * failures in a row turn the container not ready; successThreshold successes in a row make it ready again. Each
 * failure is a Warning "Unhealthy" event.
 */
function probe(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, plan: Plan): ClusterState {
  const probeSpec = readinessProbeOf(pod)?.readinessProbe ?? {}
  const failing = hasFault(state, 'readiness-failing', key)
  const next = plan.probeAt! + readinessPeriod(pod)
  if (failing) {
    const failures = (plan.probeFailures ?? 0) + 1
    ctx.record({ actor: kubeletActor(pod), action: 'probe', object: podObject(key), reason: 'Unhealthy', message: `Readiness probe failed: ${probeFailure(pod)}` })
    state = savePlan(state, key, { ...plan, probeAt: next, probeFailures: failures, probeSuccesses: 0 }).state
    if (failures >= (probeSpec.failureThreshold ?? 3) && isReadyNow(pod)) return markNotReady(state, ctx, pod)
    return state
  }
  const successes = (plan.probeSuccesses ?? 0) + 1
  if (successes >= (probeSpec.successThreshold ?? 1)) {
    const { probeAt: _at, probeFailures: _f, probeSuccesses: _s, ...rest } = plan
    state = savePlan(state, key, rest as Plan).state
    return isReadyNow(pod) ? state : markReady(state, ctx, pod, key)
  }
  return savePlan(state, key, { ...plan, probeAt: next, probeSuccesses: successes, probeFailures: 0 }).state
}

function markNotReady(state: ClusterState, ctx: ControllerContext, pod: Pod): ClusterState {
  const at = toTimestamp(state.now)
  return ctx.api.update(state, {
    ...pod,
    status: { ...pod.status, conditions: conditions(pod, at, true, false), containerStatuses: pod.status.containerStatuses?.map((c) => ({ ...c, ready: false })) },
  })
}

/** `web-abc_default(uid)`, as the kubelet names a pod in its messages (format.Pod). */
const podRef = (pod: Pod) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`

/** The back-off before restarting after the n-th crash in a row: none after the first, then 10 s doubling up to 5 min. */
export function backOffAfter(crashes: number): number {
  return crashes <= 1 ? 0 : Math.min(TIMING.backOffMax, TIMING.backOffInitial * 2 ** (crashes - 2))
}

/**
 * The app exits with status 1: the container is Terminated (Error), the pod not ready. The kubelet restarts it at
 * once the first time, then only after a back-off that doubles with each crash (CrashLoopBackOff), reset when the
 * container had run for 10 minutes.
 */
function crash(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, plan: Plan): ClusterState {
  const now = state.now
  const at = toTimestamp(now)
  const c = pod.spec.containers[0]!
  const ranLong = plan.startedAt !== undefined && now - plan.startedAt >= 600_000
  const crashes = (ranLong ? 0 : (plan.crashes ?? 0)) + 1
  const backOff = backOffAfter(crashes)
  const { crashAt: _c, probeAt: _p, probeFailures: _f, probeSuccesses: _s, ...rest } = plan
  state = savePlan(state, key, { ...rest, crashes, restartAt: now + backOff } as Plan).state
  const statuses = pod.status.containerStatuses?.map((s) => {
    if (s.name !== c.name) return s
    const running = s.state['running'] as { startedAt?: string } | undefined
    const terminated = { exitCode: 1, reason: 'Error', startedAt: running?.startedAt ?? at, finishedAt: at, containerID: s.containerID }
    const waiting = backOff > 0 ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(backOff)} restarting failed container=${c.name} pod=${podRef(pod)}` } } : { terminated }
    return { ...s, ready: false, started: false, state: waiting, lastState: { terminated } }
  })
  if (backOff > 0) ctx.record({ actor: kubeletActor(pod), action: 'backoff', object: podObject(key), reason: 'BackOff', message: `Back-off restarting failed container ${c.name} in pod ${podRef(pod)}` })
  else ctx.record({ actor: kubeletActor(pod), action: 'crash', object: podObject(key), message: `Container ${c.name} exited with code 1 (Error): the kubelet restarts it at once; if it crashes again it waits 10s, then 20s, 40s... up to 5m` })
  if (backOff > 0) ctx.after(backOff, key)
  return ctx.api.update(state, { ...pod, status: { ...pod.status, conditions: conditions(pod, at, true, false), containerStatuses: statuses } })
}

/** The back-off is over: the same container is started again, counting a restart; it crashes again while the fault lasts. */
function restartCrashed(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, plan: Plan): ClusterState {
  const now = state.now
  const at = toTimestamp(now)
  const c = pod.spec.containers[0]!
  ctx.record({ actor: kubeletActor(pod), action: 'pull', object: podObject(key), reason: 'Pulled', message: `Container image "${c.image}" already present on machine` })
  ctx.record({ actor: kubeletActor(pod), action: 'create', object: podObject(key), reason: 'Created', message: `Created container: ${c.name}` })
  ctx.record({ actor: kubeletActor(pod), action: 'start', object: podObject(key), reason: 'Started', message: `Started container ${c.name}` })
  const crashing = hasFault(state, 'container-crash', key)
  const readyAt = readinessTime(pod, now)
  const env = containerEnv(state, pod, ctx.index.servicesByNamespace.get(pod.metadata.namespace) ?? [])
  const { restartAt: _r, ...rest } = plan
  state = savePlan(state, key, { ...rest, startedAt: now, readyAt, env, ...(crashing ? { crashAt: now + TIMING.crashAfter } : {}) } as Plan).state
  const ready = !crashing && readyAt <= now
  const statuses = pod.status.containerStatuses?.map((s) =>
    s.name === c.name ? { ...s, ready, started: true, restartCount: s.restartCount + 1, containerID: `containerd://${containerID(ctx)}`, state: { running: { startedAt: at } } } : s,
  )
  return ctx.api.update(state, { ...pod, status: { ...pod.status, conditions: conditions(pod, at, true, ready && (statuses?.every((x) => x.ready) ?? false)), containerStatuses: statuses } })
}

const kubeletActor = (pod: Pod) => `kubelet/${pod.spec.nodeName}`
const podObject = (key: string) => `Pod ${key}`

function condition(type: PodCondition['type'], status: boolean, at: string, reason?: string, message?: string): PodCondition {
  return { type, status: status ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: at, ...(reason ? { reason } : {}), ...(message ? { message } : {}) }
}

/** Conditions in the order the kubelet writes them, keeping each transition time unless its status flips. */
function conditions(pod: Pod, at: string, sandbox: boolean, ready: boolean): PodCondition[] {
  const names = pod.spec.containers.map((c) => c.name).join(' ')
  const keep = (c: PodCondition) => {
    const old = pod.status.conditions?.find((x) => x.type === c.type)
    return old && old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c
  }
  const scheduled = pod.status.conditions?.find((c) => c.type === 'PodScheduled')
  return [
    keep(condition('PodReadyToStartContainers', sandbox, at)),
    keep(condition('Initialized', true, at)),
    keep(ready ? condition('Ready', true, at) : condition('Ready', false, at, 'ContainersNotReady', `containers with unready status: [${names}]`)),
    keep(ready ? condition('ContainersReady', true, at) : condition('ContainersReady', false, at, 'ContainersNotReady', `containers with unready status: [${names}]`)),
    scheduled ?? condition('PodScheduled', true, at),
  ]
}

/** "nginx" -> "docker.io/library/nginx:latest", as containerd reports image names. */
export function normalizeImage(image: string): string {
  let name = image
  const slash = name.indexOf('/')
  const first = slash >= 0 ? name.slice(0, slash) : ''
  if (slash < 0) name = `docker.io/library/${name}`
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`
  const last = name.slice(name.lastIndexOf('/') + 1)
  if (!last.includes(':') && !name.includes('@')) name += ':latest'
  return name
}

function waitingStatuses(pod: Pod): ContainerStatus[] {
  return pod.spec.containers.map((c) => ({
    name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } },
  }))
}

/** The kubelet sees a newly bound pod: plan its sandbox, image pull and start; report it Pending. */
function admit(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, nodeName: string): ClusterState {
  const now = state.now
  const sandboxAt = now + (pod.spec.hostNetwork ? 0 : TIMING.sandbox)
  let pull = 0
  for (const c of pod.spec.containers) {
    const present = nodeHasImage(state, nodeName, c.image)
    if (c.imagePullPolicy === 'Always' || !present) pull = Math.max(pull, present ? 500 : TIMING.pullMin + ctx.rng.kubelet.int(TIMING.pullMax - TIMING.pullMin))
  }
  const plan: Plan = { node: nodeName, uid: pod.metadata.uid, sandboxAt, startAt: sandboxAt + pull + TIMING.containerStart }
  state = { ...state, containers: state.containers.set(key, plan) }
  ctx.after(sandboxAt - now, key)
  const node = state.nodes.get(nodeName)!
  const hostIP = nodeInternalIP(node)
  const at = toTimestamp(now)
  const status: PodStatus = {
    ...pod.status,
    phase: 'Pending',
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: at,
    conditions: conditions(pod, at, false, false),
    containerStatuses: waitingStatuses(pod),
  }
  return ctx.api.update(state, { ...pod, status })
}

/** Whether the node's image store (containerd's, kept in the state with what else nodes hold) has the image. */
function nodeHasImage(state: ClusterState, node: string, image: string): boolean {
  return state.images.get(node)?.has(image) ?? false
}

/** The images a container start pulled join the node's image store. */
function storeImages(state: ClusterState, node: string, images: readonly string[]): ClusterState {
  const before = state.images.get(node) ?? IMap<string, number>()
  let held = before
  for (const image of images) if (!held.has(image)) held = held.set(image, state.now)
  return held === before ? state : { ...state, images: state.images.set(node, held) }
}

/** The sandbox exists: the CNI plugin (host-local IPAM) has given the pod an IP from the node's podCIDR. */
function sandboxReady(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, plan: Plan): ClusterState {
  const node = state.nodes.get(plan.node)!
  let ip: string
  if (pod.spec.hostNetwork) ip = nodeInternalIP(node)
  else {
    const allocated = allocatePodIP(state, plan.node, node.spec.podCIDR, key)
    if (!allocated) {
      ctx.record({ actor: kubeletActor(pod), action: 'fail', object: podObject(key), reason: 'FailedCreatePodSandBox', message: `Failed to create pod sandbox: failed to allocate for range 0: no IP addresses available in range set: ${node.spec.podCIDR}` })
      return state
    }
    ;({ state, ip } = allocated)
  }
  const at = toTimestamp(state.now)
  for (const c of pod.spec.containers) {
    const present = nodeHasImage(state, plan.node, c.image)
    if (present && c.imagePullPolicy !== 'Always') {
      ctx.record({ actor: kubeletActor(pod), action: 'pull', object: podObject(key), reason: 'Pulled', message: `Container image "${c.image}" already present on machine` })
    } else {
      ctx.record({ actor: kubeletActor(pod), action: 'pull', object: podObject(key), reason: 'Pulling', message: `Pulling image "${c.image}"` })
    }
  }
  ctx.after(plan.startAt - state.now, key)
  return ctx.api.update(state, {
    ...pod,
    status: { ...pod.status, podIP: ip, podIPs: [{ ip }], conditions: conditions(pod, at, true, false) },
  })
}

/** host-local IPAM: the next free address after the last one handed out, from .2 of the node's /24 (.1 is the bridge). */
function allocatePodIP(state: ClusterState, nodeName: string, podCIDR: string, key: string): { state: ClusterState; ip: string } | undefined {
  const cidr = parseCidr(podCIDR)
  const ipam = state.ipam.get(nodeName) ?? { next: 2, used: IMap<string, string>() }
  const first = 2
  const last = cidr.size - 2
  const span = last - first + 1
  for (let i = 0; i < span; i++) {
    const offset = first + ((ipam.next - first + i) % span)
    const ip = numberToIp(cidr.base + offset)
    if (ipam.used.has(ip)) continue
    const next = { next: offset + 1 > last ? first : offset + 1, used: ipam.used.set(ip, key) }
    return { state: { ...state, ipam: state.ipam.set(nodeName, next) }, ip }
  }
  return undefined
}

function releasePod(state: ClusterState, key: string, nodeName: string): ClusterState {
  const ipam = state.ipam.get(nodeName)
  const ip = ipam?.used.findKey((owner) => owner === key)
  return {
    ...state,
    containers: state.containers.delete(key),
    ...(ipam && ip ? { ipam: state.ipam.set(nodeName, { ...ipam, used: ipam.used.delete(ip) }) } : {}),
  }
}

/** The containers whose image the API server changed (the only spec change a Pod allows) since they started. */
function changedContainers(pod: Pod): string[] {
  return pod.spec.containers.filter((c) => {
    const s = pod.status.containerStatuses?.find((x) => x.name === c.name)
    return s?.state['running'] !== undefined && s.image !== normalizeImage(c.image)
  }).map((c) => c.name)
}

/**
 * A container's image changed: the kubelet kills it (SIGTERM, within the grace period), pulls the new image and
 * starts it again, counting a restart; the pod is not Ready meanwhile.
 */
function restartChanged(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, plan: Plan): ClusterState {
  const now = state.now
  const changed = changedContainers(pod)
  let pull = 0
  for (const c of pod.spec.containers) {
    if (!changed.includes(c.name)) continue
    ctx.record({ actor: kubeletActor(pod), action: 'kill', object: podObject(key), reason: 'Killing', message: `Container ${c.name} definition changed, will be restarted` })
    const present = nodeHasImage(state, plan.node, c.image)
    if (c.imagePullPolicy === 'Always' || !present) pull = Math.max(pull, present ? 500 : TIMING.pullMin + ctx.rng.kubelet.int(TIMING.pullMax - TIMING.pullMin))
    if (!present || c.imagePullPolicy === 'Always') ctx.record({ actor: kubeletActor(pod), action: 'pull', object: podObject(key), reason: 'Pulling', message: `Pulling image "${c.image}"` })
    else ctx.record({ actor: kubeletActor(pod), action: 'pull', object: podObject(key), reason: 'Pulled', message: `Container image "${c.image}" already present on machine` })
  }
  const stop = Math.min(TIMING.sigtermExit, (pod.spec.terminationGracePeriodSeconds ?? 30) * 1000)
  // The pull starts once the old container has stopped (sandboxAt marks it, for the Pulled event's duration).
  const next: Plan = { node: plan.node, sandboxAt: now + stop, startAt: now + stop + pull + TIMING.containerStart }
  state = { ...state, containers: state.containers.set(key, next) }
  ctx.after(next.startAt - now, key)
  const at = toTimestamp(now)
  const statuses = pod.status.containerStatuses?.map((s) =>
    changed.includes(s.name) ? { ...s, ready: false, started: false, imageID: '', state: { waiting: { reason: 'ContainerCreating' } }, lastState: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: at } } } : s,
  )
  return ctx.api.update(state, { ...pod, status: { ...pod.status, conditions: conditions(pod, at, true, false), containerStatuses: statuses } })
}

/** Containers start: the environment and resolv.conf are fixed now, for the container's whole life. */
function startContainers(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, plan: Plan): ClusterState {
  const now = state.now
  const at = toTimestamp(now)
  const actor = kubeletActor(pod)
  for (const c of pod.spec.containers) {
    const before = pod.status.containerStatuses?.find((s) => s.name === c.name)
    if (before?.state['running'] !== undefined && before.image === normalizeImage(c.image)) continue
    const needsPull = !pod.status.containerStatuses?.some((s) => s.name === c.name && s.imageID)
    if (needsPull && plan.startAt - plan.sandboxAt > TIMING.containerStart) {
      // Pulls are not queued behind each other here, so the time including waiting is the pull itself.
      const took = goDuration(plan.startAt - plan.sandboxAt - TIMING.containerStart)
      const message = `Successfully pulled image "${c.image}" in ${took} (${took} including waiting). Image size: ${imageSize(normalizeImage(c.image))} bytes.`
      ctx.record({ actor, action: 'pull', object: podObject(key), reason: 'Pulled', message })
    }
    ctx.record({ actor, action: 'create', object: podObject(key), reason: 'Created', message: `Created container: ${c.name}` })
    ctx.record({ actor, action: 'start', object: podObject(key), reason: 'Started', message: `Started container ${c.name}` })
  }
  state = storeImages(state, plan.node, pod.spec.containers.map((c) => c.image))
  const readyAt = readinessTime(pod, now)
  const env = containerEnv(state, pod, ctx.index.servicesByNamespace.get(pod.metadata.namespace) ?? [])
  const resolv = resolvConf(pod, ctx.config.dnsServiceIP, ctx.config.clusterDomain, NODE_RESOLV_CONF)
  state = { ...state, containers: state.containers.set(key, { ...plan, startedAt: now, readyAt, env, resolvConf: resolv }) }
  if (readyAt > now) ctx.after(readyAt - now, key)
  const ready = readyAt <= now
  const statuses: ContainerStatus[] = pod.spec.containers.map((c) => {
    const image = normalizeImage(c.image)
    const before = pod.status.containerStatuses?.find((s) => s.name === c.name)
    // A container restarted for a new image keeps counting; one that never stopped is not restarted.
    if (before?.state['running'] !== undefined && before.image === image) return { ...before, ready }
    const restarted = before?.state['waiting'] !== undefined && before.lastState !== undefined
    return {
      name: c.name,
      image,
      imageID: imageID(image),
      containerID: `containerd://${containerID(ctx)}`,
      ready,
      started: true,
      restartCount: (before?.restartCount ?? 0) + (restarted ? 1 : 0),
      ...(restarted ? { lastState: before!.lastState } : {}),
      state: { running: { startedAt: at } },
    }
  })
  return ctx.api.update(state, {
    ...pod,
    status: { ...pod.status, phase: 'Running', conditions: conditions(pod, at, true, ready), containerStatuses: statuses },
  })
}

const imageIDs = new Map<string, string>()

/** A stand-in digest, stable per image name (the simulation pulls no real image, so it cannot know the real one). */
function imageID(image: string): string {
  let id = imageIDs.get(image)
  if (!id) imageIDs.set(image, (id = `${image.replace(/:[^:/]*$/, '')}@sha256:${sha256Hex(image)}`))
  return id
}

/** 64 hex digits, as containerd's container IDs are, from eight 32-bit draws. */
function containerID(ctx: ControllerContext): string {
  let id = ''
  for (let i = 0; i < 8; i++) id += (ctx.rng.kubelet.int(2 ** 32) >>> 0).toString(16).padStart(8, '0')
  return id
}

/**
 * When the readiness probe first succeeds: the prober ticks every periodSeconds from container start and skips ticks
 * before initialDelaySeconds; with no probe a container is ready as soon as it runs.
 */
export function readinessTime(pod: Pod, startedAt: number): number {
  let at = startedAt
  for (const c of pod.spec.containers) {
    const probe = c.readinessProbe
    if (!probe) continue
    const delay = probe.initialDelaySeconds ?? 0
    const period = probe.periodSeconds ?? 10
    at = Math.max(at, startedAt + Math.ceil(delay / period) * period * 1000)
  }
  return at
}

function markReady(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string): ClusterState {
  const at = toTimestamp(state.now)
  const hasProbe = pod.spec.containers.some((c) => c.readinessProbe)
  if (hasProbe) ctx.record({ actor: kubeletActor(pod), action: 'ready', object: podObject(key), message: 'Readiness probe succeeded: the pod is Ready' })
  return ctx.api.update(state, {
    ...pod,
    status: {
      ...pod.status,
      conditions: conditions(pod, at, true, true),
      containerStatuses: pod.status.containerStatuses?.map((c) => ({ ...c, ready: true })),
    },
  })
}

/** How long a container's preStop hook takes: `sleep N` (exec) or the sleep action; other hooks count as instant. */
export function preStopMs(c: Pod['spec']['containers'][number]): number {
  const hook = (c['lifecycle'] as { preStop?: { exec?: { command?: string[] }; sleep?: { seconds?: number } } } | undefined)?.preStop
  if (hook?.sleep?.seconds !== undefined) return Number(hook.sleep.seconds) * 1000
  const cmd = hook?.exec?.command ?? []
  const joined = cmd.join(' ')
  const m = /(?:^|\s|;|&&)sleep\s+(\d+(?:\.\d+)?)/.exec(joined)
  return m ? Number(m[1]) * 1000 : 0
}

/** Graceful termination: SIGTERM, the process exits (or the grace period ends), and the kubelet deletes the pod. */
function terminate(state: ClusterState, ctx: ControllerContext, pod: Pod, key: string, plan: Plan | undefined): ClusterState {
  const now = state.now
  if (!plan || plan.startedAt === undefined) {
    const next = ctx.api.remove(state, 'Pod', key)
    return plan ? releasePod(next, key, plan.node) : next
  }
  if (plan.exitAt === undefined) {
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000
    // A preStop hook runs before SIGTERM; the grace period covers both, then SIGKILL.
    const preStop = Math.max(0, ...pod.spec.containers.map(preStopMs))
    const exitAt = now + Math.min(preStop + TIMING.sigtermExit, grace)
    for (const c of pod.spec.containers) {
      ctx.record({ actor: kubeletActor(pod), action: 'kill', object: podObject(key), reason: 'Killing', message: `Stopping container ${c.name}` })
    }
    if (preStop > 0) {
      ctx.record({ actor: kubeletActor(pod), action: 'kill', object: podObject(key), message: `Running the preStop hook (${preStop / 1000}s) before SIGTERM: the process keeps running meanwhile; its endpoint is terminating, so a Service sends it new connections only when no ready endpoint is left` })
    }
    ctx.after(exitAt - now, key)
    return { ...state, containers: state.containers.set(key, { ...plan, exitAt }) }
  }
  if (now < plan.exitAt) return state
  ctx.record({ actor: kubeletActor(pod), action: 'delete', object: podObject(key), message: pod.spec.hostNetwork ? "Containers exited; the kubelet removed the pod from the API server (it used the node's network, so there is no IP to release)" : 'Containers exited; the kubelet removed the pod from the API server and released its IP' })
  return releasePod(ctx.api.remove(state, 'Pod', key), key, plan.node)
}
