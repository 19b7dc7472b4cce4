/**
 * Field errors as k8s.io/apimachinery/pkg/util/validation/field prints them, the format checks of
 * apimachinery/pkg/util/validation with their messages, and the kubectl lines built from them. Every message a user
 * sees for invalid input comes from here.
 */
export interface FieldError {
  readonly path: string
  readonly message: string
}

/** Go's %#v-ish rendering of a bad value, as the API server quotes it. */
export function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}`
    return `[]interface {}{${value.map(goValue).join(', ')}}`
  }
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.every(([, v]) => typeof v === 'string')) return `map[string]string{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(', ')}}`
  return `map[string]interface {}{${entries.map(([k, v]) => `${JSON.stringify(k)}:${goValue(v)}`).join(', ')}}`
}

/** A value printed as it is: for the structs upstream prints with %#v (intstr.IntOrString{...}, core.ServicePort{...}). */
export class GoLiteral {
  constructor(readonly text: string) {}
}

const show = (value: unknown) => (value instanceof GoLiteral ? value.text : goValue(value))

export const invalid = (path: string, value: unknown, detail: string): FieldError => ({ path, message: `${path}: Invalid value: ${show(value)}: ${detail}` })
export const required = (path: string, detail?: string): FieldError => ({ path, message: `${path}: Required value${detail ? `: ${detail}` : ''}` })
export const unsupported = (path: string, value: unknown, supported: readonly string[]): FieldError => ({
  path,
  message: `${path}: Unsupported value: ${show(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
})
export const duplicate = (path: string, value: unknown): FieldError => ({ path, message: `${path}: Duplicate value: ${show(value)}` })
export const forbidden = (path: string, detail: string): FieldError => ({ path, message: `${path}: Forbidden: ${detail}` })
export const tooMany = (path: string, actual: number, max: number): FieldError => ({ path, message: `${path}: Too many: ${actual}: must have at most ${max} items` })
export const tooLong = (path: string, max: number): FieldError => ({ path, message: `${path}: Too long: may not be more than ${max} bytes` })
export const notFound = (path: string, value: unknown): FieldError => ({ path, message: `${path}: Not found: ${show(value)}` })

/** `The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: ...` (one error) or a bulleted list. */
export function invalidObjectMessage(kind: string, name: string, errors: readonly FieldError[]): string {
  const head = `The ${kind} "${name}" is invalid: `
  if (errors.length === 1) return head + errors[0]!.message
  return `${head}\n${errors.map((e) => `* ${e.message}`).join('\n')}`
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

export const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
export const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
export const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

const maxLen = (n: number) => `must be no more than ${n} characters`

/** validation.IsDNS1123Label: what is wrong with `value` as a label, in upstream's order. */
export function dns1123LabelProblems(value: string): string[] {
  const out: string[] = []
  if (value.length > 63) out.push(maxLen(63))
  if (!DNS1123_LABEL.test(value)) out.push(DNS1123_SUBDOMAIN.test(value) ? 'must not contain dots' : DNS1123_LABEL_MSG)
  return out
}

/** validation.IsDNS1123Subdomain. */
export function dns1123SubdomainProblems(value: string): string[] {
  const out: string[] = []
  if (value.length > 253) out.push(maxLen(253))
  if (!DNS1123_SUBDOMAIN.test(value)) out.push(DNS1123_SUBDOMAIN_MSG)
  return out
}

/** validation.IsDNS1035Label. */
export function dns1035LabelProblems(value: string): string[] {
  const out: string[] = []
  if (value.length > 63) out.push(maxLen(63))
  if (!DNS1035_LABEL.test(value)) out.push(DNS1035_LABEL_MSG)
  return out
}

/** validation.IsQualifiedName: "name" or "prefix/name", the prefix a DNS subdomain. */
export function qualifiedNameProblems(value: string): string[] {
  const parts = value.split('/')
  let name: string
  const out: string[] = []
  if (parts.length === 1) name = parts[0]!
  else if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string]
    name = rest
    if (prefix.length === 0) out.push('prefix part must be non-empty')
    else out.push(...dns1123SubdomainProblems(prefix).map((m) => `prefix part ${m}`))
  } else return [`a qualified name ${QUALIFIED_NAME_MSG} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  if (name.length === 0) out.push('name part must be non-empty')
  else if (name.length > 63) out.push(`name part ${maxLen(63)}`)
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) out.push(`name part ${QUALIFIED_NAME_MSG}`)
  return out
}

/** validation.IsValidLabelValue. */
export function labelValueProblems(value: string): string[] {
  const out: string[] = []
  if (value.length > 63) out.push(maxLen(63))
  if (!LABEL_VALUE.test(value)) out.push(LABEL_VALUE_MSG)
  return out
}

/** validation.IsValidPortName: an IANA service name. */
export function portNameProblems(value: string): string[] {
  const out: string[] = []
  if (value.length > 15) out.push(maxLen(15))
  if (!/^[-a-z0-9]+$/.test(value)) out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)')
  if (!/[a-z]/.test(value)) out.push('must contain at least one letter (a-z)')
  if (value.includes('--')) out.push('must not contain consecutive hyphens')
  if (value.startsWith('-') || value.endsWith('-')) out.push('must not begin or end with a hyphen')
  return out
}

const each = (path: string, value: unknown, problems: string[]): FieldError[] => problems.map((p) => invalid(path, value, p))

export function validateDns1123Label(path: string, value: string): FieldError[] {
  return each(path, value, dns1123LabelProblems(value))
}

export function validateDns1123Subdomain(path: string, value: string): FieldError[] {
  return each(path, value, dns1123SubdomainProblems(value))
}

export function validateDns1035Label(path: string, value: string): FieldError[] {
  return each(path, value, dns1035LabelProblems(value))
}

export function validateQualifiedName(path: string, value: string): FieldError[] {
  return each(path, value, qualifiedNameProblems(value))
}

export function validatePortName(path: string, value: string): FieldError[] {
  return each(path, value, portNameProblems(value))
}

/** validation.IsValidPortNum. */
export function validatePortNumber(path: string, value: number): FieldError[] {
  return value >= 1 && value <= 65535 ? [] : [invalid(path, value, 'must be between 1 and 65535, inclusive')]
}

/** ValidateNonnegativeField. */
export function validateNonNegative(path: string, value: number | undefined): FieldError[] {
  return value !== undefined && value < 0 ? [invalid(path, value, 'must be greater than or equal to 0')] : []
}

/** metav1 validation.ValidateLabels: keys are qualified names, values label values; errors name the map, not the key. */
export function validateLabels(path: string, labels: Readonly<Record<string, string>> | undefined): FieldError[] {
  const errs: FieldError[] = []
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...each(path, k, qualifiedNameProblems(k)))
    errs.push(...each(path, v, labelValueProblems(v)))
  }
  return errs
}

/** The most annotation data an object may carry (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_LIMIT = 256 * 1024

/** apimachinery ValidateAnnotations: qualified-name keys (case-insensitive), 256 KiB in all. */
export function validateAnnotations(path: string, annotations: Readonly<Record<string, string>> | undefined): FieldError[] {
  const errs: FieldError[] = []
  let size = 0
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...each(path, k, qualifiedNameProblems(k.toLowerCase())))
    size += k.length + v.length
  }
  if (size > ANNOTATIONS_LIMIT) errs.push(tooLong(path, ANNOTATIONS_LIMIT))
  return errs
}
