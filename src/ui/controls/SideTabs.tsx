import { useRef, type KeyboardEvent } from 'react'

const TABS = ['Inspector', 'Traffic', 'YAML', 'kubectl'] as const
export type Tab = (typeof TABS)[number]

export const tabId = (t: Tab) => `tab-${t.replace(/\W+/g, '-').toLowerCase()}`
export const panelId = (t: Tab) => `panel-${t.replace(/\W+/g, '-').toLowerCase()}`

/** The side panel's tabs, as the WAI-ARIA tabs pattern has them: arrows, Home and End move between them. */
export function SideTabs({ tab, onTab }: { tab: Tab; onTab: (t: Tab) => void }) {
  const list = useRef<HTMLDivElement>(null)
  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab)
    const next = e.key === 'ArrowRight' ? (i + 1) % TABS.length : e.key === 'ArrowLeft' ? (i + TABS.length - 1) % TABS.length : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : -1
    if (next < 0) return
    e.preventDefault()
    onTab(TABS[next]!)
    list.current?.querySelector<HTMLButtonElement>(`#${tabId(TABS[next]!)}`)?.focus()
  }
  return (
    <div className="tabs" role="tablist" aria-label="Panels" ref={list} onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button key={t} type="button" role="tab" id={tabId(t)} aria-selected={t === tab} aria-controls={panelId(t)} tabIndex={t === tab ? 0 : -1} onClick={() => onTab(t)}>
          {t}
        </button>
      ))}
    </div>
  )
}
