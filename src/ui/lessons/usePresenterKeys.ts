import { useEffect } from 'react'

/**
 * What presentation clickers send: Right and PageDown forward, Left and PageUp back; F toggles full screen. Keys
 * typed in a field, on the graph (its cards move with the arrows) or with a modifier are left alone.
 */
export function usePresenterKeys(enabled: boolean, handlers: { forward: () => void; back: () => void }): void {
  const { forward, back } = handlers
  useEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return
      const t = e.target as HTMLElement | null
      if (t?.closest('input, textarea, select, [contenteditable="true"], .react-flow, dialog')) return
      if (e.key === 'ArrowRight' || e.key === 'PageDown') forward()
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') back()
      else if (e.key === 'f' || e.key === 'F') {
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => {})
        else void document.documentElement.requestFullscreen?.().catch(() => {})
      } else return
      e.preventDefault()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [enabled, forward, back])
}
