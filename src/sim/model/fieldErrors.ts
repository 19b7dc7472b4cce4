/**
 * Field errors as k8s.io/apimachinery/pkg/util/validation/field prints them, and the kubectl lines built from them.
 * Every message a user sees for invalid input comes from here.
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

export const invalid = (path: string, value: unknown, detail: string): FieldError => ({ path, message: `${path}: Invalid value: ${goValue(value)}: ${detail}` })
export const required = (path: string, detail?: string): FieldError => ({ path, message: `${path}: Required value${detail ? `: ${detail}` : ''}` })
export const unsupported = (path: string, value: unknown, supported: readonly string[]): FieldError => ({
  path,
  message: `${path}: Unsupported value: ${goValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
})
export const duplicate = (path: string, value: unknown): FieldError => ({ path, message: `${path}: Duplicate value: ${goValue(value)}` })
export const forbidden = (path: string, detail: string): FieldError => ({ path, message: `${path}: Forbidden: ${detail}` })

/** `The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: ...` (one error) or a bulleted list. */
export function invalidObjectMessage(kind: string, name: string, errors: readonly FieldError[]): string {
  const head = `The ${kind} "${name}" is invalid: `
  if (errors.length === 1) return head + errors[0]!.message
  return `${head}\n${errors.map((e) => `* ${e.message}`).join('\n')}`
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/

export const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
export const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
export const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

export function validateDns1123Label(path: string, value: unknown): FieldError[] {
  if (typeof value !== 'string' || value === '') return [required(path)]
  const errs: FieldError[] = []
  if (value.length > 63) errs.push(invalid(path, value, 'must be no more than 63 characters'))
  if (!DNS1123_LABEL.test(value)) errs.push(invalid(path, value, DNS1123_LABEL_MSG))
  return errs
}

export function validateDns1123Subdomain(path: string, value: unknown): FieldError[] {
  if (typeof value !== 'string' || value === '') return [required(path)]
  const errs: FieldError[] = []
  if (value.length > 253) errs.push(invalid(path, value, 'must be no more than 253 characters'))
  if (!DNS1123_SUBDOMAIN.test(value)) errs.push(invalid(path, value, DNS1123_SUBDOMAIN_MSG))
  return errs
}

export function validateDns1035Label(path: string, value: unknown): FieldError[] {
  if (typeof value !== 'string' || value === '') return [required(path)]
  const errs: FieldError[] = []
  if (value.length > 63) errs.push(invalid(path, value, 'must be no more than 63 characters'))
  if (!DNS1035_LABEL.test(value)) errs.push(invalid(path, value, DNS1035_LABEL_MSG))
  return errs
}

/** An IANA service name, as a named port must be (validation.IsValidPortName). */
export function validatePortName(path: string, value: string): FieldError[] {
  const errs: FieldError[] = []
  if (value.length > 15) errs.push(invalid(path, value, 'must be no more than 15 characters'))
  if (!IANA_SVC_NAME.test(value)) errs.push(invalid(path, value, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"))
  else if (value.includes('--')) errs.push(invalid(path, value, 'must not contain consecutive hyphens'))
  if (!/[a-z]/.test(value)) errs.push(invalid(path, value, 'must contain at least one letter (a-z)'))
  return errs
}

export function validatePortNumber(path: string, value: unknown): FieldError[] {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    return [invalid(path, value, 'must be between 1 and 65535, inclusive')]
  }
  return []
}

/** metadata.labels: qualified-name keys (optional DNS prefix) and label values. */
export function validateLabels(path: string, labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return []
  if (typeof labels !== 'object' || Array.isArray(labels)) return [invalid(path, labels, 'must be a map of string keys to string values')]
  const errs: FieldError[] = []
  for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
    const slash = k.lastIndexOf('/')
    const name = slash >= 0 ? k.slice(slash + 1) : k
    const prefix = slash >= 0 ? k.slice(0, slash) : undefined
    if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name) || (prefix !== undefined && !DNS1123_SUBDOMAIN.test(prefix))) {
      errs.push(invalid(path, k, "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"))
    }
    if (typeof v !== 'string') errs.push(invalid(`${path}[${k}]`, v, 'must be a string'))
    else if (v.length > 63 || !LABEL_VALUE.test(v)) {
      errs.push(invalid(path, v, "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"))
    }
  }
  return errs
}
