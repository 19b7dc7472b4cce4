import { deepEqual } from '../sim/model/meta'

/** A patch's outcome: the patched document, or why it does not apply (the API server answers 422). */
export type PatchResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string }

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/**
 * The merge keys of the lists strategic merge patch merges element by element (the `patchMergeKey` tags of
 * k8s.io/api). `path` is the field names above the list: ports merge by containerPort in a container, by port in a
 * Service's spec, and are replaced whole elsewhere (an EndpointSlice's). Lists not named here are replaced.
 */
function mergeKeyOf(path: readonly string[], field: string): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'resourceClaims':
    case 'schedulingGates':
      return 'name'
    case 'volumeMounts':
      return 'mountPath'
    case 'volumeDevices':
      return 'devicePath'
    case 'hostAliases':
      return 'ip'
    case 'conditions':
      return 'type'
    case 'ownerReferences':
      return 'uid'
    case 'topologySpreadConstraints':
      return 'topologyKey'
    case 'ports':
      if (path.some((p) => p === 'containers' || p === 'initContainers' || p === 'ephemeralContainers')) return 'containerPort'
      return path.length === 1 && path[0] === 'spec' ? 'port' : undefined
  }
  return undefined
}

/** Lists of strings merged as sets (`patchStrategy:"merge"` without a key). */
const PRIMITIVE_MERGE_LISTS = new Set(['finalizers'])

/** The patch's own directives removed from a value it puts in place whole ($patch, $setElementOrder/..., $retainKeys). */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((e) => !(isObj(e) && e['$patch'] !== undefined && Object.keys(e).length === 1)).map(strip)
  if (!isObj(v)) return v
  const out: Obj = {}
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = strip(x)
  return out
}

function mergeList(original: unknown, patch: unknown[], key: string, path: readonly string[]): unknown[] {
  if (patch.some((e) => isObj(e) && e['$patch'] === 'replace')) return strip(patch) as unknown[]
  const out = Array.isArray(original) ? [...original] : []
  for (const el of patch) {
    if (!isObj(el) || el[key] === undefined) {
      out.push(strip(el))
      continue
    }
    const i = out.findIndex((o) => isObj(o) && deepEqual(o[key], el[key]))
    if (el['$patch'] === 'delete') {
      if (i >= 0) out.splice(i, 1)
      continue
    }
    if (i >= 0) out[i] = mergeMap(out[i], el, path)
    else out.push(strip(el))
  }
  return out
}

/** Puts the list's elements in the order `$setElementOrder/<field>` gives (by merge key); the others keep theirs, after. */
function reorder(list: unknown, order: unknown, key: string | undefined): unknown {
  if (!Array.isArray(list) || !Array.isArray(order)) return list
  const keyOf = (e: unknown) => (key && isObj(e) ? e[key] : e)
  const rank = (e: unknown) => {
    const i = order.findIndex((o) => deepEqual(keyOf(o), keyOf(e)))
    return i < 0 ? order.length : i
  }
  return list.map((e, i) => ({ e, i, r: rank(e) })).sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.e)
}

/** One map of a strategic merge patch onto the original; undefined when the patch says `$patch: delete`. */
function mergeMap(original: unknown, patch: unknown, path: readonly string[]): unknown {
  if (!isObj(patch)) return patch
  if (patch['$patch'] === 'delete') return undefined
  if (patch['$patch'] === 'replace') return strip(patch)
  const out: Obj = isObj(original) ? { ...original } : {}
  const orders: [string, unknown][] = []
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue
    if (k.startsWith('$setElementOrder/')) {
      orders.push([k.slice('$setElementOrder/'.length), v])
      continue
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length)
      if (Array.isArray(out[field]) && Array.isArray(v)) out[field] = (out[field] as unknown[]).filter((x) => !v.includes(x))
      continue
    }
    if (v === null) {
      delete out[k]
      continue
    }
    const key = mergeKeyOf(path, k)
    if (Array.isArray(v)) {
      if (key) out[k] = mergeList(out[k], v, key, [...path, k])
      else if (PRIMITIVE_MERGE_LISTS.has(k)) out[k] = [...new Set([...(Array.isArray(out[k]) ? (out[k] as unknown[]) : []), ...v])]
      else out[k] = strip(v)
      continue
    }
    const merged = mergeMap(out[k], v, [...path, k])
    if (merged === undefined) delete out[k]
    else out[k] = merged
  }
  for (const [field, order] of orders) if (out[field] !== undefined) out[field] = reorder(out[field], order, mergeKeyOf(path, field))
  const retain = patch['$retainKeys']
  if (Array.isArray(retain)) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k]
  return out
}

