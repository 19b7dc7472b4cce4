import { Handle, Position, type NodeProps } from '@xyflow/react'
import { memo } from 'react'
import type { SummaryData } from '../graphTypes'

/** 12345 -> "12,345" */
const n = (x: number) => String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** What a summary card says: how many more there are, and how many of what they hold are Ready. */
function lines(d: SummaryData): [string, string] {
  switch (d.of) {
    case 'pods':
      return [`+${n(d.count)} more ${d.count === 1 ? 'pod' : 'pods'}`, `${n(d.ready)} Ready, ${n(d.count - d.ready)} not`]
    case 'nodes':
      return [`+${n(d.count)} more Nodes`, `${n(d.within ?? 0)} pods, ${n(d.ready)} Ready`]
    case 'slices':
      return [`+${n(d.count)} more EndpointSlices`, `${n(d.within ?? 0)} endpoints, ${n(d.ready)} ready`]
    case 'services':
      return [`+${n(d.count)} more Services`, 'all listed in the kubectl tab']
  }
}

/**
 * Cards past those drawn one by one (a Node's further pods, further Nodes, a Service's further slices, further
 * Services): how many, and in what state. Thousands of cards would freeze the page and nobody reads them one by one.
 */
export const SummaryNode = memo(function SummaryNode({ data }: NodeProps & { data: SummaryData }) {
  const [title, line] = lines(data)
  return (
    <div className={`summary summary-${data.of}`} data-kind="summary" data-of={data.of} data-count={data.count} {...(data.node ? { 'data-node': data.node } : {})}>
      {data.of === 'slices' ? <Handle type="target" position={Position.Top} className="handle" /> : <Handle type="target" position={Position.Left} className="handle" />}
      <div className="summary-title">{title}</div>
      <div className="summary-line">{line}</div>
      {data.of === 'slices' ? <Handle type="source" position={Position.Bottom} className="handle" /> : null}
    </div>
  )
})
