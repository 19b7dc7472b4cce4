const PODS = [
  ['ready', 'Ready: in the Service\'s endpoints and rules'],
  ['starting', 'Running, not Ready yet (probe pending)'],
  ['pending', 'Pending: no IP yet'],
  ['terminating', 'Terminating: grace period running'],
  ['gone', 'fading: removed from the API server'],
] as const

const EDGES = [
  ['ready', 'ready endpoint: traffic goes here'],
  ['serving', 'serving, not ready'],
  ['not-ready', 'not ready: no traffic'],
  ['terminating', 'terminating: only if nothing is ready'],
  ['external-nodeport', 'from the Internet to a NodePort on every Node'],
  ['external-lb', 'from the load balancer to a Node'],
] as const

/**
 * What the colours and line styles mean; in words too, so colour is never the only signal. It lives in the side panel:
 * opened over the graph, it hid the very cards it explains.
 */
export function Legend() {
  return (
    <details className="legend">
      <summary>Legend</summary>
      <ul aria-label="Pods">
        {PODS.map(([state, text]) => (
          <li key={state}>
            <span className={`legend-pod pod-${state}`} aria-hidden="true" /> {text}
          </li>
        ))}
      </ul>
      <ul aria-label="Endpoint edges">
        {EDGES.map(([condition, text]) => (
          <li key={condition}>
            <svg className={`legend-edge ${condition.startsWith('external') ? condition : `endpoint-${condition}`}`} width="34" height="10" aria-hidden="true">
              <line x1="1" y1="5" x2="33" y2="5" />
            </svg>{' '}
            {text}
          </li>
        ))}
      </ul>
    </details>
  )
}
