/** A here-document a command line opens: the word that ends it, and whether its lines' leading tabs are dropped (`<<-`). */
export interface HereDocument {
  readonly delimiter: string
  readonly stripTabs: boolean
}

/**
 * The here-document `line` opens (`<<EOF`, `<<'EOF'`, `<<"EOF"`, `<<-EOF`), or undefined: what tells a terminal to
 * keep reading lines (prompt `> `) before it hands the command over. `<<` inside quotes and `<<<` do not count.
 */
export function hereDocumentOf(line: string): HereDocument | undefined {
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"') i++
      continue
    }
    if (c === '\\') i++
    else if (c === "'" || c === '"') quote = c
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return undefined
    else if (line.startsWith('<<<', i)) i += 2
    else if (line.startsWith('<<', i)) {
      let j = i + 2
      const stripTabs = line[j] === '-'
      if (stripTabs) j++
      while (line[j] === ' ' || line[j] === '\t') j++
      const word = /^(?:'([^']*)'|"([^"]*)"|([^\s;|&<>()]+))/.exec(line.slice(j))
      if (!word) return undefined
      return { delimiter: (word[1] ?? word[2] ?? word[3]!).replace(/\\(.)/g, '$1'), stripTabs }
    }
  }
  return undefined
}

/** Whether `line` is the one that ends the here-document. */
export function endsHereDocument(doc: HereDocument, line: string): boolean {
  return (doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter
}
