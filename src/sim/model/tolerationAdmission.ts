import { invalid, labelValueProblems, qualifiedNameProblems, unsupported, type FieldError } from './fieldErrors'
import type { Toleration } from './pod'

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute']

/** validateTaintEffect: one of the three effects (empty allowed only where it means "any"). */
export function validateTaintEffect(path: string, effect: string | undefined, allowEmpty: boolean): FieldError[] {
  if (!effect) return allowEmpty ? [] : [{ path, message: `${path}: Required value` }]
  return EFFECTS.includes(effect) ? [] : [unsupported(path, effect, EFFECTS)]
}

/** ValidateTolerations (pkg/apis/core/validation). */
export function validateTolerations(path: string, tolerations: readonly Toleration[]): FieldError[] {
  const errs: FieldError[] = []
  for (const [i, t] of tolerations.entries()) {
    const p = `${path}[${i}]`
    const key = t.key ?? ''
    if (key) errs.push(...qualifiedNameProblems(key).map((m) => invalid(`${p}.key`, key, m)))
    if (!key && t.operator !== 'Exists') {
      errs.push(invalid(`${p}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'))
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(invalid(`${p}.effect`, t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"))
    }
    const value = t.value ?? ''
    if (t.operator === undefined || t.operator === 'Equal' || (t.operator as string) === '') {
      const problems = labelValueProblems(value)
      if (problems.length) errs.push(invalid(`${p}.operator`, value, problems.join(';')))
    } else if (t.operator === 'Exists') {
      if (value) errs.push(invalid(`${p}.operator`, value, "value must be empty when `operator` is 'Exists'"))
    } else errs.push(unsupported(`${p}.operator`, t.operator, ['Equal', 'Exists']))
    errs.push(...validateTaintEffect(`${p}.effect`, t.effect, true))
  }
  return errs
}
