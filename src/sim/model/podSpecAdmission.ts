import { isIPv4 } from '../runtime/ip'
import { duplicate, invalid, required, unsupported, validateDns1123Label, validateDns1123Subdomain, validatePortName, validatePortNumber, type FieldError } from './fieldErrors'
import type { Container, PodSpec, Probe, Toleration } from './pod'

/** pkg/apis/core/v1/defaults.go for a probe. */
function defaultProbe(probe: Probe | undefined): Probe | undefined {
  if (!probe) return undefined
  return {
    ...probe,
    ...(probe.httpGet ? { httpGet: { path: '/', scheme: 'HTTP', ...probe.httpGet } } : {}),
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    periodSeconds: probe.periodSeconds ?? 10,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  }
}

/** Always for `:latest` or an untagged image, IfNotPresent otherwise (SetDefaults_Container). */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent'
  const lastSegment = image.slice(image.lastIndexOf('/') + 1)
  const colon = lastSegment.lastIndexOf(':')
  const tag = colon >= 0 ? lastSegment.slice(colon + 1) : 'latest'
  return tag === 'latest' ? 'Always' : 'IfNotPresent'
}

function defaultContainer(c: Container): Container {
  return {
    ...c,
    imagePullPolicy: c.imagePullPolicy ?? defaultPullPolicy(String(c.image ?? '')),
    ...(c.ports ? { ports: c.ports.map((p) => ({ ...p, protocol: p.protocol ?? 'TCP' })) } : {}),
    ...(c.readinessProbe ? { readinessProbe: defaultProbe(c.readinessProbe) } : {}),
    ...(c.livenessProbe ? { livenessProbe: defaultProbe(c.livenessProbe) } : {}),
    resources: c.resources ?? {},
    terminationMessagePath: c['terminationMessagePath'] ?? '/dev/termination-log',
    terminationMessagePolicy: c['terminationMessagePolicy'] ?? 'File',
  }
}

const DEFAULT_TOLERATIONS: readonly Toleration[] = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
]

/**
 * The API server's defaults for a pod template (what a Deployment or ReplicaSet stores). `forPod` adds what only Pod
 * objects get: enableServiceLinks, the service account and DefaultTolerationSeconds admission.
 */
export function defaultPodSpec(spec: PodSpec, forPod: boolean): PodSpec {
  const out: PodSpec = {
    ...spec,
    containers: (spec.containers ?? []).map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
    dnsPolicy: spec.dnsPolicy ?? 'ClusterFirst',
    restartPolicy: spec.restartPolicy ?? 'Always',
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
    schedulerName: spec.schedulerName ?? 'default-scheduler',
    securityContext: spec['securityContext'] ?? {},
  }
  if (!forPod) return out
  const tolerations = [...(spec.tolerations ?? [])]
  for (const t of DEFAULT_TOLERATIONS) {
    if (!tolerations.some((x) => x.key === t.key || (x.operator === 'Exists' && !x.key))) tolerations.push(t)
  }
  return {
    ...out,
    enableServiceLinks: spec.enableServiceLinks ?? true,
    // The deprecated serviceAccount, given alone, names the account; both are always written.
    serviceAccountName: spec.serviceAccountName ?? (spec['serviceAccount'] as string | undefined) ?? 'default',
    serviceAccount: spec.serviceAccountName ?? spec['serviceAccount'] ?? 'default',
    priority: spec['priority'] ?? 0,
    preemptionPolicy: spec['preemptionPolicy'] ?? 'PreemptLowerPriority',
    tolerations,
  }
}

const PROTOCOLS = ['SCTP', 'TCP', 'UDP']

function validateProbe(path: string, probe: unknown, container: Container): FieldError[] {
  if (probe === undefined) return []
  if (typeof probe !== 'object' || probe === null) return [invalid(path, probe, 'must be an object')]
  const p = probe as Probe
  const errs: FieldError[] = []
  const handlers = (['httpGet', 'tcpSocket', 'exec', 'grpc'] as const).filter((h) => p[h] !== undefined)
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'))
  if (handlers.length > 1) errs.push({ path: `${path}.${handlers[1]}`, message: `${path}.${handlers[1]}: Forbidden: may not specify more than 1 handler type` })
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    const v = p[field]
    if (v === undefined) continue
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) errs.push(invalid(`${path}.${field}`, v, 'must be greater than or equal to 0'))
  }
  if (p.successThreshold !== undefined && p.successThreshold !== 1) errs.push(invalid(`${path}.successThreshold`, p.successThreshold, 'must be 1'))
  const port = p.httpGet?.port ?? p.tcpSocket?.port
  if (typeof port === 'string') {
    if (!(container.ports ?? []).some((cp) => cp.name === port)) {
      // The API server accepts any valid name; an unknown one fails at probe time. Validate only its form here.
      errs.push(...validatePortName(`${path}.${p.httpGet ? 'httpGet' : 'tcpSocket'}.port`, port))
    }
  } else if (port !== undefined) {
    errs.push(...validatePortNumber(`${path}.${p.httpGet ? 'httpGet' : 'tcpSocket'}.port`, port))
  }
  return errs
}

