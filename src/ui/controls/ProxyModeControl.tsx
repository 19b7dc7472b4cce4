import { useId, useState } from 'react'
import type { ProxyMode } from '../../sim'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useStoreApi } from '../storeContext'
import { CONTINUE_FIRST, useViewingPast } from '../timeline/useViewingPast'

/** Each mode as the control names it, in a line short enough for the header, and at length on hover. */
export const PROXY_MODE_TEXT: Readonly<Record<ProxyMode, { readonly name: string; readonly note: string; readonly more: string }>> = {
  iptables: {
    name: 'iptables',
    note: 'rules walked in order',
    more: 'A chain per Service and per endpoint: a new connection walks KUBE-SERVICES rule by rule until one matches, then draws an endpoint at random.',
  },
  ipvs: {
    name: 'IPVS',
    note: 'hash lookup, round robin',
    more: "The kernel's IPVS load balancer: a Service address is looked up in a hash of virtual servers, and round robin picks the pod; iptables keeps only a few rules matching ipsets.",
  },
  nftables: {
    name: 'nftables',
    note: 'one map lookup, no walk',
    more: 'An nftables table (ip kube-proxy): the destination is looked up in the service-ips map in one step, whatever the number of Services, then a chain picks an endpoint at random.',
  },
}

const MODES = Object.keys(PROXY_MODE_TEXT) as ProxyMode[]

// The mode of the cluster shown: the live one's, or the past moment's.
const selectMode = (s: SimulationStore) => s.state.proxyMode

/**
 * kube-proxy's --proxy-mode for the whole cluster: switching it restarts kube-proxy on every node in the new mode (the
 * `setProxyMode` action, recorded like any other change). Disabled while the past is shown.
 */
export function ProxyModeControl() {
  const store = useStoreApi()
  const mode = useSim(selectMode)
  const past = useViewingPast()
  const [refused, setRefused] = useState<string>()
  const noteId = useId()
  const text = PROXY_MODE_TEXT[mode]
  return (
    <div className="proxy-mode-group">
      <label className="proxy-mode" title={past ? CONTINUE_FIRST : text.more}>
        kube-proxy mode{' '}
        <select
          value={mode}
          disabled={past}
          aria-describedby={noteId}
          onChange={(e) => {
            const r = store.getState().dispatch({ type: 'setProxyMode', mode: e.target.value as ProxyMode })
            setRefused('errors' in r && !r.ok ? (r.errors[0]?.message ?? 'the cluster refused it') : undefined)
          }}
        >
          {MODES.map((m) => (
            <option key={m} value={m}>
              {PROXY_MODE_TEXT[m].name}
            </option>
          ))}
        </select>
      </label>
      {/* Beside the control where the header has room; elsewhere only read out and on hover (app.css): the header keeps two rows. */}
      <span className="proxy-mode-note" id={noteId} title={text.more}>
        {text.name}: {text.note}
      </span>
      {refused ? (
        <span role="alert" className="proxy-mode-refused">
          {refused}
        </span>
      ) : null}
    </div>
  )
}
