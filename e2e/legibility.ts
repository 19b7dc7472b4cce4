import type { Page } from '@playwright/test'

/** One piece of text on screen: what it says, how large it is drawn (px, after the graph's zoom), where. */
export interface DrawnText {
  readonly text: string
  readonly px: number
  readonly where: string
  readonly rect: { x: number; y: number; width: number; height: number }
}

/**
 * Every piece of text a student can see right now, with the size it is drawn at: text nodes (scaled by every
 * transform above them, the graph's zoom included) and the values of form fields. Text that is off screen, hidden,
 * faded out, scrolled out of its box or covered by something else is left out: nobody can read it anyway.
 */
export async function drawnText(page: Page): Promise<DrawnText[]> {
  return page.evaluate(() => {
    const out: { text: string; px: number; where: string; rect: { x: number; y: number; width: number; height: number } }[] = []
    const scaleOf = (el: Element) => {
      let scale = 1
      for (let a: Element | null = el; a; a = a.parentElement) {
        const t = getComputedStyle(a).transform
        if (t && t !== 'none') {
          const m = new DOMMatrix(t)
          scale *= Math.hypot(m.a, m.b)
        }
      }
      return scale
    }
    const opacityOf = (el: Element) => {
      let o = 1
      for (let a: Element | null = el; a; a = a.parentElement) o *= Number(getComputedStyle(a).opacity)
      return o
    }
    const describe = (el: Element) => {
      const parts: string[] = []
      for (let a: Element | null = el; a && parts.length < 3; a = a.parentElement) parts.unshift(a.tagName.toLowerCase() + (a.classList.length ? `.${[...a.classList].join('.')}` : ''))
      return parts.join(' > ')
    }
    const seen = (el: Element, r: DOMRect) => {
      if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) return false
      if (el.closest('.visually-hidden, [hidden]')) return false
      const style = getComputedStyle(el)
      if (style.visibility === 'hidden' || opacityOf(el) < 0.15) return false
      const x = Math.min(innerWidth - 1, Math.max(0, r.left + r.width / 2))
      const y = Math.min(innerHeight - 1, Math.max(0, r.top + r.height / 2))
      const hit = document.elementFromPoint(x, y)
      return hit !== null && (hit === el || el.contains(hit) || hit.contains(el))
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? '').trim()
      const el = n.parentElement
      if (!text || !el || el.closest('option, script, style, title')) continue
      const range = document.createRange()
      range.selectNodeContents(n)
      const r = [...range.getClientRects()].find((c) => c.width >= 1 && c.height >= 1)
      if (!r || !seen(el, r)) continue
      out.push({ text: text.slice(0, 60), px: parseFloat(getComputedStyle(el).fontSize) * scaleOf(el), where: describe(el), rect: { x: r.x, y: r.y, width: r.width, height: r.height } })
    }
    for (const el of document.querySelectorAll('input:not([type=checkbox]):not([type=radio]), select, textarea')) {
      const r = el.getBoundingClientRect()
      if (!seen(el, r)) continue
      out.push({ text: (el as HTMLInputElement).value.slice(0, 60), px: parseFloat(getComputedStyle(el).fontSize) * scaleOf(el), where: describe(el), rect: { x: r.x, y: r.y, width: r.width, height: r.height } })
    }
    return out
  })
}

/** The text drawn under `floor` px (16: what a student at the back of a classroom can read), described. */
export async function textUnder(page: Page, floor = 16): Promise<string[]> {
  return (await drawnText(page)).filter((t) => t.px < floor - 0.05).map((t) => `${t.px.toFixed(1)} px "${t.text}" (${t.where})`)
}

/** Elements of `selector` whose right edge passes their scroll box or the window's: cut off on the right. */
export async function cutOffRight(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => {
    const out: string[] = []
    for (const el of document.querySelectorAll<HTMLElement>(sel)) {
      const r = el.getBoundingClientRect()
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${sel}: content ${el.scrollWidth}px wide in a box of ${el.clientWidth}px`)
      if (r.right > innerWidth + 0.5) out.push(`${sel}: right edge at ${r.right}px, past the window (${innerWidth}px)`)
    }
    return out
  }, selector)
}
