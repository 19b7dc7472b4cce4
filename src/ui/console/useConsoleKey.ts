import { useEffect } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import { CONSOLE_BUTTON_ID } from './ConsoleButton'
import type { ConsoleState } from './consoleStore'

/**
 * ` shows or hides the console, as in many games and tools. Never while typing: a key typed in a field, in a terminal
 * (whose input is a text area), in a dialog or with a modifier is left alone.
 */
export function useConsoleKey(consoleStore: StoreApi<ConsoleState>): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '`' || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented || e.repeat) return
      const t = e.target as HTMLElement | null
      if (t?.closest('input, textarea, select, [contenteditable="true"], dialog')) return
      e.preventDefault()
      const hiding = consoleStore.getState().open
      consoleStore.getState().toggle()
      // Focus was on one of the console's own controls: it would be lost with them.
      if (hiding && t?.closest('#console')) document.getElementById(CONSOLE_BUTTON_ID)?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [consoleStore])
}
