import { LineCounter, parseAllDocuments, stringify, type Document } from 'yaml'

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

/**
 * Parses multi-document YAML. A syntax error reads as kubectl reports it
 * ("error converting YAML to JSON: yaml: line 5: ..."), with its line; empty documents are skipped.
 */
export function parseManifest(text: string): ParseResult {
  const lineCounter = new LineCounter()
  let docs: Document.Parsed[]
  try {
    docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true }) as Document.Parsed[]
  } catch (e) {
    return { ok: false, message: `error converting YAML to JSON: yaml: ${(e as Error).message}`, line: 1 }
  }
  if (!Array.isArray(docs)) docs = [docs as Document.Parsed]
  const documents: ParsedDocument[] = []
  for (const doc of docs) {
    const error = doc.errors[0]
    if (error) {
      const line = lineCounter.linePos(error.pos[0]).line
      const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
      return { ok: false, message: `error converting YAML to JSON: yaml: line ${line}: ${reason}`, line }
    }
    const object = doc.toJS({ maxAliasCount: 100 })
    if (object === null || object === undefined) continue
    const start = doc.contents?.range?.[0] ?? 0
    documents.push({
      object,
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

/** `kubectl get -o yaml`: keys sorted, sequences not indented under their key, strings that look like other types quoted. */
export function toYaml(obj: unknown): string {
  return stringify(obj, { sortMapEntries: true, indentSeq: false, version: '1.1', singleQuote: false, lineWidth: 0 })
}
