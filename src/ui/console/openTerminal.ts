import type { Terminal } from '@xterm/xterm'

/**
 * Opens xterm in `element` within the page's Content-Security-Policy. xterm's DOM renderer writes its theme and its
 * row styles (colours, font, cell size) into <style> elements it makes when it opens, which `style-src 'self'`
 * refuses: the text would never apply and each refusal is a policy violation. So while it opens, what it makes for
 * them is an inert element that keeps no text: what it writes into it (then and on every later change of theme or
 * size) goes into a constructed stylesheet instead, which the page's own script may adopt as it may set any style
 * through the DOM.
 * Returns what takes those stylesheets away again (when the terminal is disposed).
 */
export function openTerminal(term: Terminal, element: HTMLElement): () => void {
  const doc = element.ownerDocument
  const sheets: CSSStyleSheet[] = []
  const create = doc.createElement
  const own = Object.prototype.hasOwnProperty.call(doc, 'createElement')
  doc.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    if (tag.toLowerCase() !== 'style') return create.call(this, tag, options)
    // Not a <style> at all (even an empty one counts as inline style): an inert <template> holds its place.
    const made = create.call(this, 'template')
    const sheet = new CSSStyleSheet()
    let text = ''
    sheets.push(sheet)
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet]
    Object.defineProperty(made, 'textContent', {
      get: () => text,
      set: (value: string | null) => {
        text = value ?? ''
        sheet.replaceSync(text)
      },
    })
    return made
  } as typeof doc.createElement
  try {
    term.open(element)
  } finally {
    if (own) doc.createElement = create
    else delete (doc as { createElement?: unknown }).createElement
  }
  return () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => !sheets.includes(s))
  }
}
