import { useEffect, useId, useMemo, useState } from 'react'
import { restoreSimulation, type Pod, type Service, type Simulation } from '../../sim'
import { compareModes, spreadByMode, type ModeComparison, type ModeSpread } from '../../sim/compare/compareModes'
import { hasClusterIP } from '../../sim/model/service'
import type { SimulationStore } from '../../store/simulationStore'
import { useSim, useStoreApi } from '../storeContext'
import { ModeColumn } from './ModeColumn'
import { ScalingChart } from './ScalingChart'
import './modes.css'

/** New connections the spread sends in each mode: a multiple of three, so round robin over three pods is exactly even. */
const REQUESTS = 30

const selectServices = (s: SimulationStore) => s.state.services
const selectPods = (s: SimulationStore) => s.state.pods

const keyOf = (o: { metadata: { namespace?: string; name: string } }) => `${o.metadata.namespace ?? 'default'}/${o.metadata.name}`
const selects = (svc: Service, pod: Pod) => pod.metadata.namespace === svc.metadata.namespace && !!svc.spec.selector && Object.keys(svc.spec.selector).length > 0 && Object.entries(svc.spec.selector).every(([k, v]) => pod.metadata.labels?.[k] === v)

/** The Services kube-proxy programs (a ClusterIP), the user's own first, then kube-system's. */
function serviceChoices(services: Iterable<Service>): string[] {
  const keys = [...services].filter(hasClusterIP).map(keyOf)
  const rank = (k: string) => (k.startsWith('kube-system/') ? 2 : k === 'default/kubernetes' ? 1 : 0)
  return keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
}

/** Pods that can send the request: running, outside kube-system, not behind the Service itself; "client" ones first. */
function clientChoices(pods: Iterable<Pod>, svc: Service | undefined): string[] {
  const keys = [...pods].filter((p) => p.metadata.namespace !== 'kube-system' && p.status.phase === 'Running' && !p.metadata.deletionTimestamp && !(svc && selects(svc, p))).map(keyOf)
  const rank = (k: string) => (/\/client/.test(k) ? 0 : 1)
  return keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
}

interface Computed<T> {
  readonly key: string
  /** The cluster time it was computed at. */
  readonly at: number
  readonly value: T
  /** A copy of the cluster as it was then (never run): what the batches are sent on, so that they follow the request. */
  readonly base?: Simulation
}

/**
 * "One Service, three modes": the same request from a client pod to a Service's ClusterIP in iptables, IPVS and
 * nftables modes, side by side, each on its own copy of the cluster (the live one is not touched): the rules its node
 * consulted as its tools print them (what decided highlighted), where the packet went, how many rules it walked; a
 * batch of new connections per mode; and how the cost grows with the number of Services.
 */
export function ModeComparisonPanel({ service: preferred }: { service?: string | undefined }) {
  const store = useStoreApi()
  const services = useSim(selectServices)
  const pods = useSim(selectPods)
  const id = useId()
  const serviceKeys = useMemo(() => serviceChoices(services.values()), [services])
  const [picked, setPicked] = useState(preferred)
  const service = picked && serviceKeys.includes(picked) ? picked : serviceKeys[0]
  const svc = service ? services.get(service) : undefined
  const clientKeys = useMemo(() => clientChoices(pods.values(), svc), [pods, svc])
  const [pickedClient, setPickedClient] = useState<string>()
  const client = pickedClient && clientKeys.includes(pickedClient) ? pickedClient : clientKeys[0]
  const [generation, setGeneration] = useState(0)
  const key = `${service}|${client}|${generation}`
  const [comparison, setComparison] = useState<Computed<ModeComparison>>()
  const [spread, setSpread] = useState<Computed<ModeSpread>>()
  // Three copies of the cluster are made and run: after the first paint, so the panel opens at once.
  useEffect(() => {
    if (!service || !client) return
    const timer = setTimeout(() => {
      const restored = restoreSimulation(store.getState().sim.snapshot())
      if (!restored.ok) setComparison({ key, at: store.getState().sim.now, value: { ok: false, error: restored.error } })
      else setComparison({ key, at: restored.sim.now, value: compareModes(restored.sim, service, client), base: restored.sim })
    }, 0)
    return () => clearTimeout(timer)
  }, [store, key, service, client])
  const current = comparison?.key === key ? comparison : undefined
  const counts = spread?.key === key && spread.value.ok ? spread.value : undefined
  // Each press sends the next batch on the same copies (the ones before replayed, uncounted): a new random spread in
  // iptables and nftables modes, and round robin going on where it was in IPVS mode.
  const sendBatch = () => {
    if (!service || !client || !current?.base) return
    const skip = counts ? counts.skipped + counts.requests : 0
    setSpread({ key, at: current.at, value: spreadByMode(current.base, service, client, REQUESTS, skip) })
  }
  return (
    <div className="mode-comparison">
      <section aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`} className="mode-section-title">
          One Service, three modes
        </h3>
        <div className="mode-pickers row">
          <label>
            Service{' '}
            <select value={service ?? ''} onChange={(e) => setPicked(e.target.value)} disabled={!serviceKeys.length}>
              {serviceKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label>
            Client pod{' '}
            <select value={client ?? ''} onChange={(e) => setPickedClient(e.target.value)} disabled={!clientKeys.length}>
              {clientKeys.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => setGeneration((g) => g + 1)} disabled={!service || !client}>
            Compare again
          </button>
          <button type="button" className="primary" onClick={sendBatch} disabled={!current?.value.ok}>
            {counts ? `Send ${REQUESTS} more in each mode` : `Send ${REQUESTS} requests in each mode`}
          </button>
        </div>
        <p className="hint" role="status">
          {!service
            ? 'No Service with a ClusterIP to compare.'
            : !client
              ? 'No running pod outside the Service to send from.'
              : !current
                ? 'Comparing…'
                : current.value.ok
                  ? `${client} → ${current.value.target} (${service}), on three copies of the cluster as it was at t = ${(current.at / 1000).toFixed(1)} s, one switched to each mode; your cluster is not changed.${counts ? ` Then ${counts.skipped ? `new connections ${counts.skipped + 1} to ${counts.skipped + REQUESTS}` : `${REQUESTS} new connections`} in each.` : ''}`
                  : current.value.error}
        </p>
        {current?.value.ok ? (
          <div className="mode-columns">
            {current.value.modes.map((run) => (
              <ModeColumn key={run.mode} run={run} service={service!} requests={REQUESTS} spread={counts?.modes.find((m) => m.mode === run.mode)} />
            ))}
          </div>
        ) : null}
      </section>
      <ScalingChart />
    </div>
  )
}
