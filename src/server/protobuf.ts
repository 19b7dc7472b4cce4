import { PROTOBUF_MESSAGES } from './protobufSchema'

/** `Content-Type: application/vnd.kubernetes.protobuf`: what kubectl's typed clients send (create deployment, expose, run). */
export const PROTOBUF = 'application/vnd.kubernetes.protobuf'

type Field = { readonly name: string; readonly repeated: boolean; readonly map: boolean; readonly type: string }
const schemas = new Map<string, Map<number, Field>>()

function schemaOf(message: string): Map<number, Field> | undefined {
  let fields = schemas.get(message)
  if (fields) return fields
  const text = PROTOBUF_MESSAGES[message]
  if (text === undefined) return undefined
  fields = new Map()
  for (const f of text.split(' ')) {
    const m = /^(\w+)=(\d+):(\*)?(M)?(.+)$/.exec(f)!
    fields.set(Number(m[2]), { name: m[1]!, repeated: m[3] === '*', map: m[4] === 'M', type: m[5]! })
  }
  schemas.set(message, fields)
  return fields
}

// The API groups' packages, as the schema names them.
const PACKAGES: Readonly<Record<string, string>> = {
  v1: 'core', 'apps/v1': 'apps', 'batch/v1': 'batch', 'networking.k8s.io/v1': 'networking', 'policy/v1': 'policy', 'rbac.authorization.k8s.io/v1': 'rbac',
  'scheduling.k8s.io/v1': 'scheduling', 'autoscaling/v1': 'autoscaling', 'autoscaling/v2': 'autoscalingv2', 'meta.k8s.io/v1': 'meta',
}

// Go's encoding/json leaves a zero scalar out (omitempty); protobuf writes one all the same. These zeros mean something.
const KEEP_ZERO = new Set(['replicas', 'parallelism', 'completions', 'backoffLimit', 'terminationGracePeriodSeconds', 'automountServiceAccountToken', 'enableServiceLinks', 'suspend', 'value'])

class Reader {
  pos = 0
  constructor(readonly buf: Buffer, readonly end = buf.length) {}

  varint(): bigint {
    let result = 0n
    for (let shift = 0n; ; shift += 7n) {
      if (this.pos >= this.end) throw new Error('truncated varint')
      const b = this.buf[this.pos++]!
      result |= BigInt(b & 0x7f) << shift
      if (b < 0x80) return result
    }
  }

  bytes(): Buffer {
    const n = Number(this.varint())
    if (this.pos + n > this.end) throw new Error('truncated field')
    const out = this.buf.subarray(this.pos, this.pos + n)
    this.pos += n
    return out
  }

  skip(wire: number): void {
    if (wire === 0) this.varint()
    else if (wire === 1) this.pos += 8
    else if (wire === 2) this.bytes()
    else if (wire === 5) this.pos += 4
    else throw new Error(`unsupported wire type ${wire}`)
  }
}

/** A varint as a signed 64-bit integer (negative int32s are sign-extended to ten bytes). */
const signed = (v: bigint) => Number(BigInt.asIntN(64, v))

function scalar(r: Reader, type: string): unknown {
  switch (type) {
    case 's':
      return r.bytes().toString('utf8')
    case 'y':
      return r.bytes().toString('base64')
    case 'b':
      return r.varint() !== 0n
    case 'i':
      return signed(r.varint())
    case 'd': {
      const v = r.buf.readDoubleLE(r.pos)
      r.pos += 8
      return v
    }
    case 'f': {
      const v = r.buf.readFloatLE(r.pos)
      r.pos += 4
      return v
    }
  }
  return message(sub(r), type)
}

/** A length-delimited field's bytes, to read as a message of their own. */
const sub = (r: Reader) => new Reader(r.bytes())

