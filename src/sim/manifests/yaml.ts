import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, stringify, type Document, type Node as YamlNode, type Pair } from 'yaml'
import { MAX_DEPTH } from '../admission/requestLimits'

/** One document of a manifest, with what is needed to point an error at its line. */
export interface ParsedDocument {
  readonly object: unknown
  /** 1-based line where the document starts. */
  readonly line: number
  /** 1-based line of the value at a field path such as "spec.ports[0].port", when that YAML document holds it. */
  lineOf(path: string): number | undefined
}

export type ParseResult = { ok: true; documents: ParsedDocument[] } | { ok: false; message: string; line: number }

/** "spec.ports[0].port" -> ["spec", "ports", 0, "port"]. Keys containing dots (labels) are not split inside [..]. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\[([^\]]+)\]/g)) {
    if (m[1] !== undefined) out.push(m[1])
    else if (m[2] !== undefined) out.push(Number(m[2]))
    else if (m[3] !== undefined) out.push(m[3])
  }
  return out
}

const yamlError = (message: string, line = 1): ParseResult => ({ ok: false, message: `error converting YAML to JSON: yaml: ${message}`, line })

/**
 * Parses multi-document YAML. A syntax error reads as kubectl reports it
 * ("error converting YAML to JSON: yaml: line 5: ..."), with its line; empty documents are skipped. Aliases are
 * expanded as go-yaml (kubectl's parser) expands them, with its guard against alias bombs.
 */
export function parseManifest(text: string): ParseResult {
  const lineCounter = new LineCounter()
  let docs: Document.Parsed[]
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[]
  } catch (e) {
    return e instanceof RangeError ? yamlError(`exceeded max depth of ${MAX_DEPTH}`) : yamlError((e as Error).message)
  }
  if (!Array.isArray(docs)) docs = [docs as Document.Parsed]
  const documents: ParsedDocument[] = []
  for (const doc of docs) {
    const error = doc.errors[0]
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line
      // The parser gives up on very deep nesting with the engine's own stack error: that is a depth limit.
      if (error.message.startsWith('Maximum call stack size exceeded')) return yamlError(`exceeded max depth of ${MAX_DEPTH}`, line)
      const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
      return yamlError(`line ${line}: ${reason}`, line)
    }
    const start = doc.contents?.range?.[0] ?? 0
    const converted = toJson(doc)
    if (typeof converted === 'string') return yamlError(converted, lineCounter.linePos(start).line)
    if (converted.value === null || converted.value === undefined) continue
    documents.push({
      object: converted.value,
      line: lineCounter.linePos(start).line,
      lineOf(path) {
        const parts = splitPath(path)
        for (let n = parts.length; n > 0; n--) {
          const node = doc.getIn(parts.slice(0, n), true) as { range?: [number, number, number] } | undefined
          if (node?.range) return lineCounter.linePos(node.range[0]).line
        }
        return undefined
      },
    })
  }
  return { ok: true, documents }
}

/** go-yaml's allowedAliasRatio: 99% of decoded nodes may come from aliases in small documents, 10% in huge ones. */
function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000
  const high = 4_000_000
  if (decodeCount <= low) return 0.99
  if (decodeCount >= high) return 0.1
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low))
}

type Collection = Exclude<YamlNode, { source: string }>

/**
 * A document as JSON data, or go-yaml's reason it is not: an unknown or self-containing anchor, excessive aliasing, a
 * map key that is not a scalar, nesting deeper than the simulator's limit. Two passes: a walk that expands aliases as
 * go-yaml's decoder does, counting (iterative, so depth cannot overflow the stack, and stopped as soon as the aliases
 * do most of the work); then the conversion, whose depth the walk has bounded.
 */
