import { forbidden, goValue, invalid, required, unsupported, validateDns1123Subdomain, validateLabels, type FieldError } from './fieldErrors'
import { matchesSelector, type LabelSelector } from './meta'
import { defaultPodSpec, validatePodSpec } from './podSpecAdmission'
import type { Deployment, PodTemplateSpec, ReplicaSet } from './workloads'

/** The most replicas one Deployment or ReplicaSet may ask for here: beyond it a browser tab would stall, not teach. */
export const MAX_REPLICAS = 10000

export function validateReplicas(path: string, replicas: unknown): FieldError[] {
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) return [invalid(path, replicas, 'must be an integer')]
  if (replicas < 0) return [invalid(path, replicas, 'must be greater than or equal to 0')]
  if (replicas > MAX_REPLICAS) return [invalid(path, replicas, `must be less than or equal to ${MAX_REPLICAS} (the simulator's limit per workload)`)]
  return []
}

/** ValidatePositiveIntOrPercent: a non-negative integer, or a string matching [0-9]+%. */
function validateIntOrPercent(path: string, v: unknown): FieldError[] {
  if (v === undefined) return []
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? [] : [invalid(path, v, 'must be greater than or equal to 0')]
  if (typeof v === 'string' && PERCENT.test(v)) return []
  return [invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
}

/** Selector and template checks shared by Deployment and ReplicaSet (ValidateDeploymentSpec / ValidateReplicaSetSpec). */
function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined): FieldError[] {
  const errs: FieldError[] = []
  if (!selector || typeof selector !== 'object') errs.push(required('spec.selector'))
  else if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) {
    errs.push(invalid('spec.selector', selector, 'empty selector is invalid for deployment'))
  } else errs.push(...validateLabels('spec.selector.matchLabels', selector.matchLabels))
  if (!template || typeof template !== 'object') return [...errs, required('spec.template')]
  errs.push(...validateLabels('spec.template.metadata.labels', template.metadata?.labels))
  if (selector && typeof selector === 'object' && errs.length === 0 && !matchesSelector(selector, template.metadata?.labels ?? {})) {
    errs.push(invalid('spec.template.metadata.labels', template.metadata?.labels ?? {}, '`selector` does not match template `labels`'))
  }
  errs.push(...validatePodSpec('spec.template.spec', template.spec))
  const restart = template.spec?.restartPolicy
  if (restart !== undefined && restart !== 'Always') errs.push(unsupported('spec.template.spec.restartPolicy', restart, ['Always']))
  return errs
}

export function validateDeployment(d: Deployment): FieldError[] {
  const errs = validateDns1123Subdomain('metadata.name', d.metadata.name)
  if (!d.spec || typeof d.spec !== 'object') return [...errs, required('spec')]
  if (d.spec.replicas !== undefined) errs.push(...validateReplicas('spec.replicas', d.spec.replicas))
  errs.push(...validateSelectorAndTemplate(d.spec.selector, d.spec.template))
  // A null strategy decodes as none at all, and is defaulted.
  if (d.spec.strategy !== undefined && d.spec.strategy !== null) errs.push(...validateStrategy(d.spec.strategy))
  return errs
}

/**
 * ValidateDeploymentStrategy, after defaulting (an omitted type is RollingUpdate): Recreate takes no rollingUpdate;
 * RollingUpdate's maxUnavailable and maxSurge are each a non-negative integer or a percent, not both zero, and
 * maxUnavailable at most 100% (maxSurge may exceed it). An unknown type is reported against the whole strategy, with
 * Go's rendering of the struct, as the API server prints it.
 */
function validateStrategy(strategy: Deployment['spec']['strategy']): FieldError[] {
  const type = strategy.type ?? 'RollingUpdate'
  const ru = strategy.rollingUpdate ?? undefined
  if (type === 'Recreate') return ru ? [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")] : []
  if (type !== 'RollingUpdate') {
    // The pointer's address is whatever the API server's heap held; a fixed one stands in for it.
    const pointer = ru ? '(*apps.RollingUpdateDeployment)(0xc000a1c2d0)' : '(*apps.RollingUpdateDeployment)(nil)'
    return [{ path: 'spec.strategy', message: `spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:${goValue(String(type))}, RollingUpdate:${pointer}}: supported values: "Recreate", "RollingUpdate"` }]
  }
  if (!ru) return []
  const errs = [
    ...validateIntOrPercent('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable),
    ...validateIntOrPercent('spec.strategy.rollingUpdate.maxSurge', ru.maxSurge),
  ]
  if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'))
  }
  if (typeof ru.maxUnavailable === 'string' && PERCENT.test(ru.maxUnavailable) && Number(ru.maxUnavailable.slice(0, -1)) > 100) {
    errs.push(invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'must not be greater than 100%'))
  }
  return errs
}

const PERCENT = /^[0-9]+%$/

/** getIntOrPercentValue is 0: the number 0, a 0 percent, or (as Go reads a string that is no percent) a non-number. */
function isZero(v: unknown): boolean {
  if (v === undefined) return false
  if (typeof v === 'number') return v === 0
  if (typeof v === 'string') return PERCENT.test(v) ? Number(v.slice(0, -1)) === 0 : !/^-?[0-9]+$/.test(v) || Number(v) === 0
  return false
}

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const errs = validateDns1123Subdomain('metadata.name', rs.metadata.name)
  if (!rs.spec || typeof rs.spec !== 'object') return [...errs, required('spec')]
  if (rs.spec.replicas !== undefined) errs.push(...validateReplicas('spec.replicas', rs.spec.replicas))
  return [...errs, ...validateSelectorAndTemplate(rs.spec.selector, rs.spec.template)]
}

export function defaultDeploymentSpec(spec: Deployment['spec']): Deployment['spec'] {
  const type = spec.strategy?.type ?? 'RollingUpdate'
  return {
    ...spec,
    replicas: spec.replicas ?? 1,
    strategy:
      type === 'RollingUpdate'
        ? { type, rollingUpdate: { maxSurge: spec.strategy?.rollingUpdate?.maxSurge ?? '25%', maxUnavailable: spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%' } }
        : { type },
    revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
    template: { ...spec.template, spec: defaultPodSpec(spec.template.spec, false) },
  }
}

export function defaultReplicaSetSpec(spec: ReplicaSet['spec']): ReplicaSet['spec'] {
  return { ...spec, replicas: spec.replicas ?? 1, template: { ...spec.template, spec: defaultPodSpec(spec.template.spec, false) } }
}