/** The messages with their own JSON form: times as RFC 3339, quantities as text, int-or-string as either. */
function special(r: Reader, type: string): unknown {
  const fields = new Map<number, unknown>()
  while (r.pos < r.end) {
    const key = Number(r.varint())
    const [num, wire] = [key >> 3, key & 7]
    fields.set(num, wire === 0 ? signed(r.varint()) : wire === 2 ? r.bytes() : (r.skip(wire), undefined))
  }
  const text = (n: number) => (fields.get(n) as Buffer | undefined)?.toString('utf8')
  switch (type) {
    case 'meta.Time':
    case 'meta.MicroTime': {
      const seconds = (fields.get(1) as number | undefined) ?? 0
      const nanos = (fields.get(2) as number | undefined) ?? 0
      if (seconds === 0 && nanos === 0) return undefined
      const iso = new Date(seconds * 1000).toISOString().replace('.000Z', '')
      return type === 'meta.Time' ? `${iso}Z` : `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`
    }
    case 'resource.Quantity':
      return text(1) ?? '0'
    case 'intstr.IntOrString':
      return fields.get(1) === 1 ? (text(3) ?? '') : ((fields.get(2) as number | undefined) ?? 0)
    case 'meta.Duration':
      return `${((fields.get(1) as number | undefined) ?? 0) / 1e9}s`
    case 'meta.FieldsV1':
    case 'runtime.RawExtension': {
      const raw = text(1)
      try {
        return raw ? JSON.parse(raw) : undefined
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** One message as the object encoding/json would have made of it. */
function message(r: Reader, type: string): unknown {
  const fields = schemaOf(type)
  if (!fields) return special(r, type)
  const out: Record<string, unknown> = {}
  while (r.pos < r.end) {
    const key = Number(r.varint())
    const [num, wire] = [key >> 3, key & 7]
    const f = fields.get(num)
    if (!f) {
      r.skip(wire)
      continue
    }
    if (f.map) {
      // A map entry is a message of key = 1, value = 2.
      const entry = sub(r)
      let k = ''
      let v: unknown
      while (entry.pos < entry.end) {
        const ek = Number(entry.varint())
        if (ek >> 3 === 1) k = entry.bytes().toString('utf8')
        else if (ek >> 3 === 2) v = scalar(entry, f.type)
        else entry.skip(ek & 7)
      }
      const map = (out[f.name] ??= {}) as Record<string, unknown>
      map[k] = v ?? (f.type === 's' ? '' : v)
      continue
    }
    if (f.repeated && wire === 2 && (f.type === 'i' || f.type === 'b')) {
      // A packed list of numbers.
      const packed = sub(r)
      const list = (out[f.name] ??= []) as unknown[]
      while (packed.pos < packed.end) list.push(scalar(packed, f.type))
      continue
    }
    const value = scalar(r, f.type)
    if (f.repeated) ((out[f.name] ??= []) as unknown[]).push(value)
    else if (value !== undefined && (KEEP_ZERO.has(f.name) || (value !== '' && value !== 0 && value !== false))) out[f.name] = value
  }
  return out
}

/**
 * Decodes a body in the Kubernetes protobuf envelope (`k8s\0`, then runtime.Unknown: the TypeMeta and the object's own
 * bytes) into the JSON object the same request would have carried, for the kinds in PROTOBUF_MESSAGES.
 */
export function decodeProtobuf(body: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  if (body.length < 4 || body.toString('latin1', 0, 4) !== 'k8s\u0000') return { ok: false, error: 'protobuf body without the k8s envelope' }
  try {
    const unknown = message(new Reader(body.subarray(4)), 'runtime.Unknown') as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: string }
    const apiVersion = unknown.typeMeta?.apiVersion ?? ''
    const kind = unknown.typeMeta?.kind ?? ''
    const type = `${PACKAGES[apiVersion] ?? '?'}.${kind}`
    if (!schemaOf(type)) return { ok: false, error: `no protobuf decoding for ${apiVersion} ${kind}: send it as JSON` }
    const object = message(new Reader(Buffer.from(unknown.raw ?? '', 'base64')), type) as Record<string, unknown>
    return { ok: true, value: { apiVersion, kind, ...object } }
  } catch (e) {
    return { ok: false, error: `protobuf body could not be decoded: ${e instanceof Error ? e.message : String(e)}` }
  }
}
