import type { Engine } from '../engine'
import { isKubeProxyStalled } from '../faults'
import { isProxyMode, PROXY_MODES, type ProxyMode } from '../model/proxyMode'
import { failed, type CommandResult } from './results'

const WHAT: Record<ProxyMode, string> = {
  iptables: 'iptables rules (a chain per Service and per endpoint, walked in order)',
  ipvs: 'IPVS virtual servers (a hash of Service addresses, round robin to the endpoints), with ipsets and a few iptables rules',
  nftables: 'an nftables table (ip kube-proxy: maps from Service address to a chain, then a random endpoint)',
}

/**
 * Switches kube-proxy's --proxy-mode for the cluster, as an operator edits the kube-proxy ConfigMap and restarts the
 * DaemonSet: on each node kube-proxy starts in the new mode, removes what the old one wrote (`--cleanup`: its chains,
 * its IPVS virtual servers and kube-ipvs0, its nftables table) and syncs in full. Between the two, for a moment, the
 * node has no Service rules. A node whose kube-proxy does not run (stalled, node down) switches when it next syncs.
 */
export function setProxyMode(engine: Engine, mode: unknown): CommandResult {
  if (!isProxyMode(mode)) return failed([{ path: 'mode', message: `mode: Unsupported value: ${JSON.stringify(mode)}: supported values: ${PROXY_MODES.map((m) => `"${m}"`).join(', ')}` }])
  const before = engine.state.proxyMode
  if (before === mode) return failed([{ path: 'mode', message: `mode: Invalid value: "${mode}": kube-proxy already runs in ${mode} mode` }])
  let { proxies, net } = engine.state
  const now = engine.state.now
  for (const [node, view] of proxies) {
    if (isKubeProxyStalled(engine.state, node)) continue
    proxies = proxies.set(node, { services: view.services.clear(), endpointSlices: view.endpointSlices.clear(), syncedAt: now, mode })
    const n = net.get(node)
    if (n?.ipvs) {
      const { ipvs: _flushed, ...rest } = n
      net = net.set(node, rest)
    }
  }
  engine.state = { ...engine.state, proxyMode: mode, proxies, net }
  engine.rt.record({
    time: now, actor: 'user', action: 'set-proxy-mode', object: 'DaemonSet kube-system/kube-proxy',
    message: `kube-proxy restarts in ${mode} mode (was ${before}): on each node it removes what ${before} mode wrote and programs ${WHAT[mode]}`,
  })
  for (const node of engine.state.nodes.keys()) engine.rt.enqueue('kube-proxy', `restart:${node}`)
  engine.reconcile()
  return { ok: true, errors: [], applied: [{ kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy', result: 'restarted', simulated: true, message: `daemonset.apps/kube-proxy restarted (--proxy-mode=${mode})` }] }
}
