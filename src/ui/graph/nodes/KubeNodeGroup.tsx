import { Handle, Position, type NodeProps } from '@xyflow/react'
import { memo, useMemo } from 'react'
import type { NodeGroupData } from '../graphTypes'
import { useHighlighted } from '../../lessons/highlight'
import { FaultBadges } from '../../faults/FaultBadges'
import { FaultMenu } from '../../faults/FaultMenu'

/**
 * A Kubernetes Node: a group holding its pods, with its address, pod CIDR and kube-proxy's rule count; a worker has
 * a Faults menu, and a Node with faults their badges (a Node that is down is drawn dashed).
 */
export const KubeNodeGroup = memo(function KubeNodeGroup({ data, selected }: NodeProps & { data: NodeGroupData & { kubeletActive?: boolean; proxyActive?: boolean } }) {
  const kubelet = data.kubeletActive ?? false
  const proxy = data.proxyActive ?? false
  const lit = useHighlighted('node', data.name)
  const proxyLit = useHighlighted('kube-proxy', data.name)
  const target = useMemo(() => ({ kind: 'node' as const, name: data.name }), [data.name])
  const down = data.faults?.includes('Node down') ?? false
  return (
    <div className={`k8s-node${data.controlPlane ? ' control-plane' : ''}${selected ? ' selected' : ''}${kubelet ? ' kubelet-active' : ''}${down ? ' node-down' : ''}`} data-kind="node" data-name={data.name} data-kubelet-active={String(kubelet)} {...lit}>
      {/* Where the lines from the outside world arrive: its top, where a packet meets the Node's kernel. */}
      <Handle type="target" position={Position.Top} className="handle" />
      <div className="k8s-node-title">
        <span className="k8s-node-name">{data.name}</span>
        <span className="k8s-node-meta">{data.ip}</span>
        {data.controlPlane ? null : <FaultMenu target={target} label={`Faults on ${data.name}`} compact active={data.faults?.length ?? 0} />}
      </div>
      <div className="k8s-node-meta">pods {data.podCIDR}</div>
      <div className={`kube-proxy-badge${proxy ? ' active' : ''}`} data-kind="kube-proxy" data-name={data.name} data-active={String(proxy)} {...proxyLit}>
        kube-proxy: <strong>{data.rules}</strong> rules
      </div>
      <FaultBadges faults={data.faults} />
    </div>
  )
})
