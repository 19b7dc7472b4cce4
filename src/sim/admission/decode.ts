import { ENDPOINT_SLICE, ENDPOINTS } from '../model/discoverySchema'
import { OBJECT_META } from '../model/metaSchema'
import { NAMESPACE, NODE } from '../model/nodeSchema'
import { POD } from '../model/podSchema'
import type { GoScalar, GoStruct, GoType } from '../model/schema'
import { anyValue, kindSchema, string } from '../model/schema'
import { SERVICE } from '../model/serviceSchema'
import { DEPLOYMENT, REPLICA_SET } from '../model/workloadSchema'
import { isSimulatedKind, type SimulatedKind } from '../state'

/**
 * The API server's decoding of a request body into its Go struct, as encoding/json does it in strict mode: a value of
 * the wrong type is refused with Go's message (`json: cannot unmarshal string into Go struct field
 * ServiceSpec.spec.ports of type []v1.ServicePort`), integers must fit their type, null means "not set" (and a null
 * list item is a zero-valued one), and a field the struct does not have is an unknown field. What comes out has the
 * types the model declares, so defaulting and validation can trust them.
 */
const SCHEMAS: Record<SimulatedKind, GoStruct> = {
  Namespace: NAMESPACE, Node: NODE, Pod: POD, Deployment: DEPLOYMENT, ReplicaSet: REPLICA_SET, Service: SERVICE,
  EndpointSlice: ENDPOINT_SLICE, Endpoints: ENDPOINTS,
}

/** A kind the simulation does not model: its metadata is decoded, the rest kept as sent. */
const OPEN = kindSchema('unstructured.Unstructured', OBJECT_META, {})

/** Why an object cannot be decoded: the field path (for the editor) and Go's message. */
export interface DecodeError {
  readonly path: string
  readonly message: string
}

export type DecodeResult = { readonly ok: true; readonly object: Record<string, unknown> } | { readonly ok: false; readonly error: DecodeError }

const INT32 = 2 ** 31
const INT64 = 2 ** 63
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/
const QUANTITY_SUFFIX = /^(|[numkMGTPE]|[KMGTPE]i|[eE][+-]?\d+)$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** How encoding/json names a JSON value in a type error. */
function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'boolean') return 'bool'
  return typeof v === 'object' ? 'object' : typeof v
}

/** The struct's name without its package, as Go's errors print it. */
const structName = (t: GoStruct) => t.go.slice(t.go.indexOf('.') + 1)

/** The value Go leaves in a list item or map value that was null. */
function zero(t: GoType): unknown {
  switch (t.t) {
    case 'string': return ''
    case 'bool': return false
    case 'int32': case 'int64': case 'float64': case 'intOrString': return 0
    case 'quantity': return '0'
    case 'list': return []
    case 'map': case 'object': return {}
    case 'struct': return t.always ? copyJson(t.always) : {}
    default: return null
  }
}

/** A deep copy of plain JSON data: what the API server stores is its own, not the caller's object. */
function copyJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(copyJson)
  if (!isMapping(v)) return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v)) setField(out, k, copyJson(v[k]))
  return out
}

/** Sets a field, even one named `__proto__`, as an own property. */
function setField(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
  else obj[key] = value
}

class Decoder {
  error: DecodeError | undefined
  readonly unknown: string[] = []

  /**
   * `path` is the field path with indices (for strict errors and the editor), `fields` the dotted path Go's decoder
   * keeps (no indices or map keys), `owner` the innermost struct's name.
   */
  decode(v: unknown, t: GoType, path: string, fields: string, owner: string): unknown {
    switch (t.t) {
      case 'struct':
        return this.struct(v, t, path, fields, owner)
      case 'list': {
        if (!Array.isArray(v)) return this.mismatch(v, t, path, fields, owner)
        const out: unknown[] = []
        for (let i = 0; i < v.length && !this.error; i++) {
          const item = v[i]
          out.push(item === null || item === undefined ? zero(t.of) : this.decode(item, t.of, `${path}[${i}]`, fields, owner))
        }
        return out
      }
      case 'map': {
        if (!isMapping(v)) return this.mismatch(v, t, path, fields, owner)
        const out: Record<string, unknown> = {}
        for (const k of Object.keys(v)) {
          const item = v[k]
          if (item === undefined) continue
          setField(out, k, item === null ? zero(t.of) : this.decode(item, t.of, `${path}[${k}]`, fields, owner))
          if (this.error) break
        }
        return out
      }
      case 'object':
        return isMapping(v) ? copyJson(v) : this.mismatch(v, t, path, fields, owner)
      case 'any':
        return copyJson(v)
      default:
        return this.scalar(v, t, path, fields, owner)
    }
  }