function validateContainer(path: string, c: unknown, names: Set<string>): FieldError[] {
  if (typeof c !== 'object' || c === null) return [invalid(path, c, 'must be an object')]
  const container = c as Container
  const errs = validateDns1123Label(`${path}.name`, container.name)
  if (typeof container.name === 'string') {
    if (names.has(container.name)) errs.push(duplicate(`${path}.name`, container.name))
    names.add(container.name)
  }
  if (typeof container.image !== 'string' || container.image.trim() === '') errs.push(required(`${path}.image`))
  const portNames = new Set<string>()
  if (container.ports !== undefined && !Array.isArray(container.ports)) errs.push(invalid(`${path}.ports`, container.ports, 'must be a list'))
  for (const [i, p] of (Array.isArray(container.ports) ? container.ports : []).entries()) {
    const pp = `${path}.ports[${i}]`
    errs.push(...validatePortNumber(`${pp}.containerPort`, p.containerPort))
    if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) errs.push(unsupported(`${pp}.protocol`, p.protocol, PROTOCOLS))
    if (p.name !== undefined) {
      errs.push(...validatePortName(`${pp}.name`, String(p.name)))
      if (portNames.has(p.name)) errs.push(duplicate(`${pp}.name`, p.name))
      portNames.add(p.name)
    }
  }
  errs.push(...validateProbe(`${path}.readinessProbe`, container.readinessProbe, container))
  errs.push(...validateProbe(`${path}.livenessProbe`, container.livenessProbe, container))
  if (container.env !== undefined && !Array.isArray(container.env)) errs.push(invalid(`${path}.env`, container.env, 'must be a list'))
  for (const [i, e] of (Array.isArray(container.env) ? container.env : []).entries()) {
    if (typeof e?.name !== 'string' || e.name === '') errs.push(required(`${path}.env[${i}].name`))
  }
  return errs
}

/** validatePodDNSConfig: None needs a nameserver; at most 3 nameservers, each an IP; at most 32 searches; named options. */
function validateDnsConfig(path: string, policy: string | undefined, config: unknown): FieldError[] {
  const c = (config ?? undefined) as { nameservers?: unknown; searches?: unknown; options?: unknown } | undefined
  const nameservers = Array.isArray(c?.nameservers) ? (c.nameservers as unknown[]) : []
  // dnsPolicy None: a dnsConfig with a nameserver first, and nothing else is said until there is one.
  if (policy === 'None' && !c) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')]
  if (policy === 'None' && nameservers.length === 0) return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')]
  if (!c) return []
  const errs: FieldError[] = []
  if (nameservers.length > 3) errs.push(invalid(`${path}.nameservers`, nameservers, 'must not have more than 3 nameservers'))
  nameservers.forEach((n, i) => {
    if (typeof n !== 'string' || !isIPv4(n)) errs.push(invalid(`${path}.nameservers[${i}]`, n, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'))
  })
  const searches = Array.isArray(c.searches) ? (c.searches as unknown[]) : []
  if (searches.length > 32) errs.push(invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'))
  searches.forEach((d, i) => errs.push(...validateDns1123Subdomain(`${path}.searches[${i}]`, typeof d === 'string' ? d.replace(/\.$/, '') : d)))
  const options = Array.isArray(c.options) ? (c.options as { name?: unknown }[]) : []
  options.forEach((o, i) => {
    if (typeof o?.name !== 'string' || o.name === '') errs.push(required(`${path}.options[${i}].name`))
  })
  return errs
}

/** ValidatePodSpec, for the fields the simulation uses. `path` is e.g. "spec" or "spec.template.spec". */
export function validatePodSpec(path: string, spec: unknown): FieldError[] {
  if (typeof spec !== 'object' || spec === null) return [required(path)]
  const s = spec as PodSpec
  const errs: FieldError[] = []
  if (!Array.isArray(s.containers) || s.containers.length === 0) errs.push(required(`${path}.containers`))
  const names = new Set<string>()
  for (const [i, c] of (Array.isArray(s.containers) ? s.containers : []).entries()) errs.push(...validateContainer(`${path}.containers[${i}]`, c, names))
  for (const [i, c] of (Array.isArray(s.initContainers) ? s.initContainers : []).entries()) errs.push(...validateContainer(`${path}.initContainers[${i}]`, c, names))
  const restart = ['Always', 'OnFailure', 'Never']
  if (s.restartPolicy !== undefined && !restart.includes(s.restartPolicy)) errs.push(unsupported(`${path}.restartPolicy`, s.restartPolicy, restart))
  const dns = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']
  if (s.dnsPolicy !== undefined && !dns.includes(s.dnsPolicy)) errs.push(unsupported(`${path}.dnsPolicy`, s.dnsPolicy, dns))
  errs.push(...validateDnsConfig(`${path}.dnsConfig`, s.dnsPolicy, s.dnsConfig))
  const grace = s.terminationGracePeriodSeconds
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace) || grace < 0)) {
    errs.push(invalid(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than or equal to 0'))
  }
  if (s.hostname !== undefined) errs.push(...validateDns1123Label(`${path}.hostname`, s.hostname))
  if (s.subdomain !== undefined) errs.push(...validateDns1123Label(`${path}.subdomain`, s.subdomain))
  return errs
}
