/** Chains kube-proxy writes per service port (and per endpoint): the ones a Service's rules lead through. */
const PER_SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-[A-Z0-9]+$/

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The chain a line declares (`:KUBE-SVC-X - [0:0]`) or appends to (`-A KUBE-SVC-X ...`). */
export const chainOfLine = (line: string) => (line.startsWith('-A ') ? line.split(' ', 2)[1]! : line.startsWith(':') ? line.slice(1).split(' ', 1)[0]! : undefined)

/** The chain a rule jumps or goes to. */
export const jumpOfLine = (line: string) => / -[jg] (\S+)/.exec(line)?.[1]

/**
 * The lines of an iptables-save (or restore) dump about Service `service` ("ns/name"): those whose comment names it
 * (any of its ports), and every line of the per-service chains they lead to (KUBE-EXT -> KUBE-SVC -> KUBE-SEP),
 * declared or appended.
 */
export function iptablesServiceLines(lines: readonly string[], service: string): Set<number> {
  // The comment is "ns/name", "ns/name:port", or either followed by a space and more words, quoted or not.
  const named = new RegExp(`--comment "?${escape(service)}(:[a-z0-9-]+)?(["\\s]|$)`)
  const chains = new Set<string>()
  const out = new Set<number>()
  lines.forEach((line, i) => {
    if (!named.test(line)) return
    out.add(i)
    for (const c of [chainOfLine(line), jumpOfLine(line)]) if (c && PER_SERVICE_CHAIN.test(c)) chains.add(c)
  })
  for (let grew = true; grew; ) {
    grew = false
    for (const line of lines) {
      const from = chainOfLine(line)
      const to = jumpOfLine(line)
      if (from && chains.has(from) && to && PER_SERVICE_CHAIN.test(to) && !chains.has(to)) {
        chains.add(to)
        grew = true
      }
    }
  }
  lines.forEach((line, i) => {
    const c = chainOfLine(line)
    if (c && chains.has(c)) out.add(i)
  })
  return out
}
