import type { Hop } from '../model/packet'

/** A journey as text, one hop a line: what a golden trace file holds. */
export function traceText(hops: readonly Hop[]): string {
  return hops
    .map((h) => {
      const moved = h.before.src !== h.after.src || h.before.dst !== h.after.dst ? `  =>  ${h.after.src} -> ${h.after.dst}` : ''
      const lines = [`[${h.phase}] ${h.step} @ ${h.at}: ${h.before.proto} ${h.before.src} -> ${h.before.dst}${moved}`, `    ${h.note}`]
      if (h.chain) lines.push(`    chain: ${h.chain}`)
      if (h.rule) lines.push(`    rule: ${h.rule}`)
      if (h.rulesEvaluated !== undefined) lines.push(`    rules evaluated: ${h.rulesEvaluated}`)
      for (const d of h.draws ?? []) lines.push(`    draw ${d.value.toFixed(4)} against ${d.probability} -> ${d.matched ? 'taken' : 'next'}`)
      return lines.join('\n')
    })
    .join('\n')
}
