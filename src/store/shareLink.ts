import { lessonById, type Lesson } from '../lessons'
import { fromBase64, parseSaved, scenarioDocument, toBase64 } from './persistence'
import type { Scenario } from './simulationStore'

/**
 * Share links: `#share=<data>` holds a whole scenario (its start, seed, workers, kube-proxy mode, actions and time), the lesson and
 * step shown and the view, as JSON deflated (CompressionStream, deflate-raw) and written in base64url. Opening one
 * replays it exactly; the user's own saved cluster is left alone until they choose to keep the shared one.
 */
export const SHARE_FORMAT = 'service-discovery-simulator/share'
export const SHARE_VERSION = 1
/** Longer links are refused when made (an exported file carries any cluster) and when opened. */
export const MAX_LINK_CHARS = 200_000
/** A link that inflates beyond this is refused as it is read (a deflate bomb), before any of it is parsed. */
const MAX_INFLATED_BYTES = 20 * 1024 * 1024

export interface ShareView {
  readonly presenter?: boolean
  readonly showSystem?: boolean
}

export interface Shared {
  readonly scenario: Scenario
  readonly lesson?: { readonly lesson: Lesson; readonly step: number }
  readonly view: ShareView
}

export type EncodeResult = { readonly ok: true; readonly hash: string } | { readonly ok: false; readonly reason: string }
export type DecodeResult = { readonly ok: true; readonly shared: Shared } | { readonly ok: false; readonly reason: string }

/** The `#share=...` part of a link for this scenario, or why it cannot be one. */
export async function encodeShare(scenario: Scenario, lesson: { readonly id: string; readonly step: number } | undefined, view: ShareView): Promise<EncodeResult> {
  const json = JSON.stringify({ format: SHARE_FORMAT, version: SHARE_VERSION, scenario: scenarioDocument(scenario), ...(lesson ? { lesson } : {}), view })
  const bytes = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'), Infinity)
  const hash = `#share=${toBase64Url(bytes!)}`
  if (hash.length > MAX_LINK_CHARS) return { ok: false, reason: `this cluster is too large for a link (${hash.length.toLocaleString('en-US')} characters; at most ${MAX_LINK_CHARS.toLocaleString('en-US')}): use Export to share it as a file` }
  return { ok: true, hash }
}

/** Reads a link's hash (`#share=...`): the scenario checked field by field, or the reason it cannot be used. */
export async function decodeShare(hash: string): Promise<DecodeResult> {
  const fail = (reason: string): DecodeResult => ({ ok: false, reason: `This share link cannot be opened: ${reason}. Nothing was changed.` })
  const data = hash.replace(/^#?share=/, '')
  if (data === '') return fail('it holds no data (it may have been cut short)')
  if (data.length > MAX_LINK_CHARS) return fail(`it is longer than a share link can be (${data.length.toLocaleString('en-US')} characters; at most ${MAX_LINK_CHARS.toLocaleString('en-US')})`)
  if (!/^[A-Za-z0-9_-]+$/.test(data)) return fail('it contains characters a share link never has (it may have been mangled when it was copied)')
  const bytes = fromBase64Url(data)
  if (!bytes) return fail('its data is not base64url (it may have been cut short)')
  let inflated: Uint8Array | undefined
  try {
    inflated = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_INFLATED_BYTES)
  } catch {
    return fail('its data is damaged or cut short (it does not decompress)')
  }
  if (!inflated) return fail(`it unpacks to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB, more than any scenario this simulator makes`)
  let doc: unknown
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated))
  } catch {
    return fail('its data is not a scenario (not valid JSON)')
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('its data is not a scenario')
  const d = doc as Record<string, unknown>
  if (d['format'] !== SHARE_FORMAT) return fail('it was not made by this simulator')
  if (typeof d['version'] === 'number' && d['version'] > SHARE_VERSION) return fail(`it was made by a newer version of the simulator (share format ${d['version']}; this one reads ${SHARE_VERSION})`)
  if (d['version'] !== SHARE_VERSION) return fail(`it is of a share format this simulator does not know (${JSON.stringify(d['version'])})`)
  const saved = parseSaved(JSON.stringify(d['scenario'] ?? null))
  if (saved.kind !== 'ok') return fail(saved.kind === 'none' ? 'it holds no scenario' : `its scenario is invalid: ${saved.reason}`)
  let lesson: Shared['lesson']
  if (d['lesson'] !== undefined) {
    const l = d['lesson'] as Record<string, unknown> | null
    const found = typeof l?.['id'] === 'string' ? lessonById(l['id']) : undefined
    if (!found) return fail(`lesson.id: there is no lesson ${JSON.stringify(l?.['id'])} in this simulator`)
    const step = l!['step']
    if (!Number.isInteger(step) || (step as number) < 0 || (step as number) > found.steps.length) return fail(`lesson.step: must be a whole number from 0 to ${found.steps.length}; it is ${JSON.stringify(step)}`)
    lesson = { lesson: found, step: step as number }
  }
  const v = d['view'] as Record<string, unknown> | undefined
  const view: ShareView = { presenter: v?.['presenter'] === true, showSystem: v?.['showSystem'] !== false }
  return { ok: true, shared: { scenario: saved.scenario, ...(lesson ? { lesson } : {}), view } }
}

/** Runs bytes through a (de)compression stream; undefined when the output grows past `limit` bytes. */
async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array | undefined> {
  const writer = stream.writable.getWriter()
  void writer.write(input as Uint8Array<ArrayBuffer>).catch(() => {})
  void writer.close().catch(() => {})
  const reader = stream.readable.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > limit) {
      void reader.cancel().catch(() => {})
      return undefined
    }
    chunks.push(value)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}

/** base64url (RFC 4648 §5), without padding: what a URL's fragment carries unescaped. */
const toBase64Url = (bytes: Uint8Array): string => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

function fromBase64Url(text: string): Uint8Array | undefined {
  try {
    return fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'))
  } catch {
    return undefined
  }
}
