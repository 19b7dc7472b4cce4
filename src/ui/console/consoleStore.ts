import { createStore, type StoreApi } from 'zustand/vanilla'

/** Where a shell runs besides the laptop: in a pod ("ns/name") or on a node. */
export type ShellTarget = { readonly pod: string } | { readonly node: string }

/** One terminal in the console: the student's laptop (no target), or a shell in a pod or on a node. */
export interface ConsoleTab {
  readonly id: string
  readonly target?: ShellTarget
}

/** The laptop's tab: always there, first. */
export const LAPTOP_TAB: ConsoleTab = { id: 'laptop' }

/** The tab of a shell ("pod:default/client", "node:worker-1"); a pod without its namespace is in default. */
export function tabOf(target: ShellTarget): ConsoleTab {
  if ('pod' in target) {
    const pod = target.pod.includes('/') ? target.pod : `default/${target.pod}`
    return { id: `pod:${pod}`, target: { pod } }
  }
  return { id: `node:${target.node}`, target }
}

/** What a tab says: "kubectl", "pod client" (its namespace shown unless default), "node worker-1". */
export function tabLabel(tab: ConsoleTab): string {
  if (!tab.target) return 'kubectl'
  if ('node' in tab.target) return `node ${tab.target.node}`
  return `pod ${tab.target.pod.replace(/^default\//, '')}`
}

/** An id for the tab's elements in the page ("pod-default-client"). */
export const tabSlug = (tab: ConsoleTab) => tab.id.replace(/[^\w-]+/g, '-')

/** The console drawer: whether it is shown, its tabs, the one shown, and when its terminal should take the focus. */
export interface ConsoleState {
  readonly open: boolean
  /** Whether it was ever opened: its terminals are made then (and kept while it is hidden). */
  readonly mounted: boolean
  readonly tall: boolean
  readonly tabs: readonly ConsoleTab[]
  readonly active: string
  /** Goes up each time the shown terminal should take the keyboard focus (the console opened, a shell opened). */
  readonly focusRequest: number
  show(): void
  hide(): void
  toggle(): void
  setTall(tall: boolean): void
  select(id: string): void
  /** Opens the console on this shell's tab, adding it if it is not there yet. */
  openShell(target: ShellTarget): void
  /** Closes a shell's tab (never the laptop's); the laptop's is shown if it was the one shown. */
  close(id: string): void
}

/** The console's own store (nothing in it is part of the scenario: it is the view, like the selected tab). */
export function createConsoleStore(): StoreApi<ConsoleState> {
  return createStore<ConsoleState>((set, get) => ({
    open: false,
    mounted: false,
    tall: false,
    tabs: [LAPTOP_TAB],
    active: LAPTOP_TAB.id,
    focusRequest: 0,
    show: () => set((s) => ({ open: true, mounted: true, focusRequest: s.focusRequest + 1 })),
    hide: () => set({ open: false }),
    toggle: () => (get().open ? get().hide() : get().show()),
    setTall: (tall) => set({ tall }),
    select: (id) => set((s) => (s.tabs.some((t) => t.id === id) ? { active: id } : s)),
    openShell: (target) => {
      const tab = tabOf(target)
      set((s) => ({ open: true, mounted: true, tabs: s.tabs.some((t) => t.id === tab.id) ? s.tabs : [...s.tabs, tab], active: tab.id, focusRequest: s.focusRequest + 1 }))
    },
    close: (id) => {
      if (id === LAPTOP_TAB.id) return
      set((s) => {
        const at = s.tabs.findIndex((t) => t.id === id)
        if (at < 0) return s
        const tabs = s.tabs.filter((t) => t.id !== id)
        return { tabs, active: s.active === id ? tabs[at - 1]!.id : s.active, focusRequest: s.focusRequest + 1 }
      })
    },
  }))
}
