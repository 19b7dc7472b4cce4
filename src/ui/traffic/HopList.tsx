import { useEffect, useRef } from 'react'
import { visibleHops, type TrafficStore } from '../../store/trafficStore'
import { useTraffic, useTrafficApi } from '../storeContext'
import { flowText, rewriteName, stepName } from './hopText'
import { stepByArrows } from './stepByArrows'

const selectRequest = (s: TrafficStore) => s.batch?.sent[s.selected]
const selectHop = (s: TrafficStore) => s.hop
const selectFilters = (s: TrafficStore) => s.filters

/** Every hop of the watched request, in order: where, what, the header and how it was rewritten. Click one to go there. */
export function HopList() {
  const traffic = useTrafficApi()
  const request = useTraffic(selectRequest)
  const current = useTraffic(selectHop)
  const filters = useTraffic(selectFilters)
  const list = useRef<HTMLOListElement>(null)
  // The current hop stays in view, scrolling the list only.
  useEffect(() => {
    const ol = list.current
    const li = ol?.querySelector<HTMLElement>('[aria-current="step"]')
    if (!ol || !li) return
    const top = li.offsetTop - ol.offsetTop
    if (top < ol.scrollTop || top + li.offsetHeight > ol.scrollTop + ol.clientHeight) ol.scrollTop = top - ol.clientHeight / 3
  }, [current, request])
  if (!request) return null
  const hops = request.result.hops
  return (
    <ol className="hops" aria-label="Hops" ref={list} onKeyDown={stepByArrows(traffic.getState())}>
      {visibleHops(hops, filters).map((i) => {
        const h = hops[i]!
        const rewrite = rewriteName(h)
        return (
          <li key={i} aria-current={i === current ? 'step' : undefined} className={`hop hop-${h.phase}${i === current ? ' current' : ''}`} data-step={h.step}>
            <button type="button" className="hop-button" onClick={() => traffic.getState().jump(i)}>
              <span className="hop-index">{i + 1}</span> <strong>{stepName(h)}</strong> at {h.at}
              <span className="hop-phase"> · {h.phase}</span>
              <code className="hop-flow">
                {h.before.proto} {flowText(h.before)}
              </code>
              {rewrite ? (
                <code className="hop-flow after">
                  {rewrite}: {flowText(h.after)}
                </code>
              ) : null}
            </button>
          </li>
        )
      })}
    </ol>
  )
}
