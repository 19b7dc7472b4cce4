import {
  duplicate, forbidden, invalid, required, validateDns1123Label, validateDns1123Subdomain, validateLabels, validateQualifiedName,
  type FieldError,
} from './fieldErrors'
import { enumCheck, MAX_SECONDS, validateContainer } from './containerAdmission'
import { checkIP } from './ipValidation'
import { validateTolerations } from './tolerationAdmission'
import type { Container, PodSpec, Probe, Toleration } from './pod'

/** pkg/apis/core/v1/defaults.go for a probe. */
function defaultProbe(probe: Probe | undefined): Probe | undefined {
  if (!probe) return undefined
  return {
    ...probe,
    ...(probe.httpGet ? { httpGet: { ...probe.httpGet, path: probe.httpGet.path || '/', scheme: probe.httpGet.scheme || 'HTTP' } } : {}),
    timeoutSeconds: probe.timeoutSeconds || 1,
    periodSeconds: probe.periodSeconds || 10,
    successThreshold: probe.successThreshold || 1,
    failureThreshold: probe.failureThreshold || 3,
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
    imagePullPolicy: c.imagePullPolicy || defaultPullPolicy(String(c.image ?? '')),
    ...(c.ports ? { ports: c.ports.map((p) => ({ ...p, protocol: p.protocol || 'TCP' })) } : {}),
    ...(c.readinessProbe ? { readinessProbe: defaultProbe(c.readinessProbe) } : {}),
    ...(c.livenessProbe ? { livenessProbe: defaultProbe(c.livenessProbe) } : {}),
    ...(c['startupProbe'] ? { startupProbe: defaultProbe(c['startupProbe'] as Probe) } : {}),
    resources: c.resources ?? {},
    terminationMessagePath: c['terminationMessagePath'] || '/dev/termination-log',
    terminationMessagePolicy: c['terminationMessagePolicy'] || 'File',
  }
}

const DEFAULT_TOLERATIONS: readonly Toleration[] = [
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
]

/**
 * The API server's defaults for a pod template (what a Deployment or ReplicaSet stores). `forPod` adds what only Pod
 * objects get: enableServiceLinks, the service account and DefaultTolerationSeconds admission. A negative grace
 * period becomes 1, as the API server has done since 1.27.
 */
export function defaultPodSpec(spec: PodSpec, forPod: boolean): PodSpec {
  const grace = spec.terminationGracePeriodSeconds ?? 30
  const out: PodSpec = {
    ...spec,
    containers: (spec.containers ?? []).map(defaultContainer),
    ...(spec.initContainers ? { initContainers: spec.initContainers.map(defaultContainer) } : {}),
    dnsPolicy: spec.dnsPolicy || 'ClusterFirst',
    restartPolicy: spec.restartPolicy || 'Always',
    terminationGracePeriodSeconds: grace < 0 ? 1 : grace,
    schedulerName: spec.schedulerName || 'default-scheduler',
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
    serviceAccountName: spec.serviceAccountName || (spec['serviceAccount'] as string | undefined) || 'default',
    serviceAccount: (spec['serviceAccount'] as string | undefined) || spec.serviceAccountName || 'default',
    priority: spec['priority'] ?? 0,
    preemptionPolicy: spec['preemptionPolicy'] ?? 'PreemptLowerPriority',
    tolerations,
  }
}

