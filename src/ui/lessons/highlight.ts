import { createContext, useContext } from 'react'
import type { Highlight } from '../../lessons'

/** Whether a graph element (its kind as the lesson names it, and its name) is pointed at by the lesson's step. */
export type HighlightMatcher = (kind: Highlight['kind'], name: string) => boolean

export const NOTHING_HIGHLIGHTED: HighlightMatcher = () => false

export const HighlightContext = createContext<HighlightMatcher>(NOTHING_HIGHLIGHTED)

/** The matcher of a list of highlights: by exact name (case-insensitive for the outside world's boxes) or name prefix. */
export function matcherOf(list: readonly Highlight[]): HighlightMatcher {
  if (list.length === 0) return NOTHING_HIGHLIGHTED
  return (kind, name) => list.some((h) => h.kind === kind && ('prefix' in h ? name.startsWith(h.prefix) : h.name.toLowerCase() === name.toLowerCase()))
}

/** The attributes of an element the lesson points at: `data-highlighted="true"` (styled as a thick ring). */
export function useHighlighted(kind: Highlight['kind'], name: string): { readonly 'data-highlighted'?: 'true' } {
  return useContext(HighlightContext)(kind, name) ? { 'data-highlighted': 'true' } : {}
}
