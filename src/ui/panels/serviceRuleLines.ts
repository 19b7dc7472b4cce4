/** Chains kube-proxy writes per Service port or endpoint (as opposed to its shared chains such as KUBE-SERVICES). */
const PER_SERVICE_CHAIN = /^KUBE-(SVC|SVL|EXT|FW|SEP)-[A-Z0-9]+$/

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The lines of an iptables-save text that belong to one Service ("namespace/name"): those whose comment names it (any
 * of its ports), plus every per-service chain they lead to, declared or appended, so that a Service with over 1000
 * endpoints (whose endpoint rules carry no comment) is still followed from KUBE-SERVICES to each KUBE-SEP.
 */
export function serviceRuleLines(lines: readonly string[], service: string): Set<number> {
  // The comment is "ns/name", "ns/name:port", or either followed by a space and more words, quoted or not.
  const named = new RegExp(`--comment "?${escape(service)}(:[a-z0-9-]+)?(["\\s]|$)`)
  const chainOf = (line: string) => (line.startsWith('-A ') ? line.split(' ', 2)[1]! : line.startsWith(':') ? line.slice(1).split(' ', 1)[0]! : undefined)
  const jumpOf = (line: string) => / -j (\S+)/.exec(line)?.[1]
  const chains = new Set<string>()
  const out = new Set<number>()
  lines.forEach((line, i) => {
    if (!named.test(line)) return
    out.add(i)
    for (const c of [chainOf(line), jumpOf(line)]) if (c && PER_SERVICE_CHAIN.test(c)) chains.add(c)
  })
  // Follow jumps between per-service chains (KUBE-EXT -> KUBE-SVC -> KUBE-SEP) until no new chain turns up.
  for (let grew = true; grew; ) {
    grew = false
    for (const line of lines) {
      const from = chainOf(line)
      const to = jumpOf(line)
      if (from && chains.has(from) && to && PER_SERVICE_CHAIN.test(to) && !chains.has(to)) {
        chains.add(to)
        grew = true
      }
    }
  }
  lines.forEach((line, i) => {
    const c = chainOf(line)
    if (c && chains.has(c)) out.add(i)
  })
  return out
}
