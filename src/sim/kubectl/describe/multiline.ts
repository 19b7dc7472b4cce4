import type { Taint } from '../../model/node'
import type { Toleration } from '../../model/pod'
import { LEVEL_0, type PrefixWriter } from './prefixWriter'

/** Go's sort.Strings order: by UTF-8 bytes, which for these keys is plain code-unit order. */
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * printLabelsMultiline: "Title:\t<none>", or one "k=v" per line sorted by key, the later lines starting with a tab so
 * they stay in the title's column.
 */
export function printLabelsMultiline(w: PrefixWriter, title: string, labels: Readonly<Record<string, string>> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`)
  const keys = Object.keys(labels ?? {}).sort(byKey)
  if (keys.length === 0) {
    w.writeLine('<none>')
    return
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t')
    w.write(LEVEL_0, `${key}=${labels![key]}\n`)
  })
}

/** kubectl.kubernetes.io/last-applied-configuration: describe never shows it (skipAnnotations). */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'
const MAX_ANNOTATION_LEN = 140

/** Go's len(): UTF-8 bytes. */
const utf8 = new TextEncoder()
const byteLength = (s: string) => utf8.encode(s).length

/** shorten: the first `max` bytes and "..." (cut at a character here, where Go may cut one in two). */
const shorten = (s: string, max: number) => (byteLength(s) > max ? `${s.slice(0, max)}...` : s)

/**
 * printAnnotationsMultiline: "key: value" per line sorted by key; a value with a newline, or whose key and value pass
 * 140 characters, goes under its key one line at a time, each cut at 138 characters.
 */
export function printAnnotationsMultiline(w: PrefixWriter, title: string, annotations: Readonly<Record<string, string>> | undefined): void {
  w.write(LEVEL_0, `${title}:\t`)
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort(byKey)
  if (keys.length === 0) {
    w.writeLine('<none>')
    return
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t')
    const value = annotations![key]!.replace(/\n$/, '')
    if (byteLength(value) + byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`)
      for (const s of value.split('\n')) w.write(LEVEL_0, `\t  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`)
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`)
    }
  })
}

/** v1.Taint.ToString: "key=value:Effect", or "key:Effect" without a value. */
const taintText = (t: Taint) => (t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`)

/** printTaintsMultilineWithIndent: sorted by "effect,key", one per line. */
export function printTaintsMultiline(w: PrefixWriter, title: string, taints: readonly Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`)
  if (!taints?.length) {
    w.writeLine('<none>')
    return
  }
  const sorted = [...taints].sort((a, b) => byKey(`${a.effect},${a.key}`, `${b.effect},${b.key}`))
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t')
    w.write(LEVEL_0, `${taintText(t)}\n`)
  })
}

/**
 * printTolerationsMultiline: sorted by key; "key=value:Effect", " op=Exists" for Exists without a value
 * (just "op=Exists" for the toleration of everything), " for Ns" with tolerationSeconds.
 */
export function printTolerationsMultiline(w: PrefixWriter, title: string, tolerations: readonly Toleration[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`)
  if (!tolerations?.length) {
    w.writeLine('<none>')
    return
  }
  // sort.Slice: insertion sort (so stable) for the handful a pod has.
  const sorted = [...tolerations].sort((a, b) => byKey(a.key ?? '', b.key ?? ''))
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t')
    let text = t.key ?? ''
    if (t.value) text += `=${t.value}`
    if (t.effect) text += `:${t.effect}`
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists'
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`
    w.write(LEVEL_0, `${text}\n`)
  })
}
