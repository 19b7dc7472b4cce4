import type { NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { ExternalData } from '../graphModel'

/** Outside the cluster: where external clients are, and the cloud load balancer that forwards to a node. */
export const ExternalNode = memo(function ExternalNode({ data }: NodeProps & { data: ExternalData }) {
  const lb = data.name === 'load balancer'
  return (
    <div className={`external external-${lb ? 'lb' : 'internet'}`} data-kind="external" data-name={data.name}>
      <div className="external-title">{lb ? 'Load balancer' : 'Internet'}</div>
      <div className="external-meta">{data.addresses.length ? data.addresses.join(', ') : lb ? 'address <pending>' : ''}</div>
      <div className="external-note">{lb ? 'forwards to a node as is' : 'outside the cluster'}</div>
    </div>
  )
})
