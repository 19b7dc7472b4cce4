import { BaseEdge, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react'
import { memo } from 'react'

export type EndpointEdgeData = { readonly entry?: { readonly x: number; readonly y: number } }

/** How tightly the edge turns from the Node's margin into its pod. */
const TURN = 6

/**
 * An endpoint: from its EndpointSlice down to where the pod's Node begins, then down the Node's left margin and into
 * the pod. Routed so, edges never cross a Node's header or the pods above their own.
 */
export const EndpointEdge = memo(function EndpointEdge({ id, sourceX, sourceY, targetX, targetY, data, sourcePosition, targetPosition, style }: EdgeProps<Edge<EndpointEdgeData>>) {
  const entry = data?.entry
  let path: string
  if (entry && entry.y > sourceY && targetY > entry.y + TURN) {
    const bend = (entry.y - sourceY) / 2
    path =
      `M ${sourceX},${sourceY} C ${sourceX},${sourceY + bend} ${entry.x},${entry.y - bend} ${entry.x},${entry.y}` +
      ` L ${entry.x},${targetY - TURN} Q ${entry.x},${targetY} ${entry.x + TURN},${targetY} L ${targetX},${targetY}`
  } else {
    ;[path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition })
  }
  return <BaseEdge id={id} path={path} {...(style ? { style } : {})} />
})
