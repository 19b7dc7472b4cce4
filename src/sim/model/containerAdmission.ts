/** A container's validation (pkg/apis/core/validation): ports, env, mounts, resources, lifecycle handlers and probes. */
import {
  duplicate, forbidden, invalid, notFound, required, unsupported, validateDns1123Label, validatePortName, validatePortNumber,
  type FieldError,
} from './fieldErrors'
import { MAX_VIRTUAL_MS } from '../config'
import type { Container, Probe } from './pod'
import { validateResources } from './resourceAdmission'

const PROTOCOLS = ['SCTP', 'TCP', 'UDP']
/** The longest grace period, in seconds, the virtual clock can date. */
export const MAX_SECONDS = MAX_VIRTUAL_MS / 1000
/** An optional enum field: absent is fine, empty is required, anything else must be one of `supported`. */
export const enumCheck = (path: string, value: string | undefined, supported: readonly string[]): FieldError[] =>
  value === undefined ? [] : value === '' ? [required(path)] : supported.includes(value) ? [] : [unsupported(path, value, supported)]

/** ValidatePortNumOrName: a number is a port, a string an IANA port name. */
const portNumOrName = (path: string, port: number | string): FieldError[] => (typeof port === 'string' ? validatePortName(path, port) : validatePortNumber(path, port))

type Handler = { exec?: { command?: readonly string[] }; httpGet?: Probe['httpGet']; tcpSocket?: Probe['tcpSocket']; grpc?: { port?: number }; sleep?: { seconds?: number } }

/** validateHandler: exactly one handler, each well formed. */
function validateHandler(path: string, h: Handler, grace: number): FieldError[] {
  const errs: FieldError[] = []
  const kinds = (['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const).filter((k) => h[k] !== undefined)
  if (kinds.length === 0) return [required(path, 'must specify a handler type')]
  for (const k of kinds.slice(1)) errs.push(forbidden(`${path}.${k}`, 'may not specify more than 1 handler type'))
  const first = kinds[0]!
  if (first === 'exec' && !h.exec!.command?.length) errs.push(required(`${path}.exec.command`))
  if (first === 'httpGet') {
    const g = h.httpGet!
    if (!g.path) errs.push(required(`${path}.httpGet.path`))
    errs.push(...portNumOrName(`${path}.httpGet.port`, g.port ?? 0))
    errs.push(...enumCheck(`${path}.httpGet.scheme`, g.scheme ?? '', ['HTTP', 'HTTPS']))
  }
  if (first === 'tcpSocket') errs.push(...portNumOrName(`${path}.tcpSocket.port`, h.tcpSocket!.port ?? 0))
  if (first === 'grpc') errs.push(...validatePortNumber(`${path}.grpc.port`, h.grpc!.port ?? 0))
  if (first === 'sleep') {
    const s = h.sleep!.seconds ?? 0
    if (s <= 0 || s > grace) {
      errs.push(invalid(`${path}.sleep`, s, `must be greater than 0 and less than terminationGracePeriodSeconds (${grace}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`))
    }
  }
  return errs
}

function validateProbe(path: string, probe: Probe | undefined, kind: 'liveness' | 'readiness' | 'startup', grace: number): FieldError[] {
  if (!probe) return []
  const errs = validateHandler(path, probe, grace)
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = probe[f]
    if (v !== undefined && v < 0) errs.push(invalid(`${path}.${f}`, v, 'must be greater than or equal to 0'))
  }
  const pg = probe['terminationGracePeriodSeconds' as keyof Probe] as number | undefined
  if (pg !== undefined && pg <= 0) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, pg, 'must be greater than 0'))
  else if (pg !== undefined && pg > MAX_SECONDS) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, pg, `must be less than or equal to ${MAX_SECONDS} (the simulator's clock runs for 100 years)`))
  if (kind !== 'readiness' && probe.successThreshold !== 1) errs.push(invalid(`${path}.successThreshold`, probe.successThreshold ?? 0, 'must be 1'))
  if (kind === 'readiness' && pg !== undefined) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, pg, 'must not be set for readinessProbes'))
  return errs
}

/** IsRelaxedEnvVarName (RelaxedEnvironmentVariableValidation is on by default in 1.33). */
const ENV_NAME = /^[\x20-\x3c\x3e-\x7e]+$/

