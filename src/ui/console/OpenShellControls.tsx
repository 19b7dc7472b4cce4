import { useMemo, useState } from 'react'
import { isPodRunning } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim } from '../storeContext'
import type { ShellTarget } from './consoleStore'

const selectPods = (s: SimulationStore) => s.state.pods
const selectNodes = (s: SimulationStore) => s.state.nodes

/** The pod first offered: the client pod the lessons use, when it runs. */
const PREFERRED_POD = 'default/client'

/** A pod's or a node's shell to open, chosen among the pods running now (a shell needs a container) and the nodes. */
export function OpenShellControls({ onOpen }: { onOpen: (target: ShellTarget) => void }) {
  const podTable = useSim(selectPods)
  const nodeTable = useSim(selectNodes)
  const pods = useMemo(() => [...podTable.values()].filter((p) => isPodRunning(p) && !p.metadata.deletionTimestamp).map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort(), [podTable])
  const nodes = useMemo(() => [...nodeTable.keys()].sort(), [nodeTable])
  const [podChoice, setPodChoice] = useState<string>()
  const [nodeChoice, setNodeChoice] = useState<string>()
  const pod = podChoice && pods.includes(podChoice) ? podChoice : pods.includes(PREFERRED_POD) ? PREFERRED_POD : pods[0]
  const node = nodeChoice && nodes.includes(nodeChoice) ? nodeChoice : nodes[0]
  return (
    <div className="console-open" role="group" aria-label="Open a shell">
      <select aria-label="Pod to open a shell in" value={pod ?? ''} onChange={(e) => setPodChoice(e.target.value)} disabled={!pod}>
        {pods.map((p) => (
          <option key={p} value={p}>
            {p.replace(/^default\//, '')}
          </option>
        ))}
      </select>
      <button type="button" disabled={!pod} onClick={() => pod && onOpen({ pod })}>
        Open shell in a pod
      </button>
      <select aria-label="Node to open a shell on" value={node ?? ''} onChange={(e) => setNodeChoice(e.target.value)} disabled={!node}>
        {nodes.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      <button type="button" disabled={!node} onClick={() => node && onOpen({ node })}>
        Open shell on a node
      </button>
    </div>
  )
}
