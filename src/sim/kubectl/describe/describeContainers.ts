import type { Container, ContainerStatus, Probe } from '../../model/pod'
import { printBool, rfc1123z, stringOrNone } from './fieldFormat'
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './prefixWriter'
import { canonicalQuantity } from './quantity'
import { describeEnvFrom, describeEnvVars, type EnvResolver } from './describeEnv'

type State = ContainerStatus['state']
type ResourceList = Readonly<Record<string, string | number>>

/** A container's `command`, `args`, `startupProbe`, `volumeMounts`, ...: fields our Container type leaves open. */
const field = <T>(c: Container, name: string) => c[name] as T | undefined

/** describeContainers: the label, then each container with its status when there is one (a pod; not a template). */
export function describeContainers(w: PrefixWriter, label: string, containers: readonly Container[], statuses: readonly ContainerStatus[] | undefined, resolve: EnvResolver | undefined, space: string): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]))
  w.write(LEVEL_0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`)
  for (const c of containers) {
    const status = byName.get(c.name)
    describeBasicInfo(w, c, status, space)
    describeCommand(w, c)
    if (status) describeState(w, status)
    describeResources(w, c.resources, LEVEL_2)
    describeProbes(w, c)
    if (field<unknown[]>(c, 'envFrom')?.length) describeEnvFrom(w, c)
    describeEnvVars(w, c, resolve)
    describeMounts(w, c)
  }
}

/** describeContainerBasicInfo: name, Container ID, Image, Image ID, Port(s), Host Port(s), SeccompProfile. */
function describeBasicInfo(w: PrefixWriter, c: Container, status: ContainerStatus | undefined, space: string): void {
  w.write(LEVEL_1, `${space ? ' ' : ''}${c.name}:\n`)
  if (status) w.write(LEVEL_2, `Container ID:\t${status.containerID ?? ''}\n`)
  w.write(LEVEL_2, `Image:\t${c.image}\n`)
  if (status) w.write(LEVEL_2, `Image ID:\t${status.imageID}\n`)
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? ''}`).join(', ')
  w.write(LEVEL_2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${stringOrNone(ports)}\n`)
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? ''}`).join(', ')
  w.write(LEVEL_2, hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${stringOrNone(hostPorts)}\n`)
  const seccomp = field<{ seccompProfile?: { type: string; localhostProfile?: string } }>(c, 'securityContext')?.seccompProfile
  if (seccomp) {
    w.write(LEVEL_2, `SeccompProfile:\t${seccomp.type}\n`)
    if (seccomp.type === 'Localhost') w.write(LEVEL_3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`)
  }
}

/** describeContainerCommand: each word of command and args on its own line (and each line of a word). */
function describeCommand(w: PrefixWriter, c: Container): void {
  for (const [title, words] of [['Command', field<string[]>(c, 'command')], ['Args', field<string[]>(c, 'args')]] as const) {
    if (!words?.length) continue
    w.write(LEVEL_2, `${title}:\n`)
    for (const word of words) for (const s of word.split('\n')) w.write(LEVEL_3, `${s}\n`)
  }
}

/** describeStatus: Running with its start, Waiting with its reason, Terminated with its exit. */
function describeStatus(w: PrefixWriter, title: string, state: State): void {
  const { running, waiting, terminated } = state
  if (running) {
    w.write(LEVEL_2, `${title}:\tRunning\n`)
    w.write(LEVEL_3, `Started:\t${rfc1123z(running['startedAt'] as string | undefined)}\n`)
  } else if (waiting) {
    w.write(LEVEL_2, `${title}:\tWaiting\n`)
    if (waiting['reason']) w.write(LEVEL_3, `Reason:\t${waiting['reason']}\n`)
  } else if (terminated) {
    w.write(LEVEL_2, `${title}:\tTerminated\n`)
    if (terminated['reason']) w.write(LEVEL_3, `Reason:\t${terminated['reason']}\n`)
    if (terminated['message']) w.write(LEVEL_3, `Message:\t${terminated['message']}\n`)
    w.write(LEVEL_3, `Exit Code:\t${terminated['exitCode'] ?? 0}\n`)
    if (Number(terminated['signal'] ?? 0) > 0) w.write(LEVEL_3, `Signal:\t${terminated['signal']}\n`)
    w.write(LEVEL_3, `Started:\t${rfc1123z(terminated['startedAt'] as string | undefined)}\n`)
    w.write(LEVEL_3, `Finished:\t${rfc1123z(terminated['finishedAt'] as string | undefined)}\n`)
  } else {
    w.write(LEVEL_2, `${title}:\tWaiting\n`)
  }
}

