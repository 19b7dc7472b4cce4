import { useMemo } from 'react'
import { createSimulation, type PrintedTable } from '../sim'
import { DEFAULT_SCENARIO, seedFromLocation } from './defaultScenario'

/** kubectl get, as an accessible HTML table. */
function KubectlTable({ title, command, table }: { title: string; command: string; table: PrintedTable }) {
  const id = title.toLowerCase().replace(/\W+/g, '-')
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} <code>{command}</code>
      </h2>
      <div className="scroll" tabIndex={0} aria-label={`${title} table`}>
      <table>
        <thead>
          <tr>
            {table.headers.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.slice(0, 2).join('/')}>
              {row.map((cell, i) => (
                <td key={i}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  )
}

/**
 * A first look at the simulated cluster: the default scenario, settled, listed as kubectl lists it, with kube-proxy's
 * rule count per node and the story of events. The live graph comes with the cluster view.
 */
export function App() {
  const seed = seedFromLocation(window.location.search)
  const { sim, request } = useMemo(() => {
    const s = createSimulation({ seed, workers: 2 })
    s.apply(DEFAULT_SCENARIO)
    s.settle()
    return { sim: s, request: s.connect('default/client', 'web:80') }
  }, [seed])
  const nodes = sim.list('Node').map((n) => n.metadata.name)
  const events = sim.events().filter((e) => e.object.includes('default/') || e.actor.startsWith('kube-proxy')).slice(-40)
  return (
    <main>
      <header>
        <h1>Service Discovery Simulator</h1>
        <p>
          A kubeadm cluster simulated in your browser (seed {seed}): the Deployment <code>web</code> behind the Service{' '}
          <code>web</code>, as <code>kubectl</code> would show it after {Math.round(sim.now / 1000)} s.
        </p>
      </header>
      <KubectlTable title="Nodes" command="kubectl get nodes -o wide" table={sim.table('nodes', { wide: true })} />
      <KubectlTable title="Pods" command="kubectl get pods -A -o wide" table={sim.table('pods', { wide: true, allNamespaces: true })} />
      <KubectlTable title="Services" command="kubectl get svc -A" table={sim.table('svc', { allNamespaces: true })} />
      <KubectlTable title="EndpointSlices" command="kubectl get endpointslices -A" table={sim.table('endpointslices', { allNamespaces: true })} />
      <section aria-labelledby="rules">
        <h2 id="rules">kube-proxy rules per node</h2>
        <ul>
          {nodes.map((n) => (
            <li key={n}>
              <strong>{n}</strong>: {sim.ruleCount(n)} iptables rules
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="request">
        <h2 id="request">
          One request <code>client → web:80</code>
        </h2>
        <p>
          {request.ok ? `Served by ${request.pod} at ${request.endpoint}; the first packet walked ${request.rulesEvaluated} rules.` : `Failed: ${request.reason}`}
        </p>
        <ol className="hops" aria-label="Hops">
          {request.hops.map((h, i) => (
            <li key={i}>
              <strong>{h.step}</strong> at {h.at}: <code>{h.before.src} → {h.before.dst}</code>
              {h.after.src !== h.before.src || h.after.dst !== h.before.dst ? (
                <>
                  {' '}becomes <code>{h.after.src} → {h.after.dst}</code>
                </>
              ) : null}
              <div className="note">{h.note}</div>
              {h.rule ? <code className="rule">{h.rule}</code> : null}
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="events">
        <h2 id="events">What happened</h2>
        <ol className="events">
          {events.map((e, i) => (
            <li key={i}>
              <time>{(e.time / 1000).toFixed(1)}s</time> <strong>{e.actor}</strong> {e.object}: {e.message}
            </li>
          ))}
        </ol>
      </section>
    </main>
  )
}