  private struct(v: unknown, t: GoStruct, path: string, fields: string, owner: string): unknown {
    if (!isMapping(v)) return this.mismatch(v, t, path, fields, owner)
    const out: Record<string, unknown> = {}
    const name = structName(t)
    const open = t === OPEN
    for (const k of Object.keys(v)) {
      const item = v[k]
      const child = path ? `${path}.${k}` : k
      const field = t.fields[k] ?? (open ? anyValue : undefined)
      if (!field) {
        this.unknown.push(child)
        continue
      }
      // null is "not set": a pointer stays nil, a value keeps its zero.
      if (item === null || item === undefined) continue
      const decoded = this.decode(item, field, child, fields ? `${fields}.${k}` : k, name)
      if (this.error) return undefined
      setField(out, k, decoded)
    }
    if (t.always) for (const k of Object.keys(t.always)) if (!(k in out)) out[k] = copyJson(t.always[k])
    return out
  }

  private scalar(v: unknown, t: GoScalar, path: string, fields: string, owner: string): unknown {
    switch (t.t) {
      case 'string':
        return typeof v === 'string' ? v : this.mismatch(v, t, path, fields, owner)
      case 'bool':
        return typeof v === 'boolean' ? v : this.mismatch(v, t, path, fields, owner)
      case 'float64':
        return typeof v === 'number' ? v : this.mismatch(v, t, path, fields, owner)
      case 'int32':
      case 'int64':
        return this.integer(v, t.t === 'int32' ? INT32 : INT64, t.go, path, fields, owner)
      case 'intOrString':
        // IntOrString's own UnmarshalJSON: a JSON string is the string form, anything else must be an int32.
        return typeof v === 'string' ? v : this.integer(v, INT32, 'int32', path, fields, owner)
      case 'quantity': {
        // resource.Quantity parses the raw text of any JSON value, quoted or not.
        const text = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : typeof v === 'boolean' ? String(v) : JSON.stringify(v)
        const m = QUANTITY.exec(text)
        if (!m) return this.fail(path, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
        if (!QUANTITY_SUFFIX.test(m[2]!) || !/^[+-]?(\d+\.?\d*|\.\d+)$/.test(m[1]!)) return this.fail(path, "unable to parse quantity's suffix")
        return v
      }
      case 'time': {
        if (typeof v !== 'string') return this.mismatch(v, string, path, fields, owner)
        if (!RFC3339.test(v)) return this.fail(path, `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`)
        return v
      }
    }
  }

  private integer(v: unknown, bound: number, go: string, path: string, fields: string, owner: string): unknown {
    if (typeof v !== 'number') return this.mismatch(v, { t: 'int32', go }, path, fields, owner)
    if (!Number.isInteger(v) || v < -bound || v >= bound) return this.typeError(`number ${String(v)}`, go, path, fields, owner)
    return v
  }

  private mismatch(v: unknown, t: GoType, path: string, fields: string, owner: string): undefined {
    return this.typeError(jsonKind(v), t.go, path, fields, owner)
  }

  private typeError(value: string, type: string, path: string, fields: string, owner: string): undefined {
    const into = fields ? `Go struct field ${owner}.${fields}` : 'Go value'
    return this.fail(path, `json: cannot unmarshal ${value} into ${into} of type ${type}`)
  }

  private fail(path: string, message: string): undefined {
    this.error ??= { path, message }
    return undefined
  }
}

/**
 * Decodes one object of `kind` (already known to be a mapping within the request limits). A type error wins over
 * unknown fields, which are all reported together, as the API server does.
 */
export function decodeObject(kind: string, raw: Record<string, unknown>): DecodeResult {
  const schema = isSimulatedKind(kind) ? SCHEMAS[kind] : OPEN
  const d = new Decoder()
  const object = d.decode(raw, schema, '', '', structName(schema)) as Record<string, unknown> | undefined
  if (d.error) return { ok: false, error: d.error }
  if (d.unknown.length) return { ok: false, error: { path: d.unknown[0]!, message: `strict decoding error: ${d.unknown.map((u) => `unknown field "${u}"`).join(', ')}` } }
  return { ok: true, object: object! }
}
