import {
  forbidden, GoLiteral, invalid, labelValueProblems, qualifiedNameProblems, required, validateAnnotations, validateLabels,
  type FieldError,
} from './fieldErrors'
import type { LabelSelector, ObjectMeta } from './meta'

/** Finalizers Kubernetes itself knows by an unqualified name (helper.IsStandardFinalizerName). */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion'])

/**
 * ValidateObjectMeta (apimachinery, plus core's finalizer rule): the name by the kind's own rule, labels, annotations,
 * owner references and finalizers. `nameProblems` is the kind's NameIsDNSSubdomain, NameIsDNS1035Label, ...
 */
export function validateObjectMeta(meta: ObjectMeta, nameProblems: (name: string) => string[]): FieldError[] {
  const errs: FieldError[] = []
  for (const m of nameProblems(meta.name)) errs.push(invalid('metadata.name', meta.name, m))
  errs.push(...validateLabels('metadata.labels', meta.labels))
  errs.push(...validateAnnotations('metadata.annotations', meta.annotations))
  const refs = meta.ownerReferences ?? []
  for (const ref of refs) {
    const path = 'metadata.ownerReferences'
    const version = ref.apiVersion?.split('/').pop() ?? ''
    if (!version) errs.push(invalid(`${path}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'))
    if (!ref.kind) errs.push(invalid(`${path}.kind`, ref.kind ?? '', 'kind must not be empty'))
    if (!ref.name) errs.push(invalid(`${path}.name`, ref.name ?? '', 'name must not be empty'))
    if (!ref.uid) errs.push(invalid(`${path}.uid`, ref.uid ?? '', 'uid must not be empty'))
  }
  const controllers = refs.filter((r) => r.controller)
  if (controllers.length > 1) {
    errs.push(invalid('metadata.ownerReferences', refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.map((r) => `${r.kind}/${r.name}`).join(' and ')}`))
  }
  for (const [i, f] of (meta.finalizers ?? []).entries()) {
    const path = `metadata.finalizers[${i}]`
    errs.push(...qualifiedNameProblems(f).map((m) => invalid(path, f, m)))
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) errs.push(invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified'))
  }
  return errs
}

/** A *metav1.LabelSelector as %#v prints it in a validation error. */
export function selectorLiteral(s: LabelSelector | undefined, pointer = false): GoLiteral {
  const labels = s?.matchLabels ? `map[string]string{${Object.entries(s.matchLabels).map(([k, v]) => `"${k}":"${v}"`).join(', ')}}` : 'map[string]string(nil)'
  const exprs = s?.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${s.matchExpressions.map((e) => `v1.LabelSelectorRequirement{Key:"${e.key}", Operator:"${e.operator}", Values:${e.values ? `[]string{${e.values.map((v) => `"${v}"`).join(', ')}}` : '[]string(nil)'}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)'
  return new GoLiteral(`${pointer ? '&' : ''}v1.LabelSelector{MatchLabels:${labels}, MatchExpressions:${exprs}}`)
}

/** metav1 ValidateLabelSelector: matchLabels as labels, each requirement's operator, key and values. */
export function validateLabelSelector(path: string, s: LabelSelector): FieldError[] {
  const errs = validateLabels(`${path}.matchLabels`, s.matchLabels)
  for (const [i, r] of (s.matchExpressions ?? []).entries()) {
    const p = `${path}.matchExpressions[${i}]`
    const values = r.values ?? []
    switch (r.operator as string) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"))
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        break
      default:
        errs.push(invalid(`${p}.operator`, r.operator ?? '', 'not a valid selector operator'))
    }
    errs.push(...qualifiedNameProblems(r.key ?? '').map((m) => invalid(`${p}.key`, r.key ?? '', m)))
    for (const [j, v] of values.entries()) errs.push(...labelValueProblems(v).map((m) => invalid(`${p}.values[${j}]`, v, m)))
  }
  return errs
}