/** describeContainerState: State, Last State when the previous container terminated, Ready, Restart Count. */
function describeState(w: PrefixWriter, status: ContainerStatus): void {
  describeStatus(w, 'State', status.state)
  if (status.lastState?.['terminated']) describeStatus(w, 'Last State', status.lastState)
  w.write(LEVEL_2, `Ready:\t${printBool(status.ready)}\n`)
  w.write(LEVEL_2, `Restart Count:\t${status.restartCount}\n`)
}

/** describeResources: Limits then Requests, each resource sorted by name with its canonical quantity. */
export function describeResources(w: PrefixWriter, resources: Container['resources'], level: number): void {
  for (const [title, list] of [['Limits', resources?.limits], ['Requests', resources?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort()
    if (names.length > 0) w.write(level, `${title}:\n`)
    for (const name of names) w.write(level + 1, `${name}:\t${canonicalQuantity(list![name])}\n`)
  }
}

/** SetDefaults_Pod: a container with a limit but no request for a resource requests its limit. Templates keep theirs. */
export function withDefaultRequests(c: Container): Container {
  const limits: ResourceList = c.resources?.limits ?? {}
  if (Object.keys(limits).length === 0) return c
  return { ...c, resources: { ...c.resources, requests: { ...limits, ...c.resources?.requests } } }
}

/** Go's url.URL path escaping (encodePath): letters, digits and -_.~$&+,/:;=@ stay, the rest is %XX per byte. */
function escapePath(path: string): string {
  let out = ''
  for (const byte of new TextEncoder().encode(path)) {
    const ch = String.fromCharCode(byte)
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/** DescribeProbe: "http-get http://:http/ delay=5s timeout=1s period=5s #success=1 #failure=3" and its kin. */
export function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`
  if (p.exec) return `exec [${p.exec.command.join(' ')}] ${attrs}`
  if (p.httpGet) {
    const host = (p.httpGet as { host?: string }).host ?? ''
    const port = String(p.httpGet.port)
    const path = p.httpGet.path ?? ''
    const hostPort = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
    const scheme = (p.httpGet.scheme ?? '').toLowerCase()
    return `http-get ${scheme ? `${scheme}:` : ''}//${hostPort}${path && !path.startsWith('/') ? '/' : ''}${escapePath(path)} ${attrs}`
  }
  if (p.tcpSocket) return `tcp-socket ${(p.tcpSocket as { host?: string }).host ?? ''}:${p.tcpSocket.port} ${attrs}`
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${(p.grpc as { service?: string }).service ?? ''} ${attrs}`
  return `unknown ${attrs}`
}

/** describeContainerProbe: Liveness, Readiness, Startup. */
function describeProbes(w: PrefixWriter, c: Container): void {
  for (const [title, probe] of [['Liveness', c.livenessProbe], ['Readiness', c.readinessProbe], ['Startup', field<Probe>(c, 'startupProbe')]] as const) {
    if (probe) w.write(LEVEL_2, `${title}:\t${describeProbe(probe)}\n`)
  }
}

interface VolumeMount { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }

/** describeContainerVolumes: mounts sorted by path, "(ro)" or "(rw)", then devices. */
function describeMounts(w: PrefixWriter, c: Container): void {
  const mounts = [...(field<VolumeMount[]>(c, 'volumeMounts') ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0))
  const none = mounts.length === 0 ? '\t<none>' : ''
  w.write(LEVEL_2, `Mounts:${none}\n`)
  for (const m of mounts) {
    const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])]
    w.write(LEVEL_3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`)
  }
  const devices = [...(field<{ name: string; devicePath: string }[]>(c, 'volumeDevices') ?? [])].sort((a, b) => (a.devicePath < b.devicePath ? -1 : 1))
  if (devices.length > 0) {
    w.write(LEVEL_2, `Devices:${none}\n`)
    for (const d of devices) w.write(LEVEL_3, `${d.devicePath} from ${d.name}\n`)
  }
}
