import { Handle, Position, type NodeProps } from '@xyflow/react'
import { motion, useReducedMotion } from 'framer-motion'
import { memo, useState } from 'react'
import type { PodData } from '../graphModel'

/** A pod: its phase and readiness in words and in colour, its IP once it has one. */
export const PodNode = memo(function PodNode({ data, selected }: NodeProps & { data: PodData }) {
  const reduce = useReducedMotion()
  // A pod that turns Ready while on screen rings once: the moment it joins the EndpointSlice and the rules.
  const [readyAtMount] = useState(data.ready)
  const state = data.gone ? 'gone' : data.terminating ? 'terminating' : data.ready ? 'ready' : data.ip ? 'starting' : 'pending'
  return (
    <motion.div
      className={`pod pod-${state}${selected ? ' selected' : ''}`}
      data-kind="pod"
      data-name={`${data.namespace}/${data.name}`}
      data-ready={String(data.ready)}
      {...(data.gone ? { 'data-gone': 'true' } : {})}
      {...(data.ip ? { 'data-ip': data.ip } : {})}
      initial={reduce ? false : { opacity: 0, scale: 0.8 }}
      animate={data.gone ? { opacity: 0, scale: 0.85 } : { opacity: data.terminating ? 0.6 : 1, scale: 1 }}
      transition={{ duration: reduce ? 0 : data.gone ? 1.1 : 0.35 }}
    >
      <Handle type="target" position={Position.Left} className="handle" />
      {data.ready && !readyAtMount && !reduce ? (
        <motion.span className="ready-ring" aria-hidden="true" initial={{ opacity: 0.9, scale: 1 }} animate={{ opacity: 0, scale: 1.12 }} transition={{ duration: 0.9, ease: 'easeOut' }} />
      ) : null}
      {/* Cut at the start if it must be: pods of one ReplicaSet differ only at the end of their names. */}
      <div className="pod-name" title={data.name}>
        <bdi>{data.name}</bdi>
      </div>
      <div className="pod-line">
        <span className="pod-status">{data.ready && !data.terminating ? 'Ready' : data.status}</span>
        <span className="pod-ip">{data.ip ?? 'no IP yet'}</span>
      </div>
    </motion.div>
  )
})
