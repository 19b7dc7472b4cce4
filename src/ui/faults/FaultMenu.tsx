import { useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react'
import { createPortal } from 'react-dom'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'
import { faultChoices, type FaultChoice, type FaultTarget } from './faultChoices'
import { useFaultRunner } from './faultRunner'
import './faults.css'

const selectNodes = (s: SimulationStore) => s.state.nodes
const selectPods = (s: SimulationStore) => s.state.pods
const selectFaults = (s: SimulationStore) => s.state.faults

/** Keeps an event inside the menu: React passes a portal's events up its component tree, into React Flow's node. */
const stop = (e: SyntheticEvent) => e.stopPropagation()

/** A lightning bolt: something breaks. */
const Bolt = () => (
  <svg viewBox="0 0 24 24" aria-hidden="true" className="fault-icon">
    <path d="M13.5 2 4.5 13.5h6L9.5 22l9-11.5h-6z" fill="currentColor" />
  </svg>
)

/**
 * The Faults menu of a Node or a Pod: a menu button (WAI-ARIA's menu button pattern: Enter, Space or the arrows open
 * it on its first or last item, the arrows move, Escape closes it and gives focus back, Tab leaves it) whose choices
 * are read from the cluster while it is open. `compact` draws it as an icon for a graph card; inside a React Flow node
 * it starts no drag, pan or selection. The menu is drawn over the page (a portal), not inside the card: there it
 * would be scaled with the graph and hidden under the pods drawn over their Node.
 */
export function FaultMenu({ target, label, compact = false, active = 0 }: { target: FaultTarget; label: string; compact?: boolean; active?: number }) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false)
  const trigger = useRef<HTMLButtonElement>(null)
  const menuId = useId()
  const triggerId = useId()
  const close = useCallback((refocus: boolean) => {
    setOpen(false)
    if (refocus) trigger.current?.focus()
  }, [])
  const name = active ? `${label} (${active} active)` : label
  return (
    <>
      <button
        ref={trigger}
        id={triggerId}
        type="button"
        className={`fault-trigger nodrag nopan${compact ? ' compact' : ''}${active ? ' has-faults' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open !== false}
        {...(open ? { 'aria-controls': menuId } : {})}
        aria-label={name}
        title={compact ? name : undefined}
        onClick={(e) => {
          e.stopPropagation()
          setOpen((o) => (o ? false : 'first'))
        }}
        onKeyDown={(e) => {
          // Enter and Space click the button; React Flow would also take them (and Escape) to select its node.
          if (e.key === 'Enter' || e.key === ' ' || e.key === 'Escape') e.stopPropagation()
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault()
            e.stopPropagation()
            setOpen(e.key === 'ArrowDown' ? 'first' : 'last')
          }
        }}
        onDoubleClick={stop}
        onPointerDown={stop}
      >
        {compact ? <Bolt /> : (
          <>
            <Bolt /> Faults <span aria-hidden="true">▾</span>
          </>
        )}
      </button>
      {open ? createPortal(<FaultMenuList id={menuId} labelledBy={triggerId} target={target} anchor={trigger} start={open} onClose={close} />, document.body) : null}
    </>
  )
}

interface Place {
  readonly left: number
  readonly top: number
}

/** Where a box of `size` goes next to `anchor` (below it, else above it; for a sub-menu beside it), kept on screen. */
function placeBeside(anchor: DOMRect, size: { width: number; height: number }, side: 'below' | 'right', parent?: DOMRect): Place {
  const margin = 8
  const maxLeft = window.innerWidth - size.width - margin
  const maxTop = window.innerHeight - size.height - margin
  if (side === 'right') {
    const right = anchor.right - 4
    const left = right <= maxLeft ? right : (parent ?? anchor).left - size.width + 4
    return { left: Math.max(margin, left), top: Math.max(margin, Math.min(anchor.top - 6, maxTop)) }
  }
  const top = anchor.bottom + 4 <= maxTop ? anchor.bottom + 4 : anchor.top - size.height - 4
  return { left: Math.max(margin, Math.min(anchor.left, maxLeft)), top: Math.max(margin, Math.min(top, maxTop)) }
}

const itemsOf = (menu: HTMLElement | null) => [...(menu?.querySelectorAll<HTMLElement>(':scope > [role="menuitem"]') ?? [])]

function FaultMenuList({ id, labelledBy, target, anchor, start, onClose }: { id: string; labelledBy: string; target: FaultTarget; anchor: RefObject<HTMLButtonElement | null>; start: 'first' | 'last'; onClose: (refocus: boolean) => void }) {
  const nodes = useSim(selectNodes)
  const pods = useSim(selectPods)
  const faults = useSim(selectFaults)
  const choices = useMemo(() => faultChoices({ nodes, pods, faults }, target), [nodes, pods, faults, target])
  const run = useFaultRunner()
  const root = useRef<HTMLDivElement>(null)
  const menu = useRef<HTMLDivElement>(null)
  const subMenu = useRef<HTMLDivElement>(null)
  const [place, setPlace] = useState<Place>()
  const [sub, setSub] = useState<{ id: string; focus: boolean }>()
  const [subPlace, setSubPlace] = useState<Place>()
  const subChoice = sub ? choices.find((c) => c.id === sub.id && c.choices) : undefined

  useLayoutEffect(() => {
    const a = anchor.current
    const m = menu.current
    if (a && m) setPlace(placeBeside(a.getBoundingClientRect(), m.getBoundingClientRect(), 'below'))
  }, [anchor, choices])
  useLayoutEffect(() => {
    const item = subChoice ? menu.current?.querySelector<HTMLElement>(`[data-choice="${CSS.escape(subChoice.id)}"]`) : undefined
    if (item && subMenu.current && menu.current) setSubPlace(placeBeside(item.getBoundingClientRect(), subMenu.current.getBoundingClientRect(), 'right', menu.current.getBoundingClientRect()))
    else setSubPlace(undefined)
  }, [subChoice, place])
  // Focus goes into the menu once it stands where it is drawn, on its first (or last) item.
  const placed = place !== undefined
  useEffect(() => {
    if (!placed) return
    const items = itemsOf(menu.current)
    ;(start === 'last' ? items.at(-1) : items[0])?.focus()
  }, [placed, start])
  useEffect(() => {
    if (sub?.focus && subPlace) itemsOf(subMenu.current)[0]?.focus()
  }, [sub, subPlace])
  // A press elsewhere closes it; so does anything that moves what it points at (a zoom, a scroll, a resize).
  useEffect(() => {
    const outside = (e: Event) => {
      const t = e.target as Node | null
      if (t && (root.current?.contains(t) || anchor.current?.contains(t))) return
      onClose(false)
    }
    const moved = (e: Event) => {
      if (!root.current?.contains(e.target as Node | null)) onClose(false)
    }
    // A scroll that carries the button away (the side panel's); React Flow undoes any scroll of its own pane at once.
    const scrolled = (e: Event) => {
      const t = e.target
      if (t instanceof Element && (root.current?.contains(t) || t.closest('.react-flow'))) return
      if (t === document || (t instanceof Node && anchor.current && t.contains(anchor.current))) onClose(false)
    }
    const resized = () => onClose(false)
    document.addEventListener('pointerdown', outside, true)
    document.addEventListener('wheel', moved, { capture: true, passive: true })
    document.addEventListener('scroll', scrolled, true)
    window.addEventListener('resize', resized)
    return () => {
      document.removeEventListener('pointerdown', outside, true)
      document.removeEventListener('wheel', moved, { capture: true })
      document.removeEventListener('scroll', scrolled, true)
      window.removeEventListener('resize', resized)
    }
  }, [anchor, onClose])

  const choose = (c: FaultChoice) => {
    if (c.disabled) return
    if (c.choices) {
      setSub({ id: c.id, focus: true })
      return
    }
    if (c.action) {
      onClose(true)
      run(c.action)
    }
  }
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    e.stopPropagation()
    const level = e.currentTarget.dataset['level'] as 'menu' | 'sub'
    const list = itemsOf(e.currentTarget)
    const at = list.indexOf(document.activeElement as HTMLElement)
    const focus = (i: number) => list[(i + list.length) % list.length]?.focus()
    const key = e.key
    if (key === 'ArrowDown') focus(at + 1)
    else if (key === 'ArrowUp') focus(at - 1)
    else if (key === 'Home') focus(0)
    else if (key === 'End') focus(list.length - 1)
    else if (key === 'Escape' || (key === 'ArrowLeft' && level === 'sub')) {
      if (level === 'sub') {
        const parent = sub?.id
        setSub(undefined)
        menu.current?.querySelector<HTMLElement>(`[data-choice="${CSS.escape(parent ?? '')}"]`)?.focus()
      } else onClose(true)
    } else if (key === 'Tab') onClose(true)
    else if (key === 'ArrowRight' && level === 'menu') {
      const c = choices.find((x) => x.id === (document.activeElement as HTMLElement | null)?.dataset['choice'])
      if (c?.choices && !c.disabled) setSub({ id: c.id, focus: true })
    } else if (key === 'Enter' || key === ' ') {
      const all = level === 'menu' ? choices : (subChoice?.choices ?? [])
      const c = all.find((x) => x.id === (document.activeElement as HTMLElement | null)?.dataset['choice'])
      if (c) choose(c)
    } else return
    e.preventDefault()
  }
  const item = (c: FaultChoice, level: 'menu' | 'sub') => (
    <div
      key={c.id}
      role="menuitem"
      tabIndex={-1}
      data-choice={c.id}
      className={`fault-item${c.action?.type === 'heal' ? ' heal' : ''}`}
      {...(c.disabled ? { 'aria-disabled': true } : {})}
      {...(c.choices ? { 'aria-haspopup': 'menu' as const, 'aria-expanded': sub?.id === c.id } : {})}
      onClick={() => choose(c)}
      onPointerEnter={level === 'menu' ? () => setSub(c.choices && !c.disabled ? { id: c.id, focus: false } : undefined) : undefined}
    >
      <span className="fault-item-label">
        {c.label}
        {c.choices ? <span aria-hidden="true"> ▸</span> : null}
      </span>
      {c.disabled ? <span className="fault-item-reason">{c.disabled}</span> : null}
    </div>
  )
  return (
    <div ref={root} className="fault-menu-layer" onClick={stop} onPointerDown={stop} onMouseDown={stop} onDoubleClick={stop} onKeyDown={stop}>
      <div ref={menu} id={id} role="menu" aria-labelledby={labelledBy} className="fault-menu" data-level="menu" style={place ? { left: place.left, top: place.top } : { visibility: 'hidden' }} onKeyDown={onKeyDown}>
        {choices.length ? choices.map((c) => item(c, 'menu')) : (
          <div role="menuitem" tabIndex={-1} aria-disabled="true" className="fault-item">
            <span className="fault-item-label">It is gone: nothing to break</span>
          </div>
        )}
      </div>
      {subChoice ? (
        <div ref={subMenu} role="menu" aria-label={subChoice.label.replace('…', '')} className="fault-menu sub" data-level="sub" style={subPlace ? { left: subPlace.left, top: subPlace.top } : { visibility: 'hidden' }} onKeyDown={onKeyDown}>
          {subChoice.choices!.map((c) => item(c, 'sub'))}
        </div>
      ) : null}
    </div>
  )
}