/**
 * A strategic merge patch (what kubectl apply, label, annotate and edit send for built-in kinds): maps merge, `null`
 * removes, the lists k8s.io/api tags with a merge key merge element by element (containers by name, ports by
 * containerPort or port, env, volumes, volumeMounts, ...), other lists are replaced; `$patch: delete|replace`,
 * `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` are honoured.
 */
export function strategicMergePatch(original: unknown, patch: unknown): PatchResult {
  if (!isObj(patch)) return { ok: false, error: 'strategic merge patch must be a JSON object' }
  return { ok: true, value: mergeMap(original, patch, []) ?? {} }
}

/** RFC 6901 JSON pointer -> its reference tokens. */
function pointer(p: unknown): string[] | undefined {
  if (typeof p !== 'string' || (p !== '' && !p.startsWith('/'))) return undefined
  return p === '' ? [] : p.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** RFC 6902 JSON patch: add, remove, replace, move, copy and test, in order; all or nothing. */
export function jsonPatch(doc: unknown, ops: unknown): PatchResult {
  if (!Array.isArray(ops)) return { ok: false, error: 'json patch must be a JSON array of operations' }
  let root: unknown = structuredClone(doc)
  const parentOf = (tokens: string[]): { parent: unknown; last: string } | undefined => {
    let cur = root
    for (const t of tokens.slice(0, -1)) {
      cur = Array.isArray(cur) ? cur[Number(t)] : isObj(cur) ? cur[t] : undefined
      if (cur === undefined) return undefined
    }
    return { parent: cur, last: tokens[tokens.length - 1]! }
  }
  const read = (tokens: string[]): unknown => tokens.reduce<unknown>((cur, t) => (Array.isArray(cur) ? cur[Number(t)] : isObj(cur) ? cur[t] : undefined), root)
  const put = (tokens: string[], value: unknown, insert: boolean): boolean => {
    if (tokens.length === 0) return ((root = value), true)
    const at = parentOf(tokens)
    if (!at) return false
    if (Array.isArray(at.parent)) {
      const i = at.last === '-' ? at.parent.length : Number(at.last)
      if (!Number.isInteger(i) || i < 0 || i > at.parent.length - (insert ? 0 : 1)) return false
      at.parent.splice(i, insert ? 0 : 1, value)
      return true
    }
    if (!isObj(at.parent) || (!insert && !(at.last in at.parent))) return false
    at.parent[at.last] = value
    return true
  }
  const remove = (tokens: string[]): boolean => {
    const at = tokens.length ? parentOf(tokens) : undefined
    if (!at) return false
    if (Array.isArray(at.parent)) {
      const i = Number(at.last)
      if (!Number.isInteger(i) || i < 0 || i >= at.parent.length) return false
      at.parent.splice(i, 1)
      return true
    }
    if (!isObj(at.parent) || !(at.last in at.parent)) return false
    delete at.parent[at.last]
    return true
  }
  for (const op of ops) {
    if (!isObj(op)) return { ok: false, error: 'json patch operation must be an object' }
    const path = pointer(op['path'])
    if (!path) return { ok: false, error: `invalid path ${JSON.stringify(op['path'])}` }
    const from = pointer(op['from'])
    let done: boolean
    switch (op['op']) {
      case 'add':
        done = put(path, structuredClone(op['value']), true)
        break
      case 'replace':
        done = put(path, structuredClone(op['value']), false)
        break
      case 'remove':
        done = remove(path)
        break
      case 'move':
      case 'copy': {
        const value = from ? read(from) : undefined
        done = value !== undefined && (op['op'] === 'copy' || remove(from!)) && put(path, structuredClone(value), true)
        break
      }
      case 'test':
        if (!deepEqual(read(path), op['value'])) return { ok: false, error: `testing value ${op['path']} failed` }
        done = true
        break
      default:
        return { ok: false, error: `Unexpected kind: ${String(op['op'])}` }
    }
    if (!done) return { ok: false, error: `doc is missing path: "${op['path']}": missing value` }
  }
  return { ok: true, value: root }
}

/** The JSON merge patch that turns `from` into `to` (RFC 7386's inverse): removed keys as null, changed values whole. */
export function mergePatchBetween(from: unknown, to: unknown): unknown {
  if (!isObj(from) || !isObj(to)) return to
  const out: Obj = {}
  for (const k of Object.keys(from)) if (!(k in to)) out[k] = null
  for (const [k, v] of Object.entries(to)) {
    if (!(k in from)) out[k] = v
    else if (!deepEqual(from[k], v)) out[k] = mergePatchBetween(from[k], v)
  }
  return out
}
