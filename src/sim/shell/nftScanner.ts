/**
 * nft's input as tokens, with the line and columns its error messages point at (`FILE:LINE:FIRST-LAST: Error: ...`
 * followed by the line and carets). The subset of nft's scanner that kube-proxy's transactions and nft's own listings
 * use: names may hold `-`, `/`, `.` and `_`; `@name` refers to a set; `#` starts a comment.
 */
export interface Token {
  readonly kind: 'word' | 'number' | 'quoted' | 'punct' | 'setref' | 'newline' | 'eof'
  readonly text: string
  readonly line: number
  /** 1-based, inclusive. */
  readonly col: number
  readonly end: number
}

/** Words nft's scanner turns into keywords: an error names them as themselves (`unexpected ip`), others as `string`. */
const KEYWORDS = new Set(
  ('add create insert delete destroy flush list replace reset rename table tables chain chains rule rules set sets map maps element elements ' +
    'ruleset ip ip6 inet arp bridge netdev type typeof hook priority policy comment flags timeout size device ct state meta mark l4proto th ' +
    'dport sport tcp udp sctp fib saddr daddr vmap numgen random mod offset jump goto return accept drop reject continue masquerade fully-random ' +
    'persistent dnat snat to update counter packets bytes and or xor index handle position gc-interval auto-merge verdict log with').split(' '),
)

/** How bison's message names a token: `newline`, `end of file`, `string`, `number`, a keyword, or `'{'`. */
export function describe(t: Token): string {
  switch (t.kind) {
    case 'newline':
      return 'newline'
    case 'eof':
      return 'end of file'
    case 'number':
      return 'number'
    case 'quoted':
      return 'quoted string'
    case 'punct':
      return `'${t.text}'`
    case 'setref':
      return 'string'
    case 'word':
      return KEYWORDS.has(t.text) ? t.text : 'string'
  }
}

const NAME = /[A-Za-z0-9_./-]/

/** Splits `text` into tokens; a newline is a token (it ends a command), and so is the end. */
export function scan(text: string): Token[] {
  const out: Token[] = []
  const lines = text.split('\n')
  lines.forEach((line, li) => {
    const ln = li + 1
    let i = 0
    const push = (kind: Token['kind'], start: number, stop: number) => out.push({ kind, text: line.slice(start, stop), line: ln, col: start + 1, end: stop })
    while (i < line.length) {
      const c = line[i]!
      if (c === ' ' || c === '\t' || c === '\r') i++
      else if (c === '#') i = line.length
      else if (c === '"') {
        const close = line.indexOf('"', i + 1)
        const stop = close < 0 ? line.length : close + 1
        push('quoted', i, stop)
        i = stop
      } else if (c === '@' || /[A-Za-z_]/.test(c)) {
        let j = i + 1
        while (j < line.length && NAME.test(line[j]!)) j++
        push(c === '@' ? 'setref' : 'word', i, j)
        i = j
      } else if (/[0-9]/.test(c)) {
        let j = i + 1
        while (j < line.length && NAME.test(line[j]!)) j++
        push(/^(0x[0-9a-f]+|\d+)$/i.test(line.slice(i, j)) ? 'number' : 'word', i, j)
        i = j
      } else if ((c === '!' || c === '=') && line[i + 1] === '=') {
        push('punct', i, i + 2)
        i += 2
      } else {
        push('punct', i, i + 1)
        i++
      }
    }
    if (li < lines.length - 1) out.push({ kind: 'newline', text: '\n', line: ln, col: line.length + 1, end: line.length + 1 })
    else out.push({ kind: 'eof', text: '', line: ln, col: line.length + 1, end: line.length + 1 })
  })
  return out
}

/** One error as nft prints it: where, the message, the line, carets under the span (tabs kept so they line up). */
export function errorText(file: string | undefined, source: string, at: { line: number; col: number; end: number }, message: string): string {
  const lineText = source.split('\n')[at.line - 1] ?? ''
  const pad = [...lineText.slice(0, at.col - 1)].map((ch) => (ch === '\t' ? '\t' : ' ')).join('')
  const where = file === undefined ? '' : `${file}:${at.line}:${at.col}-${Math.max(at.col, at.end)}: `
  return `${where}Error: ${message}\n${lineText}\n${pad}${'^'.repeat(Math.max(1, at.end - at.col + 1))}\n`
}
