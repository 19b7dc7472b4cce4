import { useReducedMotion } from 'framer-motion'
import { useEffect, useRef, useState } from 'react'
import type { Hop, TracedRule } from '../../sim'
import { facilityText } from './hopText'

/** What a rule did to the packet, in words: jumped, no match, or the dice's verdict. */
function outcome(r: TracedRule, fired: boolean): string {
  if (r.draw) return `${r.draw.value.toFixed(4)} ${r.draw.value < r.draw.probability ? '<' : '≥'} ${r.draw.probability.toFixed(10)}: ${r.matched ? 'taken' : 'next rule'}`
  if (fired) return 'fired'
  return r.matched ? 'matched' : 'no match'
}

/**
 * The rules the packet was tested against on this node, in the kernel's order, stepping one by one (`perRule` ms
 * each, the first `stepped`) so a student sees why this rule and not another fired; the dice's draw against each
 * probability; the rule that decided, marked.
 */
export function RuleWalk({ hop, perRule, stepped, running }: { hop: Hop; perRule: number; stepped: number; running: boolean }) {
  const rules = hop.evaluated ?? []
  const reduce = useReducedMotion()
  const animate = running && !reduce && perRule > 0
  const [shown, setShown] = useState({ hop, count: animate ? 0 : rules.length })
  // Paused (or without motion) the walk is shown whole; playing, a new hop's walk starts from the top and steps on.
  const count = !animate ? rules.length : shown.hop === hop ? shown.count : 0
  if (animate && shown.hop !== hop) setShown({ hop, count })
  useEffect(() => {
    if (!animate || count >= rules.length) return
    const timer = setTimeout(() => setShown({ hop, count: count + 1 >= stepped ? rules.length : count + 1 }), perRule)
    return () => clearTimeout(timer)
  }, [animate, count, hop, perRule, rules.length, stepped])
  const list = useRef<HTMLOListElement>(null)
  // Keep the rule being tested in view, scrolling the list only (not the page around it); once the walk is whole,
  // show it from the first dice roll, which is what the walk is there to show.
  useEffect(() => {
    const ol = list.current
    const target = ol?.querySelector<HTMLElement>(count >= rules.length ? '.rule-draw, .fired' : '.rule-now')
    if (ol && target) ol.scrollTop = Math.max(0, target.offsetTop - ol.offsetTop - (count >= rules.length ? 4 : ol.clientHeight / 2))
  }, [count, rules.length])
  if (rules.length === 0) return null
  const done = count >= rules.length
  return (
    <div className="rule-walk">
      <div className="rule-walk-title">
        {hop.kernel ? facilityText(hop.kernel) : (hop.chain?.split(' ')[0] ?? 'nat')} rules the first packet was tested against on {hop.at}: {done ? rules.length : `${count} of ${rules.length}`}
      </div>
      {hop.chain ? (
        <div className="rule-walk-chain">
          <code>{hop.chain}</code>
        </div>
      ) : null}
      <ol ref={list} aria-label={`Rules evaluated at ${hop.at}`} tabIndex={0}>
        {rules.slice(0, Math.max(count, 0)).map((r, i) => {
          const fired = done && r.line === hop.rule
          const now = !done && i === count - 1
          // The table, where the walk enters a new one (nftables mode walks ip kube-proxy, then iptables' nat).
          const table = r.table !== undefined && r.table !== rules[i - 1]?.table ? r.table : undefined
          return (
            <li key={i} className={`rule-step${r.matched ? ' matched' : ''}${fired ? ' fired' : ''}${now ? ' rule-now' : ''}${r.draw ? ' rule-draw' : ''}`} style={{ marginLeft: `${r.depth * 0.9}rem` }}>
              {table ? <span className="rule-table">table {table}</span> : null}
              <code>{r.line}</code>
              <span className="rule-outcome">{outcome(r, fired)}</span>
            </li>
          )
        })}
      </ol>
    </div>
  )
}
