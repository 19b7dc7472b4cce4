import { Handle, Position, type NodeProps } from '@xyflow/react'
import { Fragment, memo } from 'react'
import { serviceAddressLines } from '../cardData'
import type { ServiceData } from '../graphTypes'
import { useHighlighted } from '../../lessons/highlight'

/** A DNS name that may wrap, but only after a dot. */
function BreakAtDots({ name }: { name: string }) {
  const parts = name.split('.')
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {p}
          {i < parts.length - 1 ? (
            <>
              .<wbr />
            </>
          ) : null}
        </Fragment>
      ))}
    </>
  )
}

/** A Service: its stable name, virtual IP and port (on no interface), and how to reach it from outside. */
export const ServiceNode = memo(function ServiceNode({ data, selected }: NodeProps & { data: ServiceData }) {
  const lit = useHighlighted('service', `${data.namespace}/${data.name}`)
  return (
    <div className={`service${selected ? ' selected' : ''}`} data-kind="service" data-name={`${data.namespace}/${data.name}`} {...lit}>
      <div className="service-title">
        <span className="service-name" title={data.name}>
          {data.name}
        </span>
        <span className="service-type">{data.type}</span>
      </div>
      {serviceAddressLines(data).map((line) => (
        <div className="service-ip" key={line}>
          {line}
        </div>
      ))}
      <div className="service-dns">
        <BreakAtDots name={data.dns} />
      </div>
      {data.reach.map((line) => (
        <div className="service-reach" key={line}>
          {line}
        </div>
      ))}
      <Handle type="source" position={Position.Bottom} className="handle" />
    </div>
  )
})