function toJson(doc: Document.Parsed): { value: unknown } | string {
  // Each alias refers to the last anchor of its name before it: one scan in document order (iterative, as the
  // parser accepts nesting deeper than a recursive walk could follow).
  const anchors = new Map<string, YamlNode>()
  const targets = new Map<YamlNode, YamlNode>()
  let missing: string | undefined
  const scan: unknown[] = [doc.contents]
  while (scan.length > 0) {
    const node = scan.pop()
    if (isPair(node)) {
      scan.push(node.value, node.key)
      continue
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source)
      if (target) targets.set(node, target)
      else missing ??= node.source
      continue
    }
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue
    if (node.anchor) anchors.set(node.anchor, node)
    if (isMap(node) || isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) scan.push(node.items[i])
  }
  if (missing !== undefined) return `unknown anchor '${missing}' referenced`
  const root = doc.contents as YamlNode | null
  if (!root) return { value: null }
  let decodeCount = 1
  let aliasCount = 0
  let aliasDepth = 0
  const expanding = new Set<YamlNode>()
  const work: ({ node: YamlNode | null; depth: number } | { leave: YamlNode })[] = [{ node: root, depth: 0 }]
  while (work.length > 0) {
    const w = work.pop()!
    if ('leave' in w) {
      aliasDepth--
      expanding.delete(w.leave)
      continue
    }
    decodeCount++
    if (aliasDepth > 0) aliasCount++
    if (aliasCount > 100 && decodeCount > 1000 && aliasCount / decodeCount > allowedAliasRatio(decodeCount)) return 'document contains excessive aliasing'
    const node = w.node
    if (!node) continue
    if (isAlias(node)) {
      if (expanding.has(node)) return `anchor '${node.source}' value contains itself`
      expanding.add(node)
      aliasDepth++
      work.push({ leave: node }, { node: targets.get(node)!, depth: w.depth })
    } else if (isMap(node) || isSeq(node)) {
      if (w.depth >= MAX_DEPTH) return `exceeded max depth of ${MAX_DEPTH}`
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i] as Pair<YamlNode | null, YamlNode | null> | YamlNode | null
        if (isMap(node)) {
          const pair = item as Pair<YamlNode | null, YamlNode | null>
          work.push({ node: pair.value, depth: w.depth + 1 }, { node: pair.key, depth: w.depth + 1 })
        } else work.push({ node: item as YamlNode | null, depth: w.depth + 1 })
      }
    }
  }
  const built = new Map<YamlNode, unknown>()
  let problem: string | undefined
  const build = (node: YamlNode | null): unknown => {
    if (!node || problem) return null
    if (isAlias(node)) node = targets.get(node)!
    if (built.has(node)) return built.get(node)
    let value: unknown
    if (isScalar(node)) value = node.value
    else if (isSeq(node)) value = node.items.map((item) => build(item as YamlNode | null))
    else if (isMap(node)) value = buildMap(node as Collection & { items: Pair<YamlNode | null, YamlNode | null>[] })
    if (node.anchor) built.set(node, value)
    return value
  }
  const buildMap = (node: { items: Pair<YamlNode | null, YamlNode | null>[] }): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    const merged: unknown[] = []
    for (const pair of node.items) {
      const keyNode = pair.key
      // `<<: *base` merges another mapping's keys (go-yaml keeps YAML 1.1's merge key); explicit keys win.
      if (isScalar(keyNode) && keyNode.value === '<<' && keyNode.type === 'PLAIN') {
        const v = build(pair.value)
        merged.push(...(Array.isArray(v) ? v : [v]))
        continue
      }
      const key = keyNode === null ? null : build(keyNode)
      if (key !== null && typeof key === 'object') {
        problem ??= `invalid map key: ${goInterface(key)}`
        return out
      }
      const name = String(key)
      const value = build(pair.value)
      if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true })
      else out[name] = value
    }
    for (const m of merged) {
      if (typeof m !== 'object' || m === null || Array.isArray(m)) {
        problem ??= 'map merge requires map or sequence of maps as the value'
        break
      }
      for (const [k, v] of Object.entries(m)) if (!Object.prototype.hasOwnProperty.call(out, k)) out[k] = v
    }
    return out
  }
  const value = build(root)
  return problem ?? { value }
}

/** A decoded YAML value as Go's %#v prints an interface{} holding it (go-yaml's map key error). */
function goInterface(v: unknown): string {
  if (Array.isArray(v)) return `[]interface {}{${v.map(goInterface).join(', ')}}`
  if (v !== null && typeof v === 'object') return `map[interface {}]interface {}{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}:${goInterface(x)}`).join(', ')}}`
  return v === null ? 'interface {}(nil)' : typeof v === 'string' ? JSON.stringify(v) : String(v)
}

/** `kubectl get -o yaml`: keys sorted, sequences not indented under their key, strings that look like other types quoted. */
export function toYaml(obj: unknown): string {
  // The engine shares unchanged objects between records (a selector's labels and its template's): kubectl prints each in
  // full, never as a YAML anchor and alias.
  return stringify(obj, { sortMapEntries: true, indentSeq: false, version: '1.1', singleQuote: false, lineWidth: 0, aliasDuplicateObjects: false })
}
