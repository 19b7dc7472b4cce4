import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react'
import { memo } from 'react'

export type ExternalEdgeData = { readonly points: readonly { readonly x: number; readonly y: number }[] }

/**
 * A line from the outside world: drawn through the corners the graph model gave it (along a lane beside the boxes,
 * along a bus above the Nodes, down into a Node's top), so the lines to every Node share their way and cross no card.
 */
export const ExternalEdge = memo(function ExternalEdge({ id, data }: EdgeProps<Edge<ExternalEdgeData>>) {
  const points = data?.points ?? []
  if (points.length < 2) return null
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x},${p.y}`).join(' ')
  return <BaseEdge id={id} path={path} />
})