/** validatePodDNSConfig: None needs a nameserver; at most 3 nameservers, each an IP; at most 32 searches; named options. */
function validateDnsConfig(path: string, policy: string | undefined, c: PodSpec['dnsConfig']): FieldError[] {
  if (policy === 'None' && !c) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')]
  if (policy === 'None' && !c?.nameservers?.length) return [required(`${path}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')]
  if (!c) return []
  const errs: FieldError[] = []
  const nameservers = c.nameservers ?? []
  if (nameservers.length > 3) errs.push(invalid(`${path}.nameservers`, nameservers, 'must not have more than 3 nameservers'))
  nameservers.forEach((n, i) => errs.push(...checkIP(`${path}.nameservers[${i}]`, n).errors))
  const searches = c.searches ?? []
  if (searches.length > 32) errs.push(invalid(`${path}.searches`, searches, 'must not have more than 32 search paths'))
  if (searches.join(' ').length > 2048) errs.push(invalid(`${path}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'))
  searches.forEach((d, i) => {
    if (d !== '.') errs.push(...validateDns1123Subdomain(`${path}.searches[${i}]`, d.replace(/\.$/, '')))
  })
  ;(c.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(required(`${path}.options[${i}]`, 'must not be empty'))
  })
  return errs
}

/**
 * ValidatePodSpec (after defaulting), for a Pod (`forPod`) or a workload's template. `path` is "spec" or
 * "spec.template.spec".
 */
export function validatePodSpec(path: string, s: PodSpec, forPod: boolean): FieldError[] {
  const errs: FieldError[] = []
  const grace = s.terminationGracePeriodSeconds ?? 30
  // Any int64 decodes; the simulator's clock, and so a grace period, ends at 100 years.
  if (grace > MAX_SECONDS) errs.push(invalid(`${path}.terminationGracePeriodSeconds`, grace, `must be less than or equal to ${MAX_SECONDS} (the simulator's clock runs for 100 years)`))
  const volumes = new Set<string>()
  for (const [i, v] of ((s['volumes'] as { name?: unknown }[] | undefined) ?? []).entries()) {
    const vp = `${path}.volumes[${i}].name`
    if (typeof v.name !== 'string' || !v.name) errs.push(required(vp))
    else {
      errs.push(...validateDns1123Label(vp, v.name))
      if (volumes.has(v.name)) errs.push(duplicate(vp, v.name))
      volumes.add(v.name)
    }
  }
  if (!s.containers?.length) errs.push(required(`${path}.containers`))
  const names = new Set<string>()
  for (const [i, c] of (s.containers ?? []).entries()) {
    errs.push(...validateContainer(`${path}.containers[${i}]`, c, volumes, grace, false, forPod))
    if (c.name && names.has(c.name)) errs.push(duplicate(`${path}.containers[${i}].name`, c.name))
    names.add(c.name)
  }
  for (const [i, c] of (s.initContainers ?? []).entries()) {
    errs.push(...validateContainer(`${path}.initContainers[${i}]`, c, volumes, grace, true, forPod))
    if (c.name && names.has(c.name)) errs.push(duplicate(`${path}.initContainers[${i}].name`, c.name))
    names.add(c.name)
  }
  if (s.hostNetwork) {
    for (const [i, c] of (s.containers ?? []).entries()) {
      for (const [j, p] of (c.ports ?? []).entries()) {
        if ((forPod || p.hostPort) && p.hostPort !== p.containerPort) {
          errs.push(invalid(`${path}.containers[${i}].ports[${j}].hostPort`, p.hostPort ?? 0, 'must match `containerPort` when `hostNetwork` is true'))
        }
      }
    }
  }
  errs.push(...enumCheck(`${path}.restartPolicy`, s.restartPolicy, ['Always', 'OnFailure', 'Never']))
  errs.push(...enumCheck(`${path}.dnsPolicy`, s.dnsPolicy, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']))
  errs.push(...validateLabels(`${path}.nodeSelector`, s.nodeSelector))
  errs.push(...validateDnsConfig(`${path}.dnsConfig`, s.dnsPolicy, s.dnsConfig))
  if (s.serviceAccountName) errs.push(...validateDns1123Subdomain(`${path}.serviceAccountName`, s.serviceAccountName))
  if (s.nodeName) errs.push(...validateDns1123Subdomain(`${path}.nodeName`, s.nodeName))
  const deadline = s['activeDeadlineSeconds'] as number | undefined
  if (deadline !== undefined && (deadline < 1 || deadline > 2147483647)) errs.push(invalid(`${path}.activeDeadlineSeconds`, deadline, 'must be between 1 and 2147483647, inclusive'))
  if (s.hostname) errs.push(...validateDns1123Label(`${path}.hostname`, s.hostname))
  if (s.subdomain) errs.push(...validateDns1123Label(`${path}.subdomain`, s.subdomain))
  errs.push(...validateTolerations(`${path}.tolerations`, s.tolerations ?? []))
  for (const [i, a] of ((s['hostAliases'] as { ip?: string; hostnames?: string[] }[] | undefined) ?? []).entries()) {
    errs.push(...checkIP(`${path}.hostAliases[${i}].ip`, a.ip ?? '').errors)
    for (const [j, h] of (a.hostnames ?? []).entries()) errs.push(...validateDns1123Subdomain(`${path}.hostAliases[${i}].hostnames[${j}]`, h))
  }
  if (s.priorityClassName) errs.push(...validateDns1123Subdomain(`${path}.priorityClassName`, s.priorityClassName))
  errs.push(...enumCheck(`${path}.preemptionPolicy`, s['preemptionPolicy'] as string | undefined, ['Never', 'PreemptLowerPriority']))
  const os = s['os'] as { name?: string } | undefined
  if (os) errs.push(...(os.name ? enumCheck(`${path}.os`, os.name, ['linux', 'windows']) : [required(`${path}.os.name`, 'cannot be empty')]))
  for (const [i, g] of ((s['readinessGates'] as { conditionType?: string }[] | undefined) ?? []).entries()) {
    errs.push(...validateQualifiedName(`${path}.readinessGates[${i}].conditionType`, g.conditionType ?? ''))
  }
  const gates = new Set<string>()
  for (const [i, g] of ((s['schedulingGates'] as { name?: string }[] | undefined) ?? []).entries()) {
    errs.push(...validateQualifiedName(`${path}.schedulingGates[${i}]`, g.name ?? ''))
    if (gates.has(g.name ?? '')) errs.push(duplicate(`${path}.schedulingGates[${i}]`, g.name ?? ''))
    gates.add(g.name ?? '')
  }
  return errs
}

const UPDATABLE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'

/**
 * ValidatePodUpdate: a Pod's spec is fixed but for its images, activeDeadlineSeconds (only shortened) and added
 * tolerations. Returns the spec to store: the live one with those changes.
 */
export function validatePodUpdate(next: PodSpec, live: PodSpec, same: (a: PodSpec, b: PodSpec) => boolean): { errors: FieldError[]; spec: PodSpec } {
  const errors: FieldError[] = []
  for (const field of ['containers', 'initContainers'] as const) {
    if ((next[field]?.length ?? 0) !== (live[field]?.length ?? 0)) return { errors: [forbidden(`spec.${field}`, 'pod updates may not add or remove containers')], spec: live }
  }
  const deadline = next['activeDeadlineSeconds'] as number | undefined
  const oldDeadline = live['activeDeadlineSeconds'] as number | undefined
  if (deadline !== undefined && oldDeadline !== undefined && deadline > oldDeadline) errors.push(invalid('spec.activeDeadlineSeconds', deadline, 'must be less than or equal to previous value'))
  else if (deadline === undefined && oldDeadline !== undefined) errors.push(invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'))
  const tolerationSeconds = (t: Toleration) => JSON.stringify({ ...t, tolerationSeconds: undefined })
  const added = next.tolerations ?? []
  if ((live.tolerations ?? []).some((t) => !added.some((n) => tolerationSeconds(n) === tolerationSeconds(t)))) {
    errors.push(forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'))
  }
  // `target`'s containers with the images of `source`'s.
  const withImages = (target: PodSpec, source: PodSpec, field: 'containers' | 'initContainers') => target[field]?.map((c, i) => ({ ...c, image: source[field]![i]!.image }))
  const munged: PodSpec = {
    ...next,
    containers: withImages(next, live, 'containers') ?? [],
    ...(next.initContainers ? { initContainers: withImages(next, live, 'initContainers') } : {}),
    activeDeadlineSeconds: oldDeadline,
    tolerations: live.tolerations,
    nodeName: live.nodeName,
  }
  if (!same(munged, live)) errors.push(forbidden('spec', UPDATABLE))
  const spec: PodSpec = {
    ...live,
    containers: withImages(live, next, 'containers') ?? [],
    ...(live.initContainers ? { initContainers: withImages(live, next, 'initContainers') } : {}),
    ...(deadline !== undefined ? { activeDeadlineSeconds: deadline } : {}),
    tolerations: next.tolerations,
  }
  return { errors, spec }
}
