/**
 * The Go types of API fields, as the API server's JSON decoder sees them (k8s.io/api structs read by encoding/json
 * in strict mode): enough to refuse a value of the wrong type with Go's own message, to read null as Go does, and to
 * name unknown fields. Each kind's schema lives beside its model (podSchema.ts, serviceSchema.ts, ...).
 */
export type GoType = GoScalar | GoList | GoMap | GoStruct | GoOpaque

/** A scalar: `go` is the type's name as reflect prints it ("int32", "v1.Protocol", "intstr.IntOrString"). */
export interface GoScalar {
  readonly t: 'string' | 'bool' | 'int32' | 'int64' | 'float64' | 'intOrString' | 'quantity' | 'time'
  readonly go: string
}

/** []T. */
export interface GoList {
  readonly t: 'list'
  readonly go: string
  readonly of: GoType
}

/** map[string]T. */
export interface GoMap {
  readonly t: 'map'
  readonly go: string
  readonly of: GoType
}

/** A struct with known fields: any other field is unknown (strict decoding refuses it). */
export interface GoStruct {
  readonly t: 'struct'
  /** "v1.ServicePort": the package-qualified name; errors name the struct without its package. */
  readonly go: string
  readonly fields: Readonly<Record<string, GoType>>
  /** Fields Go always has (non-pointer structs, lists without omitempty) and their value when the input leaves them out. */
  readonly always?: Readonly<Record<string, unknown>>
}

/**
 * A struct the simulation does not model field by field (volumes, affinity, status): it must be a mapping, its
 * content is kept as given. `any` is an interface{} (a custom resource's body): any JSON value.
 */
export interface GoOpaque {
  readonly t: 'object' | 'any'
  readonly go: string
}

const scalar = (t: GoScalar['t'], go: string): GoScalar => ({ t, go })

export const string = scalar('string', 'string')
export const bool = scalar('bool', 'bool')
export const int32 = scalar('int32', 'int32')
export const int64 = scalar('int64', 'int64')
export const intOrString = scalar('intOrString', 'intstr.IntOrString')
export const quantity = scalar('quantity', 'resource.Quantity')
export const time = scalar('time', 'v1.Time')

/** A named Go string type ("v1.Protocol"): decodes like string, errors name the type. */
export const named = (go: string): GoScalar => scalar('string', go)

export const listOf = (of: GoType, go = `[]${of.go}`): GoList => ({ t: 'list', go, of })
export const mapOf = (of: GoType, go = `map[string]${of.go}`): GoMap => ({ t: 'map', go, of })
export const struct = (go: string, fields: Record<string, GoType>, always?: Record<string, unknown>): GoStruct => ({ t: 'struct', go, fields, ...(always ? { always } : {}) })
export const opaque = (go: string): GoOpaque => ({ t: 'object', go })
export const anyValue: GoOpaque = { t: 'any', go: 'interface {}' }

export const strings = listOf(string)
export const stringMap = mapOf(string)
/** v1.ResourceList: resource name -> Quantity. */
export const resourceList = mapOf(quantity, 'v1.ResourceList')

/** The fields every kind has beside its own: TypeMeta inline, and ObjectMeta. */
export function kindSchema(go: string, metadata: GoType, fields: Record<string, GoType>, always?: Record<string, unknown>): GoStruct {
  return struct(go, { apiVersion: string, kind: string, metadata, ...fields }, always)
}
