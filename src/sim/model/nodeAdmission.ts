import { duplicate, forbidden, GoLiteral, invalid, labelValueProblems, qualifiedNameProblems, type FieldError } from './fieldErrors'
import { checkCIDR } from './ipValidation'
import type { Node, Taint } from './node'
import { validateTaintEffect } from './tolerationAdmission'

/**
 * ValidateNode and ValidateNodeUpdate for what a Node's spec may say: its taints (upstream names their path under
 * metadata, a quirk kept here), its pod CIDRs, which never change once set.
 */
export function validateNode(node: Node, old: Node | undefined): FieldError[] {
  const errs: FieldError[] = []
  const spec = (node.spec ?? {}) as Partial<Node['spec']>
  const seen = new Map<string, Set<string>>()
  for (const [i, t] of (spec.taints ?? []).entries()) {
    const path = `metadata.taints[${i}]`
    errs.push(...qualifiedNameProblems(t.key ?? '').map((m) => invalid(`${path}.key`, t.key ?? '', m)))
    const valueProblems = labelValueProblems(t.value ?? '')
    if (valueProblems.length) errs.push(invalid(`${path}.value`, t.value ?? '', valueProblems.join(';')))
    errs.push(...validateTaintEffect(`${path}.effect`, t.effect, false))
    const keys = seen.get(t.effect) ?? new Set<string>()
    if (keys.has(t.key)) {
      const e = duplicate(path, taintLiteral(t))
      errs.push({ path, message: `${e.message}: taints must be unique by key and effect pair` })
      continue
    }
    seen.set(t.effect, keys.add(t.key))
  }
  for (const [i, cidr] of (spec.podCIDRs ?? []).entries()) errs.push(...checkCIDR(`spec.podCIDRs[${i}]`, cidr).errors)
  const before = (old?.spec as Partial<Node['spec']> | undefined)?.podCIDRs ?? []
  const after = spec.podCIDRs
  if (old && before.length > 0 && after !== undefined && (after.length !== before.length || after.some((c, i) => c !== before[i]))) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'))
  }
  return errs
}

const taintLiteral = (t: Taint) => new GoLiteral(`core.Taint{Key:${JSON.stringify(t.key)}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect)}, TimeAdded:(*v1.Time)(nil)}`)
