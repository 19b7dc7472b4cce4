import { forbidden, GoLiteral, invalid, required, unsupported, validateAnnotations, validateLabels, validateNonNegative, type FieldError } from './fieldErrors'
import { matchesSelector, type LabelSelector } from './meta'
import { selectorLiteral, validateLabelSelector } from './metaAdmission'
import { defaultPodSpec, validatePodSpec } from './podSpecAdmission'
import type { Deployment, PodTemplateSpec, ReplicaSet, RollingUpdateDeployment } from './workloads'

/** The most replicas one Deployment or ReplicaSet may ask for here: beyond it a browser tab would stall, not teach. */
export const MAX_REPLICAS = 10000

/** spec.replicas: an integer from 0 to the simulator's limit (scale's argument is checked the same way). */
export function validateReplicas(path: string, replicas: unknown): FieldError[] {
  if (typeof replicas !== 'number' || !Number.isInteger(replicas)) return [invalid(path, typeof replicas === 'number' && !Number.isFinite(replicas) ? String(replicas) : replicas, 'must be an integer')]
  if (replicas < 0) return [invalid(path, replicas, 'must be greater than or equal to 0')]
  if (replicas > MAX_REPLICAS) return [invalid(path, replicas, `must be less than or equal to ${MAX_REPLICAS} (the simulator's limit per workload)`)]
  return []
}

type IntOrString = number | string

/** intstr.IntOrString as %#v prints it. */
const intOrStringLiteral = (v: IntOrString) =>
  new GoLiteral(typeof v === 'string' ? `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}` : `intstr.IntOrString{Type:0, IntVal:${v}, StrVal:""}`)

const PERCENT = /^[0-9]+%$/

/** ValidatePositiveIntOrPercent. */
function validateIntOrPercent(path: string, v: IntOrString): FieldError[] {
  if (typeof v === 'number') return validateNonNegative(path, v)
  return PERCENT.test(v) ? [] : [invalid(path, intOrStringLiteral(v), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
}

const intOrPercentValue = (v: IntOrString) => (typeof v === 'number' ? v : PERCENT.test(v) ? Number(v.slice(0, -1)) : 0)

/** ValidateRollingUpdateDeployment. */
function validateRollingUpdate(path: string, ru: Required<RollingUpdateDeployment>): FieldError[] {
  const errs = [...validateIntOrPercent(`${path}.maxUnavailable`, ru.maxUnavailable), ...validateIntOrPercent(`${path}.maxSurge`, ru.maxSurge)]
  if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
    errs.push(invalid(`${path}.maxUnavailable`, intOrStringLiteral(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'))
  }
  if (typeof ru.maxUnavailable === 'string' && PERCENT.test(ru.maxUnavailable) && intOrPercentValue(ru.maxUnavailable) > 100) {
    errs.push(invalid(`${path}.maxUnavailable`, intOrStringLiteral(ru.maxUnavailable), 'must not be greater than 100%'))
  }
  return errs
}

/** ValidatePodTemplateSpecForReplicaSet: selector and labels agree, the pod spec is valid and restarts Always. */
function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined): FieldError[] {
  const errs: FieldError[] = []
  if (!selector) errs.push(required('spec.selector'))
  else {
    errs.push(...validateLabelSelector('spec.selector', selector))
    if (Object.keys(selector.matchLabels ?? {}).length + (selector.matchExpressions?.length ?? 0) === 0) {
      errs.push(invalid('spec.selector', selectorLiteral(selector, true), 'empty selector is invalid for deployment'))
    }
  }
  if (!template) return [...errs, required('spec.template')]
  const labels = template.metadata?.labels ?? {}
  if (selector && errs.length === 0 && !matchesSelector(selector, labels)) {
    errs.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'))
  }
  errs.push(...validateLabels('spec.template.metadata.labels', template.metadata?.labels))
  errs.push(...validateAnnotations('spec.template.metadata.annotations', template.metadata?.annotations))
  errs.push(...validatePodSpec('spec.template.spec', template.spec, false))
  if (template.spec.restartPolicy !== 'Always') errs.push(unsupported('spec.template.spec.restartPolicy', template.spec.restartPolicy, ['Always']))
  if (template.spec['activeDeadlineSeconds'] !== undefined) errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported'))
  return errs
}

/** ValidateDeploymentSpec, on the spec as sent (the strategy) and as defaulted (the rest). */
export function validateDeployment(sent: Partial<Deployment['spec']>, d: Deployment): FieldError[] {
  const spec = d.spec
  const errs = validateReplicas('spec.replicas', spec.replicas)
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template))
  const strategy = sent.strategy
  if (strategy?.type === 'Recreate' && strategy.rollingUpdate !== undefined) {
    errs.push(forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"))
  } else if (spec.strategy.type === 'RollingUpdate') {
    errs.push(...validateRollingUpdate('spec.strategy.rollingUpdate', spec.strategy.rollingUpdate as Required<RollingUpdateDeployment>))
  } else if (spec.strategy.type !== 'Recreate') {
    const ru = strategy?.rollingUpdate ? '(*apps.RollingUpdateDeployment)(0xc000010000)' : '(*apps.RollingUpdateDeployment)(nil)'
    errs.push(unsupported('spec.strategy', new GoLiteral(`apps.DeploymentStrategy{Type:${JSON.stringify(spec.strategy.type)}, RollingUpdate:${ru}}`), ['Recreate', 'RollingUpdate']))
  }
  errs.push(...validateNonNegative('spec.minReadySeconds', spec.minReadySeconds))
  errs.push(...validateNonNegative('spec.revisionHistoryLimit', spec.revisionHistoryLimit))
  errs.push(...validateNonNegative('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds))
  if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
    errs.push(invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'))
  }
  return errs
}

/** ValidateReplicaSetSpec. */
export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  return [
    ...validateReplicas('spec.replicas', rs.spec.replicas),
    ...validateNonNegative('spec.minReadySeconds', rs.spec.minReadySeconds),
    ...validateSelectorAndTemplate(rs.spec.selector, rs.spec.template),
  ]
}

/** apps/v1 makes a workload's selector immutable. */
export function validateSelectorUpdate(next: LabelSelector | undefined, old: LabelSelector | undefined, same: (a: unknown, b: unknown) => boolean): FieldError[] {
  return same(next, old) ? [] : [invalid('spec.selector', selectorLiteral(next), 'field is immutable')]
}

/** SetDefaults_Deployment (apps/v1). */
export function defaultDeploymentSpec(spec: Partial<Deployment['spec']>): Deployment['spec'] {
  const type = spec.strategy?.type || 'RollingUpdate'
  return {
    ...spec,
    replicas: spec.replicas ?? 1,
    strategy:
      type === 'RollingUpdate'
        ? { type, rollingUpdate: { maxSurge: spec.strategy?.rollingUpdate?.maxSurge ?? '25%', maxUnavailable: spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%' } }
        : { type },
    revisionHistoryLimit: spec.revisionHistoryLimit ?? 10,
    progressDeadlineSeconds: spec.progressDeadlineSeconds ?? 600,
    selector: spec.selector!,
    template: { ...spec.template, spec: defaultPodSpec(spec.template?.spec ?? { containers: [] }, false) },
  }
}

/** SetDefaults_ReplicaSet. */
export function defaultReplicaSetSpec(spec: Partial<ReplicaSet['spec']>): ReplicaSet['spec'] {
  return { ...spec, replicas: spec.replicas ?? 1, selector: spec.selector!, template: { ...spec.template, spec: defaultPodSpec(spec.template?.spec ?? { containers: [] }, false) } }
}
