import { isProxyMode, PROXY_MODES } from '../model/proxyMode'
import { fmt } from './checks'
import type { ActionDefinition } from './types'

/** Restarts kube-proxy on every node in another --proxy-mode: iptables, ipvs or nftables. */
export const setProxyModeAction: ActionDefinition<'setProxyMode'> = {
  type: 'setProxyMode',
  check: (a) => (isProxyMode(a['mode']) ? undefined : `mode: must be one of ${PROXY_MODES.join(', ')}; it is ${fmt(a['mode'])}`),
  run: (sim, a) => sim.setProxyMode(a.mode),
  describe: (a) => `switch kube-proxy to ${a.mode} mode`,
  recorded: 'accepted',
}
