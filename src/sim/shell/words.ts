/** One command line split as a POSIX shell splits it: pipeline stages of words, and a here-document if it opens one. */
export interface ShellLine {
  readonly stages: string[][]
  /** `<<EOF` (or `<<'EOF'`, `<<-EOF`): the word that ends the here-document on a line of its own. */
  readonly heredoc?: HereDocument
  /** `<<< word`: the word and a newline are standard input. */
  readonly hereString?: string
  /** `< file`: where standard input comes from. */
  readonly redirectIn?: string
  /** `> file` / `2> file` / `2>&1`: where standard output and error go (the terminal when absent). */
  readonly redirectOut?: string
  readonly redirectErr?: string
  /** `> f 2>&1`: stderr goes where stdout was sent; `2>&1 > f`: to the terminal, where stdout was before. */
  readonly errFollowsOut?: boolean
}

export type SplitResult = { readonly ok: true; readonly line: ShellLine } | { readonly ok: false; readonly error: string }

/**
 * Splits a line into words: single quotes keep everything, double quotes keep all but `\` before `"`, `\`, `$`, and
 * `$VAR` / `${VAR}` expand from `env` outside single quotes (an unset variable expands to nothing, and an unquoted
 * word that expands to nothing disappears), `$(command)` to what `substitute` says the command printed. `|` separates stages; `#` at the start of a word begins a comment.
 */
export function splitLine(text: string, env: (name: string) => string | undefined = () => undefined, substitute: (command: string) => string = () => ''): SplitResult {
  const stages: string[][] = [[]]
  let heredoc: ShellLine['heredoc']
  let redirectIn: string | undefined
  let word = ''
  let inWord = false
  let quoted = false
  let pending: 'heredoc' | 'herestring' | 'stdin' | 'stdout' | 'stderr' | undefined
  let hereString: string | undefined
  let redirectOut: string | undefined
  let redirectErr: string | undefined
  let errFollowsOut = false
  const finish = () => {
    if (inWord && (word !== '' || quoted)) {
      if (pending === 'heredoc') heredoc = { ...heredoc!, delimiter: word }
      else if (pending === 'herestring') hereString = word
      else if (pending === 'stdin') redirectIn = word
      else if (pending === 'stdout') redirectOut = word
      else if (pending === 'stderr') redirectErr = word
      else stages[stages.length - 1]!.push(word)
      pending = undefined
    }
    word = ''
    inWord = false
    quoted = false
  }
  /** `$(command)` at i: the command's stdout, its trailing newlines cut; unquoted, split into words as sh does. */
  const substitution = (i: number, inQuotes: boolean): number | undefined => {
    let depth = 0
    let quote: string | undefined
    for (let j = i + 1; j < text.length; j++) {
      const c = text[j]!
      if (quote) {
        if (c === quote) quote = undefined
        continue
      }
      if (c === "'" || c === '"') quote = c
      else if (c === '(') depth++
      else if (c === ')' && --depth === 0) {
        const output = substitute(text.slice(i + 2, j)).replace(/\n+$/, '')
        if (inQuotes) word += output
        else {
          const [first = '', ...rest] = output.split(/[ \t\n]+/)
          word += first
          for (const w of rest) {
            finish()
            inWord = true
            word = w
          }
        }
        return j
      }
    }
    return undefined
  }
  const expand = (i: number, inQuotes = false): number | undefined => {
    if (text[i + 1] === '(') return substitution(i, inQuotes)
    const braced = text[i + 1] === '{'
    const m = /^[A-Za-z_][A-Za-z0-9_]*|^[?$#]/.exec(text.slice(braced ? i + 2 : i + 1))
    if (!m) {
      word += '$'
      return i
    }
    const name = m[0]
    if (braced && text[i + 2 + name.length] !== '}') {
      word += '$'
      return i
    }
    word += env(name) ?? ''
    return i + name.length + (braced ? 2 : 0)
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === ' ' || c === '\t') {
      finish()
      continue
    }
    if (c === '#' && !inWord) break
    if (c === '|') {
      finish()
      if (pending) return { ok: false, error: "syntax error near unexpected token `|'" }
      if (stages[stages.length - 1]!.length === 0) return { ok: false, error: "syntax error near unexpected token `|'" }
      stages.push([])
      continue
    }
    if (c === '>' && (!inWord || (word === '2' && !quoted))) {
      const err = inWord
      word = ''
      inWord = false
      if (err && text.startsWith('&1', i + 1)) {
        redirectErr = '&1'
        errFollowsOut = redirectOut !== undefined
        i += 2
        continue
      }
      pending = err ? 'stderr' : 'stdout'
      if (text[i + 1] === '>') i++
      continue
    }
    if (c === '<' && !inWord) {
      if (text.startsWith('<<<', i)) {
        pending = 'herestring'
        i += 2
      } else if (text.startsWith('<<', i)) {
        const strip = text[i + 2] === '-'
        heredoc = { delimiter: '', stripTabs: strip }
        pending = 'heredoc'
        i += strip ? 2 : 1
      } else pending = 'stdin'
      continue
    }
    inWord = true
    if (c === "'") {
      const end = text.indexOf("'", i + 1)
      if (end < 0) return { ok: false, error: "unexpected EOF while looking for matching `''" }
      word += text.slice(i + 1, end)
      quoted = true
      i = end
    } else if (c === '"') {
      quoted = true
      let j = i + 1
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) word += text[++j]
        else if (text[j] === '$' && pending !== 'heredoc') {
          const end = expand(j, true)
          if (end === undefined) return { ok: false, error: "unexpected EOF while looking for matching `)'" }
          j = end
        }
        else word += text[j]
      }
      if (j >= text.length) return { ok: false, error: 'unexpected EOF while looking for matching `"\'' }
      i = j
    } else if (c === '\\') {
      if (i + 1 < text.length) word += text[++i]
    } else if (c === '$' && pending !== 'heredoc') {
      const end = expand(i)
      if (end === undefined) return { ok: false, error: "unexpected EOF while looking for matching `)'" }
      i = end
    }
    else word += c
  }
  finish()
  if (pending) return { ok: false, error: "syntax error near unexpected token `newline'" }
  const last = stages[stages.length - 1]!
  if (stages.length > 1 && last.length === 0) return { ok: false, error: "syntax error near unexpected token `newline'" }
  return { ok: true, line: { stages, ...(heredoc ? { heredoc } : {}), ...(hereString !== undefined ? { hereString } : {}), ...(redirectIn !== undefined ? { redirectIn } : {}), ...(redirectOut !== undefined ? { redirectOut } : {}), ...(redirectErr !== undefined ? { redirectErr, errFollowsOut } : {}) } }
}

