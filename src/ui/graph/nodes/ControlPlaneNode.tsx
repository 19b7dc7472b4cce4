import type { NodeProps } from '@xyflow/react'
import { memo, useContext } from 'react'
import type { ControlPlaneData } from '../graphTypes'
import { HighlightContext } from '../../lessons/highlight'

export const COMPONENTS = ['API server', 'etcd', 'controller manager', 'scheduler'] as const

/** The control plane as the hub of the story; a component is lit while it acts (its last event is recent). */
export const ControlPlaneNode = memo(function ControlPlaneNode({ data }: NodeProps & { data: ControlPlaneData & { active?: readonly string[] } }) {
  const highlighted = useContext(HighlightContext)
  return (
    <div className="control-plane-hub" data-kind="control-plane" data-name="control plane">
      <div className="hub-title">Control plane</div>
      <ul>
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
  )
})
