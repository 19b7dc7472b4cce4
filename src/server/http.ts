import type { IncomingMessage, ServerResponse } from 'node:http'
import type { StatusAnswer } from './status'

/** A handler's answer: a code and a JSON body (or text, for pods/log). */
export interface Answer {
  readonly code: number
  readonly body: unknown
  /** Set for text answers; JSON otherwise. */
  readonly contentType?: string
}

/** A JSON answer. */
export const json = (code: number, body: unknown): Answer => ({ code, body })

/** A Status answer as an Answer. */
export const status = (s: StatusAnswer): Answer => ({ code: s.code, body: s.body })

// Bodies beyond this are refused, as the API server refuses requests over 3 MiB.
const MAX_BODY = 3 * 1024 * 1024

/** The request's body, or undefined when it is too large. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Writes an answer; a body that is already JSON text (a list assembled from cached items) goes as it is. */
export function send(res: ServerResponse, answer: Answer): void {
  const text = answer.contentType ? String(answer.body) : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body)
  res.writeHead(answer.code, { 'Content-Type': answer.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' })
  res.end(text)
}

/** A request body as JSON, or the 400 the API server answers for one it cannot decode. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch (e) {
    return { ok: false, error: `json parse error: ${e instanceof Error ? e.message : String(e)}` }
  }
}
