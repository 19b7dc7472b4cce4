import { Handle, Position, type NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { SliceData } from '../graphTypes'
import { useHighlighted } from '../../lessons/highlight'

/** An EndpointSlice: between its Service and the pods it lists, with the ports it resolved the targetPort to. */
export const SliceNode = memo(function SliceNode({ data, selected }: NodeProps & { data: SliceData }) {
  const lit = useHighlighted('slice', `${data.namespace}/${data.name}`)
  return (
    <div className={`slice${selected ? ' selected' : ''}`} data-kind="endpointslice" data-name={`${data.namespace}/${data.name}`} {...lit}>
      <Handle type="target" position={Position.Top} className="handle" />
      <div className="slice-title">
        <span className="slice-name" title={data.name}>
          {data.name}
        </span>
        <span className="slice-kind">EndpointSlice</span>
      </div>
      <div className="slice-count">
        {data.ready} ready / {data.total} {data.total === 1 ? 'endpoint' : 'endpoints'}
      </div>
      <div className="slice-ports">{data.ports}</div>
      <Handle type="source" position={Position.Bottom} className="handle" />
    </div>
  )
})
