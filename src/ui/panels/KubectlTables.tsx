import { useState } from 'react'
import type { PrintedTable } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'

const selectNow = (s: SimulationStore) => s.state.now
const selectSim = (s: SimulationStore) => s.sim

function Table({ title, table }: { title: string; table: PrintedTable }) {
  return (
    <div className="scroll" tabIndex={0} aria-label={`${title} table`}>
      <table>
        <caption>{title}</caption>
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
  )
}

/** The cluster as kubectl lists it; -o wide adds the columns that do not fit a narrow panel (pod IPs and nodes). */
export function KubectlTables() {
  useSim(selectNow)
  const sim = useSim(selectSim)
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
