import type { ReactFlowInstance } from '@xyflow/react'

export interface Point {
  readonly x: number
  readonly y: number
}

/**
 * Where in the graph a hop happens (flow coordinates): a pod at its card's centre, a Node's kernel on the top edge of
 * its group (where the pod network and the outside world meet it), the Internet and the load balancer at their
 * boxes. A pod that is not drawn (its namespace hidden) is shown at its Node, where it runs, given `nodeOf`.
 * Undefined when the place is not drawn at all (a pod gone).
 */
export function anchorOf(flow: Pick<ReactFlowInstance, 'getInternalNode'>, at: string, nodeOf?: (pod: string) => string | undefined): Point | undefined {
  const drawn = place(flow, at)
  if (drawn || !at.includes('/') || !nodeOf) return drawn
  const node = nodeOf(at)
  return node ? place(flow, node) : undefined
}

function place(flow: Pick<ReactFlowInstance, 'getInternalNode'>, at: string): Point | undefined {
  const id = at === 'internet' ? 'ext:internet' : at === 'load balancer' ? 'ext:lb' : at.includes('/') ? `pod:${at}` : `node:${at}`
  const n = flow.getInternalNode(id)
  if (!n) return undefined
  const { x, y } = n.internals.positionAbsolute
  const w = n.measured.width ?? n.width ?? 0
  const h = n.measured.height ?? n.height ?? 0
  if (id.startsWith('node:')) return { x: x + w / 2, y }
  if (id.startsWith('ext:')) return { x: x + w, y: y + h / 2 }
  return { x: x + w / 2, y: y + h / 2 }
}

/** Where a Service's card is: a packet addressed to its ClusterIP points there (the address lives on no interface). */
export function serviceAnchor(flow: Pick<ReactFlowInstance, 'getInternalNode'>, service: string): Point | undefined {
  const n = flow.getInternalNode(`svc:${service}`)
  if (!n) return undefined
  const { x, y } = n.internals.positionAbsolute
  return { x: x + (n.measured.width ?? n.width ?? 0) / 2, y: y + (n.measured.height ?? n.height ?? 0) }
}
