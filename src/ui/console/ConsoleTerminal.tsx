import { FitAddon } from '@xterm/addon-fit'
import { Terminal, type ITerminalOptions } from '@xterm/xterm'
import { useEffect, useRef } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { RunOptions } from '../../sim'
import { WORKSTATION_FILES } from '../../store/workstationFiles'
import { useStoreApi } from '../storeContext'
import { complete, type ShellPlace } from './completion'
import type { ConsoleState, ConsoleTab } from './consoleStore'
import { openTerminal } from './openTerminal'
import { shellPrompt, type Prompt } from './shellPrompt'
import { ShellSession, type ShellHost } from './ShellSession'

const FILES = Object.keys(WORKSTATION_FILES).sort()

/**
 * A dark theme whose every colour keeps at least 7:1 against the background (WCAG AAA for text; AA asks 4.5:1), and
 * xterm told to lift any colour a program asks for to 4.5:1 anyway.
 */
const THEME: NonNullable<ITerminalOptions['theme']> = {
  background: '#14171f',
  foreground: '#eef1f6',
  cursor: '#f4f6f9',
  cursorAccent: '#14171f',
  selectionBackground: '#40608f',
  selectionForeground: '#ffffff',
  black: '#9aa4b5',
  red: '#ff8f87',
  green: '#7ee787',
  yellow: '#f2cc60',
  blue: '#8cb4ff',
  magenta: '#d7a8ff',
  cyan: '#76e3ea',
  white: '#eef1f6',
  brightBlack: '#b4bcc8',
  brightRed: '#ffaba5',
  brightGreen: '#a5f0aa',
  brightYellow: '#f8dc8c',
  brightBlue: '#afcbff',
  brightMagenta: '#e4c4ff',
  brightCyan: '#a3eef2',
  brightWhite: '#ffffff',
}

/** The system's monospace fonts (nothing is fetched): what the page's own code uses, then Linux's usual ones. */
const FONT_FAMILY = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace"

/** 16 px, 18 px on a large screen: read from the back of a classroom, as the rest of the page is. */
const fontSize = () => (window.innerWidth >= 1600 ? 18 : 16)

/** Where the tab's commands run, for completion and for the engine. */
function placeOf(tab: ConsoleTab): { place: ShellPlace; options: Omit<RunOptions, 'dispatch' | 'files'>; prompt: Prompt; greeting: string; described: string } {
  const t = tab.target
  if (!t) {
    return {
      place: { kind: 'laptop' },
      options: {},
      prompt: shellPrompt('student', 'laptop', '~', '$'),
      greeting: 'kubectl on your laptop. Tab completes, Up/Down recall, Ctrl-C stops, Esc leaves.\n',
      described: 'kubectl on your laptop',
    }
  }
  if ('pod' in t) {
    const [namespace, name] = t.pod.split('/') as [string, string]
    return { place: { kind: 'pod', namespace }, options: { pod: t.pod }, prompt: shellPrompt('root', name, '/', '#'), greeting: `A shell in pod ${t.pod} (kubectl exec -it ${name}${namespace === 'default' ? '' : ` -n ${namespace}`} -- sh). exit closes it.\n`, described: `shell in pod ${t.pod}` }
  }
  return { place: { kind: 'node' }, options: { node: t.node }, prompt: shellPrompt('root', t.node, '~', '#'), greeting: `A root shell on node ${t.node}: iptables-save, conntrack -L, crictl ps. exit closes it.\n`, described: `shell on node ${t.node}` }
}

/** Ctrl-Shift-C copies the selection; Ctrl-V and Ctrl-Shift-V are left to the browser, whose paste xterm reads as input. */
function keyHandler(term: Terminal, onLeave: () => void): (e: KeyboardEvent) => boolean {
  return (e) => {
    const key = e.key.toLowerCase()
    if (e.ctrlKey && e.shiftKey && key === 'c') {
      if (e.type === 'keydown' && term.hasSelection()) void navigator.clipboard?.writeText(term.getSelection()).catch(() => {})
      e.preventDefault()
      return false
    }
    if ((e.ctrlKey || e.metaKey) && key === 'v') return false
    // A way out for the keyboard: Tab completes here, so Esc leaves (to this terminal's tab).
    if (e.key === 'Escape') {
      if (e.type === 'keydown') onLeave()
      return false
    }
    return true
  }
}

/**
 * One tab's terminal: an xterm (screen-reader mode on) with a shell behind it, made when the tab first shows and kept,
 * with its output and history, until the tab is closed. `focusers` gets what gives it the keyboard focus.
 */
export function ConsoleTerminal({ tab, focusers, consoleStore, onLeave }: { tab: ConsoleTab; focusers: Map<string, () => void>; consoleStore: StoreApi<ConsoleState>; onLeave: () => void }) {
  const store = useStoreApi()
  const element = useRef<HTMLDivElement>(null)
  const leave = useRef(onLeave)
  useEffect(() => {
    leave.current = onLeave
  }, [onLeave])

  useEffect(() => {
    const el = element.current!
    const { place, options, prompt, greeting, described } = placeOf(tab)
    const reduceMotion = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false
    const term = new Terminal({
      fontFamily: FONT_FAMILY,
      fontSize: fontSize(),
      lineHeight: 1.15,
      cursorBlink: !reduceMotion,
      screenReaderMode: true,
      minimumContrastRatio: 4.5,
      scrollback: 5000,
      theme: THEME,
    })
    const fit = new FitAddon()
    term.loadAddon(fit)
    const host: ShellHost = {
      run: (text, after) => store.getState().run(text, after === undefined ? options : { ...options, after }),
      watch: (listener) =>
        store.subscribe((s, prev) => {
          if (s.state !== prev.state) listener()
        }),
      complete: (before) => complete(before, { place, state: store.getState().state, files: FILES }),
      openSession: (s) => {
        if (s.pod) consoleStore.getState().openShell({ pod: s.pod })
        else if (s.node) consoleStore.getState().openShell({ node: s.node })
      },
      ...(tab.target ? { exit: () => consoleStore.getState().close(tab.id) } : {}),
    }
    const session = new ShellSession(term, host, prompt)
    term.onData((data) => session.input(data))
    term.attachCustomKeyEventHandler(keyHandler(term, () => leave.current()))
    session.start(greeting)
    // xterm measures its font when it opens: only once the tab is shown (a hidden element measures nothing).
    let opened = false
    let closeStyles = () => {}
    let wantsFocus = false
    const resized = new ResizeObserver(() => {
      if (el.clientWidth === 0 || el.clientHeight === 0) return
      if (!opened) {
        closeStyles = openTerminal(term, el)
        term.textarea?.setAttribute('aria-label', `Terminal input, ${described}`)
        opened = true
      }
      if (term.options.fontSize !== fontSize()) term.options.fontSize = fontSize()
      fit.fit()
      if (wantsFocus) {
        wantsFocus = false
        term.focus()
      }
    })
    resized.observe(el)
    focusers.set(tab.id, () => {
      if (opened) term.focus()
      else wantsFocus = true
    })
    return () => {
      focusers.delete(tab.id)
      resized.disconnect()
      session.dispose()
      term.dispose()
      closeStyles()
    }
  }, [store, consoleStore, tab, focusers])

  return <div className="console-terminal" ref={element} />
}
