import { Handle, Position, type NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { ServiceData } from '../graphModel'

/** A Service: its stable name, virtual IP and port (on no interface), and how to reach it from outside. */
export const ServiceNode = memo(function ServiceNode({ data, selected }: NodeProps & { data: ServiceData }) {
  return (
    <div className={`service${selected ? ' selected' : ''}`} data-kind="service" data-name={`${data.namespace}/${data.name}`}>
      <div className="service-title">
        <span className="service-name">{data.name}</span>
        <span className="service-type">{data.type}</span>
      </div>
      <div className="service-ip">{data.clusterIP} · {data.ports}</div>
      <div className="service-dns" title={data.dns}>{data.dns}</div>
      {data.external ? <div className="service-external">external: {data.external}</div> : null}
      <Handle type="source" position={Position.Bottom} className="handle" />
    </div>
  )
})
