import '@xterm/xterm/css/xterm.css'
import './console.css'
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useStore } from 'zustand'
import { useShallow } from 'zustand/react/shallow'
import type { StoreApi } from 'zustand/vanilla'
import { CONSOLE_BUTTON_ID } from './ConsoleButton'
import { ConsoleTerminal } from './ConsoleTerminal'
import { LAPTOP_TAB, tabLabel, tabSlug, type ConsoleState, type ConsoleTab } from './consoleStore'
import { OpenShellControls } from './OpenShellControls'

const tabElementId = (t: ConsoleTab) => `console-tab-${tabSlug(t)}`
const panelElementId = (t: ConsoleTab) => `console-panel-${tabSlug(t)}`

const selectView = (s: ConsoleState) => ({ open: s.open, tall: s.tall, tabs: s.tabs, active: s.active, focusRequest: s.focusRequest })

/**
 * The console: real terminals over the simulation, one per tab: kubectl on the student's laptop (always there), and
 * shells opened in pods and on nodes (closable). Tabs follow the WAI-ARIA tabs pattern (arrows, Home, End; Delete
 * closes a shell); each terminal keeps its screen and history while another is shown or the console is hidden.
 */
export function ConsolePanel({ consoleStore }: { consoleStore: StoreApi<ConsoleState> }) {
  const { open, tall, tabs, active, focusRequest } = useStore(consoleStore, useShallow(selectView))
  const list = useRef<HTMLDivElement>(null)
  const [focusers] = useState(() => new Map<string, () => void>())
  // A request to focus the terminal shown (the console opened, a shell opened from the inspector or by kubectl exec -it),
  // not merely a tab chosen: the tabs keep the focus while the arrows move between them.
  const handled = useRef(0)
  useEffect(() => {
    if (focusRequest === handled.current) return
    handled.current = focusRequest
    if (open) focusers.get(active)?.()
  }, [focusRequest, open, active, focusers])
  const shown = tabs.find((t) => t.id === active) ?? LAPTOP_TAB
  const focusTab = useCallback((t: ConsoleTab) => list.current?.querySelector<HTMLButtonElement>(`#${CSS.escape(tabElementId(t))}`)?.focus(), [])
  const close = (t: ConsoleTab) => {
    const at = tabs.indexOf(t)
    consoleStore.getState().close(t.id)
    // Focus goes to the tab shown now (the one before), not to the page's start.
    requestAnimationFrame(() => focusTab(tabs[at - 1] ?? LAPTOP_TAB))
  }
  const onKeyDown = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === active)
    if (e.key === 'Delete' && shown.target) {
      e.preventDefault()
      return close(shown)
    }
    const next = e.key === 'ArrowRight' ? (i + 1) % tabs.length : e.key === 'ArrowLeft' ? (i + tabs.length - 1) % tabs.length : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : -1
    if (next < 0) return
    e.preventDefault()
    consoleStore.getState().select(tabs[next]!.id)
    focusTab(tabs[next]!)
  }
  const hide = () => {
    consoleStore.getState().hide()
    document.getElementById(CONSOLE_BUTTON_ID)?.focus()
  }
  return (
    <section className={`console${tall ? ' tall' : ''}`} id="console" aria-label="Console" hidden={!open}>
      <div className="console-bar">
        <div className="console-tabs" role="tablist" aria-label="Terminals" ref={list} onKeyDown={onKeyDown}>
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" id={tabElementId(t)} aria-selected={t.id === active} aria-controls={panelElementId(t)} tabIndex={t.id === active ? 0 : -1} onClick={() => consoleStore.getState().select(t.id)} title={t.target ? 'Delete closes this shell' : undefined}>
              {tabLabel(t)}
            </button>
          ))}
        </div>
        {shown.target ? (
          <button type="button" className="console-close" onClick={() => close(shown)} aria-label={`Close shell: ${tabLabel(shown)}`}>
            Close shell
          </button>
        ) : null}
        <OpenShellControls onOpen={(target) => consoleStore.getState().openShell(target)} />
        <div className="console-view">
          <button type="button" aria-pressed={tall} onClick={() => consoleStore.getState().setTall(!tall)}>
            Taller
          </button>
          <button type="button" onClick={hide} aria-label="Hide the console" title="Hide the console (` outside a text field)">
            Hide
          </button>
        </div>
      </div>
      {tabs.map((t) => (
        <div key={t.id} className="console-screen" role="tabpanel" id={panelElementId(t)} aria-labelledby={tabElementId(t)} hidden={t.id !== active}>
          <ConsoleTerminal tab={t} focusers={focusers} consoleStore={consoleStore} onLeave={() => focusTab(t)} />
        </div>
      ))}
    </section>
  )
}
