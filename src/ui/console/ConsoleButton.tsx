import { useStore } from 'zustand'
import type { StoreApi } from 'zustand/vanilla'
import type { ConsoleState } from './consoleStore'

/** The header button's id: focus returns to it when the console is hidden. */
export const CONSOLE_BUTTON_ID = 'console-toggle'

const selectOpen = (s: ConsoleState) => s.open

/** Shows or hides the console under the graph (the ` key does too, outside text fields). */
export function ConsoleButton({ consoleStore }: { consoleStore: StoreApi<ConsoleState> }) {
  const open = useStore(consoleStore, selectOpen)
  return (
    <button
      type="button"
      id={CONSOLE_BUTTON_ID}
      aria-expanded={open}
      {...(open ? { 'aria-controls': 'console' } : {})}
      aria-keyshortcuts="`"
      title="A terminal: kubectl on your laptop, shells in pods and on nodes (shortcut: ` outside a text field)"
      onClick={() => consoleStore.getState().toggle()}
    >
      Console
    </button>
  )
}