/** validateContainerCommon, with the checks for regular or init containers and, for a Pod, its image's whitespace. */
export function validateContainer(path: string, c: Container, volumes: ReadonlySet<string>, grace: number, init: boolean, forPod: boolean): FieldError[] {
  const errs: FieldError[] = []
  if (!c.name) errs.push(required(`${path}.name`))
  else errs.push(...validateDns1123Label(`${path}.name`, c.name))
  if (!c.image) errs.push(required(`${path}.image`))
  else if (forPod && c.image.trim() !== c.image) errs.push(invalid(`${path}.image`, c.image, 'must not have leading or trailing whitespace'))
  errs.push(...enumCheck(`${path}.terminationMessagePolicy`, String(c['terminationMessagePolicy'] ?? ''), ['File', 'FallbackToLogsOnError']))
  const portNames = new Set<string>()
  for (const [i, p] of (c.ports ?? []).entries()) {
    const pp = `${path}.ports[${i}]`
    if (p.name) {
      const problems = validatePortName(`${pp}.name`, p.name)
      if (problems.length) errs.push(...problems)
      else if (portNames.has(p.name)) errs.push(duplicate(`${pp}.name`, p.name))
      portNames.add(p.name)
    }
    if (!p.containerPort) errs.push(required(`${pp}.containerPort`))
    else errs.push(...validatePortNumber(`${pp}.containerPort`, p.containerPort))
    if (p.hostPort) errs.push(...validatePortNumber(`${pp}.hostPort`, p.hostPort))
    errs.push(...enumCheck(`${pp}.protocol`, p.protocol ?? '', PROTOCOLS))
  }
  for (const [i, e] of (c.env ?? []).entries()) {
    const ep = `${path}.env[${i}]`
    if (!e.name) errs.push(required(`${ep}.name`))
    else if (!ENV_NAME.test(e.name)) errs.push(invalid(`${ep}.name`, e.name, "a valid environment variable name must consist only of printable ASCII characters other than '='"))
    if (e.valueFrom !== undefined) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => (e.valueFrom as Record<string, unknown>)[k] != null)
      if (sources.length === 0) errs.push(invalid(`${ep}.valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'))
      else if (e.value) errs.push(invalid(`${ep}.valueFrom`, '', 'may not be specified when `value` is not empty'))
      else if (sources.length > 1) errs.push(invalid(`${ep}.valueFrom`, '', 'may not have more than one field specified at a time'))
    }
  }
  for (const [i, m] of ((c['volumeMounts'] as { name?: unknown; mountPath?: unknown }[] | undefined) ?? []).entries()) {
    const mp = `${path}.volumeMounts[${i}]`
    if (typeof m.name !== 'string' || !m.name) errs.push(required(`${mp}.name`))
    if (!volumes.has(String(m.name ?? ''))) errs.push(notFound(`${mp}.name`, typeof m.name === 'string' ? m.name : ''))
    if (typeof m.mountPath !== 'string' || !m.mountPath) errs.push(required(`${mp}.mountPath`))
  }
  errs.push(...enumCheck(`${path}.imagePullPolicy`, c.imagePullPolicy ?? '', ['Always', 'IfNotPresent', 'Never']))
  errs.push(...validateResources(`${path}.resources`, c.resources))
  const restartable = c['restartPolicy'] === 'Always'
  if (!init && c['restartPolicy'] !== undefined) errs.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'))
  if (init && c['restartPolicy'] !== undefined && !restartable) errs.push(unsupported(`${path}.restartPolicy`, c['restartPolicy'], ['Always']))
  const lifecycle = c['lifecycle'] as { postStart?: Handler; preStop?: Handler } | undefined
  if (init && !restartable) {
    for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[f] !== undefined) errs.push(forbidden(`${path}.${f}`, 'may not be set for init containers without restartPolicy=Always'))
    }
    return errs
  }
  if (lifecycle?.postStart) errs.push(...validateHandler(`${path}.lifecycle.postStart`, lifecycle.postStart, grace))
  if (lifecycle?.preStop) errs.push(...validateHandler(`${path}.lifecycle.preStop`, lifecycle.preStop, grace))
  errs.push(...validateProbe(`${path}.livenessProbe`, c.livenessProbe, 'liveness', grace))
  errs.push(...validateProbe(`${path}.readinessProbe`, c.readinessProbe, 'readiness', grace))
  errs.push(...validateProbe(`${path}.startupProbe`, c['startupProbe'] as Probe | undefined, 'startup', grace))
  return errs
}
