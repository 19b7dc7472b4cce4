/**
 * What the API server refuses before it looks at a single field: a body over its size limit, an object etcd would not
 * store, and anything JSON cannot carry (a cycle, NaN, a function) or nests deeper than the simulator can print.
 * Checked once per object, in one pass over it, without recursion.
 */

/** The API server's request body limit (MaxRequestBodyBytes, k8s.io/apiserver). */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024
/** etcd's default --max-request-bytes: the largest object it stores. */
export const MAX_ETCD_BYTES = 1.5 * 1024 * 1024
/**
 * How deeply an object may nest. Go's decoders stop at 10,000 levels; the simulator stops at 100, because its YAML
 * printer and a browser's stack cannot go much deeper, and no Kubernetes object comes near.
 */
export const MAX_DEPTH = 100

/** Why a value cannot be sent as a request body. */
export type BodyProblem =
  | { readonly kind: 'unsupported'; readonly detail: string }
  | { readonly kind: 'depth' }
  | { readonly kind: 'size'; readonly limit: number }

const isPlainObject = (v: object) => {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/** JSON's length of a string, quotes and escapes included (UTF-16 units, close enough to bytes for a limit). */
function jsonStringBytes(s: string): number {
  let n = s.length + 2
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 34 || c === 92 || c < 32) n += c < 32 ? 5 : 1
  }
  return n
}

interface Frame {
  readonly value: object
  readonly keys: readonly string[] | undefined
  index: number
}

/**
 * The size of `value` as a JSON body, or why it cannot be one. Shared sub-objects (YAML aliases) are counted each time
 * they appear, as the JSON sent would repeat them; the walk stops as soon as the limit is passed, so it is bounded.
 */
export function measureBody(value: unknown, maxBytes = MAX_REQUEST_BYTES): { bytes: number } | BodyProblem {
  let bytes = 0
  const onPath = new Set<object>()
  const stack: Frame[] = []
  const visit = (v: unknown): BodyProblem | undefined => {
    switch (typeof v) {
      case 'string':
        bytes += jsonStringBytes(v)
        return undefined
      case 'number':
        if (!Number.isFinite(v)) return { kind: 'unsupported', detail: `unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}` }
        bytes += String(v).length
        return undefined
      case 'boolean':
        bytes += v ? 4 : 5
        return undefined
      case 'undefined':
        bytes += 4
        return undefined
      case 'object': {
        if (v === null) {
          bytes += 4
          return undefined
        }
        const array = Array.isArray(v)
        if (!array && !isPlainObject(v)) return { kind: 'unsupported', detail: `unsupported type: ${v.constructor?.name ?? 'object'}` }
        // JSON has no cycles: Go's encoder reports one this way.
        if (onPath.has(v)) return { kind: 'unsupported', detail: `unsupported value: encountered a cycle via ${array ? '[]interface {}' : 'map[string]interface {}'}` }
        if (stack.length >= MAX_DEPTH) return { kind: 'depth' }
        onPath.add(v)
        stack.push({ value: v, keys: array ? undefined : Object.keys(v), index: 0 })
        bytes += 2
        return undefined
      }
      default:
        return { kind: 'unsupported', detail: `unsupported type: ${typeof v === 'function' ? 'func()' : typeof v}` }
    }
  }
  const first = visit(value)
  if (first) return first
  while (stack.length > 0) {
    if (bytes > maxBytes) return { kind: 'size', limit: maxBytes }
    const top = stack[stack.length - 1]!
    if (top.keys) {
      if (top.index >= top.keys.length) {
        stack.pop()
        onPath.delete(top.value)
        continue
      }
      const key = top.keys[top.index++]!
      const child = (top.value as Record<string, unknown>)[key]
      if (child === undefined) continue
      // "key": and a comma before every member but the first.
      bytes += jsonStringBytes(key) + 1 + (top.index > 1 ? 1 : 0)
      const problem = visit(child)
      if (problem) return problem
    } else {
      const items = top.value as unknown[]
      if (top.index >= items.length) {
        stack.pop()
        onPath.delete(top.value)
        continue
      }
      if (top.index > 0) bytes += 1
      const problem = visit(items[top.index++])
      if (problem) return problem
    }
  }
  return bytes > maxBytes ? { kind: 'size', limit: maxBytes } : { bytes }
}