/**
 * A here-document's lines: what follows the command line up to the delimiter alone on a line (tabs stripped for
 * `<<-`). `complete` is false while the delimiter has not come: a terminal keeps reading lines.
 */
export function hereDocument(rest: readonly string[], delimiter: string, stripTabs: boolean): { readonly body: string; readonly complete: boolean; readonly consumed: number } {
  const lines: string[] = []
  for (let i = 0; i < rest.length; i++) {
    const line = stripTabs ? rest[i]!.replace(/^\t+/, '') : rest[i]!
    if (endsHereDocument({ delimiter, stripTabs }, rest[i]!)) return { body: lines.map((l) => `${l}\n`).join(''), complete: true, consumed: i + 1 }
    lines.push(line)
  }
  return { body: lines.map((l) => `${l}\n`).join(''), complete: false, consumed: rest.length }
}

/** A command list's parts: `a; b`, `a && b`, `a || b`, each with the operator that joins it to the one before. */
export function splitList(text: string): { readonly text: string; readonly after: ';' | '&&' | '||' }[] {
  const out: { text: string; after: ';' | '&&' | '||' }[] = []
  let start = 0
  let after: ';' | '&&' | '||' = ';'
  let quote: string | undefined
  // Inside `$(...)`, separators belong to the substituted command.
  let parens = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"') i++
      continue
    }
    if (c === "'" || c === '"') quote = c
    else if (c === '\\') i++
    else if (c === '$' && text[i + 1] === '(') {
      parens++
      i++
    } else if (parens > 0) {
      if (c === '(') parens++
      else if (c === ')') parens--
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) break
    else if (c === '<' && text.startsWith('<<', i)) return [...out, { text: text.slice(start), after }]
    else if (c === ';' || text.startsWith('&&', i) || text.startsWith('||', i)) {
      out.push({ text: text.slice(start, i), after })
      after = c === ';' ? ';' : c === '&' ? '&&' : '||'
      i += c === ';' ? 0 : 1
      start = i + 1
    }
  }
  out.push({ text: text.slice(start), after })
  return out
}

/** A here-document a line opens: the word that ends it, and whether leading tabs are dropped (`<<-`). */
export interface HereDocument {
  readonly delimiter: string
  readonly stripTabs: boolean
}

/**
 * The here-document `line` opens, as sh reads the line (`<<` inside quotes, in a comment, and `<<<` do not open one),
 * or undefined: what tells a terminal to keep reading lines before it hands the command over.
 */
export function openedHereDocument(line: string): HereDocument | undefined {
  const split = splitLine(line)
  return split.ok && split.line.heredoc?.delimiter ? split.line.heredoc : undefined
}

/** Whether `line` is the one that ends the here-document (its delimiter word). */
export function endsHereDocument(doc: HereDocument, line: string): boolean {
  return (doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter
}
