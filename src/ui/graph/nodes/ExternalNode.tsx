import { Handle, Position, type NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { ExternalData } from '../graphTypes'
import { useHighlighted } from '../../lessons/highlight'

/** How the load balancer forwards: as is (ipMode VIP), to a NodePort (ipMode Proxy), or each Service its own way. */
function lbNote(modes: readonly string[]): string {
  if (modes.length === 2) return 'to a node, as is or to its NodePort'
  return modes[0] === 'Proxy' ? "to a node's NodePort" : 'forwards to a node as is'
}

/** Outside the cluster: where external clients are, and the cloud load balancer that forwards to a node; lines to what they send to. */
export const ExternalNode = memo(function ExternalNode({ data }: NodeProps & { data: ExternalData }) {
  const lb = data.name === 'load balancer'
  const lit = useHighlighted('external', data.name)
  return (
    <div className={`external external-${lb ? 'lb' : 'internet'}`} data-kind="external" data-name={data.name} {...lit}>
      {/* Where its lines leave (to the Nodes, to the load balancer) and arrive (from the Internet). */}
      <Handle type="source" position={Position.Left} className="handle" />
      <Handle type="source" position={Position.Bottom} className="handle" />
      <Handle type="target" position={Position.Top} className="handle" />
      <div className="external-title">{lb ? 'Load balancer' : 'Internet'}</div>
      <div className="external-meta">{data.addresses.length ? data.addresses.join(', ') : lb ? 'address <pending>' : ''}</div>
      <div className="external-note">{lb ? lbNote(data.modes ?? []) : 'outside the cluster'}</div>
    </div>
  )
})
