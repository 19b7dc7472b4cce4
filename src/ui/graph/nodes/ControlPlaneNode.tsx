import type { NodeProps } from '@xyflow/react'
import { motion, useReducedMotion } from 'framer-motion'
import { memo, useContext } from 'react'
import type { ControlPlaneData } from '../graphTypes'
import { HighlightContext } from '../../lessons/highlight'

export const COMPONENTS = ['API server', 'etcd', 'controller manager', 'scheduler'] as const

/** The control plane as the hub of the story; a component is lit while it acts (its last event is recent). */
export const ControlPlaneNode = memo(function ControlPlaneNode({ data }: NodeProps & { data: ControlPlaneData & { active?: readonly string[]; lastWrite?: { readonly revision: string; readonly stored: string; readonly watch: string } } }) {
  const highlighted = useContext(HighlightContext)
  const reduce = useReducedMotion()
  const { revision, stored: writeLine, watch: watchLine } = data.lastWrite ?? {}
  return (
    <div className="control-plane-hub" data-kind="control-plane" data-name="control plane">
      <div className="hub-row">
      <div className="hub-title">Control plane</div>
      <ul>
        {/* A write travels from the API server to etcd, then its watch event on to the watchers (the controllers). */}
        {revision && !reduce ? (
          <motion.span key={revision} className="write-dot" aria-hidden="true" initial={{ left: '12.5%', opacity: 1 }} animate={{ left: ['12.5%', '37.5%', '62.5%'], opacity: [1, 1, 0] }} transition={{ duration: 1.2, times: [0, 0.45, 1] }} />
        ) : null}
        {COMPONENTS.map((c) => {
          const on = data.active?.includes(c) ?? false
          return (
            <li key={c} className={on ? 'active' : undefined} data-kind="component" data-name={c} data-active={String(on)} {...(highlighted('component', c) ? { 'data-highlighted': 'true' } : {})}>
              {c}
              {on ? <span className="visually-hidden"> (acting now)</span> : null}
            </li>
          )
        })}
      </ul>
      </div>
      <div className="hub-write" data-kind="last-write" aria-live="off">
        {writeLine ? (
          <>
            <span className="hub-write-line">{writeLine}</span>
            <span className="hub-watch-line">{watchLine}</span>
          </>
        ) : (
          <span className="hub-write-line hint">Every change is a write to the API server, stored in etcd; watchers are told of it.</span>
        )}
      </div>
    </div>
  )
})
