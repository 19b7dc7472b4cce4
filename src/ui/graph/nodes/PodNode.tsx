import { Handle, Position, type NodeProps } from '@xyflow/react'
import { motion, useReducedMotion } from 'framer-motion'
import { memo, useMemo, useState } from 'react'
import type { PodData } from '../graphTypes'
import { LAYOUT } from '../graphTypes'
import { fitName } from './fitName'
import { useHighlighted } from '../../lessons/highlight'
import { FaultBadges } from '../../faults/FaultBadges'
import { FaultMenu } from '../../faults/FaultMenu'

/** The width a pod's name may take on its card (graph units): the card less its padding and borders. */
const NAME_WIDTH = LAYOUT.podWidth - 2 * 8 - 2 * 2
/** The room left beside the Faults menu button (24 units, 2 from the card's right edge, in its padding of 8) and a gap of 2. */
const NAME_WIDTH_BESIDE_MENU = NAME_WIDTH - (24 + 2 - 8) - 2

let context: CanvasRenderingContext2D | null | undefined
const widths = new Map<string, number>()
/** How wide a text is in the pod name's font (measured once per text, on a canvas). */
function measure(text: string): number {
  let w = widths.get(text)
  if (w !== undefined) return w
  if (context === undefined) {
    context = document.createElement('canvas').getContext('2d')
    if (context) context.font = `600 14px ${getComputedStyle(document.body).fontFamily}`
  }
  w = context ? context.measureText(text).width : text.length * 8.2
  widths.set(text, w)
  return w
}

/**
 * A pod: its name (cut in the middle if it must be), its phase and readiness in words and colour, its IP once it has
 * one, during a batch how many requests it served, a Faults menu, and the badges of its faults.
 */
export const PodNode = memo(function PodNode({ data, selected }: NodeProps & { data: PodData & { acting?: boolean } }) {
  const reduce = useReducedMotion()
  const lit = useHighlighted('pod', `${data.namespace}/${data.name}`)
  // A pod that turns Ready while on screen rings once: the moment it joins the EndpointSlice and the rules.
  const [readyAtMount] = useState(data.ready)
  const state = data.gone ? 'gone' : data.terminating ? 'terminating' : data.ready ? 'ready' : data.ip ? 'starting' : 'pending'
  const name = fitName(data.name, data.gone ? NAME_WIDTH : NAME_WIDTH_BESIDE_MENU, measure)
  const target = useMemo(() => ({ kind: 'pod' as const, namespace: data.namespace, name: data.name }), [data.namespace, data.name])
  const status = data.ready && !data.terminating ? 'Ready' : data.status
  return (
    <motion.div
      className={`pod pod-${state}${selected ? ' selected' : ''}${data.acting ? ' acting' : ''}`}
      data-kind="pod"
      {...lit}
      data-name={`${data.namespace}/${data.name}`}
      data-ready={String(data.ready)}
      {...(data.acting ? { 'data-active': 'true' } : {})}
      {...(data.gone ? { 'data-gone': 'true' } : {})}
      {...(data.ip ? { 'data-ip': data.ip } : {})}
      {...(data.served !== undefined ? { 'data-served': String(data.served) } : {})}
      initial={reduce ? false : { opacity: 0, scale: 0.8 }}
      animate={data.gone ? { opacity: 0, scale: 0.85 } : { opacity: data.terminating ? 0.6 : 1, scale: 1 }}
      transition={{ duration: reduce ? 0 : data.gone ? 1.1 : 0.35 }}
    >
      <Handle type="target" position={Position.Left} className="handle" />
      {data.ready && !readyAtMount && !reduce ? (
        <motion.span className="ready-ring" aria-hidden="true" initial={{ opacity: 0.9, scale: 1 }} animate={{ opacity: 0, scale: 1.12 }} transition={{ duration: 0.9, ease: 'easeOut' }} />
      ) : null}
      <div className="pod-name" title={data.name}>
        {name}
        {name !== data.name ? <span className="visually-hidden"> ({data.name})</span> : null}
      </div>
      <div className="pod-line">
        {/* During a batch the count of requests it served stands where its status was (Ready, or it would serve none). */}
        {data.served !== undefined && data.served > 0 ? <span className="pod-served">{data.served} served</span> : <span className="pod-status">{status}</span>}
        {/* A long status (ContainerCreating) leaves no room for "no IP yet": the dotted border says it. */}
        {data.ip || status.length <= 10 ? <span className="pod-ip">{data.ip ?? 'no IP yet'}</span> : null}
      </div>
      {data.gone ? null : <FaultMenu target={target} label={`Faults on pod ${data.name}`} compact active={data.faults?.length ?? 0} />}
      <FaultBadges faults={data.faults} />
    </motion.div>
  )
})
