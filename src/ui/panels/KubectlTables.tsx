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

/** The cluster as kubectl lists it. */
export function KubectlTables() {
  useSim(selectNow)
  const sim = useSim(selectSim)
  return (
    <div className="kubectl">
      <Table title="kubectl get pods -A -o wide" table={sim.table('pods', { wide: true, allNamespaces: true })} />
      <Table title="kubectl get svc -A" table={sim.table('svc', { allNamespaces: true })} />
      <Table title="kubectl get endpointslices -A" table={sim.table('endpointslices', { allNamespaces: true })} />
    </div>
  )
}
