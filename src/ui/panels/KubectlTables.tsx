import { Fragment, useState } from 'react'
import type { PrintedTable } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { thousands } from '../largeChange'
import { useStoreApi, useSim } from '../storeContext'
import { useThrottledStore } from '../useThrottledStore'

const selectNow = (s: SimulationStore) => s.state.now
const selectPods = (s: SimulationStore) => s.state.pods

/** Beyond this many rows a table is cut (thousands of rows are read by nobody and cost the page seconds). */
const MAX_ROWS = 200

/** A cell's text with places to wrap after its hyphens, commas and slashes (not inside an address): a narrow panel wraps a long name instead of cutting it off. */
function Wrappable({ text }: { text: string }) {
  const parts = text.split(/(?<=[-,/])/)
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {p}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  )
}

function Table({ title, table }: { title: string; table: PrintedTable }) {
  const rows = table.rows.slice(0, MAX_ROWS)
  return (
    <div className="kubectl-table" tabIndex={0} aria-label={`${title} table`}>
      <table>
        <caption>
          <code>{title}</code>
        </caption>
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
          {rows.map((row) => (
            <tr key={row.slice(0, 2).join('/')}>
              {row.map((cell, i) => (
                <td key={i}>
                  <Wrappable text={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {table.rows.length > rows.length ? (
        <p className="hint">
          … and {thousands(table.rows.length - rows.length)} more rows, not drawn here (kubectl would print every one).
        </p>
      ) : null}
    </div>
  )
}

/**
 * The cluster as kubectl lists it, in a panel wide enough for its columns (the side panel widens for this tab), long
 * names wrapping where kubectl's columns would run off a narrow terminal; -o wide adds pod IPs and nodes.
 */
export function KubectlTables() {
  // Redrawn once a second (the AGE column), not every frame: a table of thousands of pods costs a frame to build.
  const store = useStoreApi()
  useThrottledStore(store, selectNow, 1000)
  useSim(selectPods)
  // Live, or as kubectl would have printed it at the moment shown (read when the clock or the pods say to redraw, not
  // for every moment a playing past passes through).
  const sim = store.getState().reader
  const [wide, setWide] = useState(false)
  const flag = wide ? ' -o wide' : ''
  return (
    <div className="kubectl">
      <label>
        <input type="checkbox" checked={wide} onChange={(e) => setWide(e.target.checked)} /> -o wide
      </label>
      <Table title={`kubectl get pods -A${flag}`} table={sim.table('pods', { wide, allNamespaces: true })} />
      <Table title={`kubectl get svc -A${flag}`} table={sim.table('svc', { wide, allNamespaces: true })} />
      <Table title="kubectl get endpointslices -A" table={sim.table('endpointslices', { allNamespaces: true })} />
    </div>
  )
}
