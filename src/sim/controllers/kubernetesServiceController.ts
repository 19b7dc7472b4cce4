import { allocate } from '../admission/serviceAllocation'
import type { ClusterConfig } from '../config'
import type { EndpointSlice, Endpoints } from '../model/endpointSlice'
import { deepEqual } from '../model/meta'
import type { Service } from '../model/service'
import { defaultServiceSpec } from '../model/serviceAdmission'
import { numberToIp } from '../runtime/ip'
import type { Controller, ControllerContext } from '../runtime/runtime'
import type { ClusterState } from '../state'

/** DefaultEndpointReconcilerInterval: how often the API server checks its own Service and endpoints. */
export const KUBERNETES_SERVICE_INTERVAL_MS = 10_000
const KEY = 'default/kubernetes'
const TICK = 'tick'

/** The API server's address on the node network (the control plane's InternalIP) and its port. */
const apiServer = (config: ClusterConfig) => ({ ip: numberToIp(config.nodeNetwork.base + 2), port: config.apiServerPort })

/** default/kubernetes as the API server creates it: the first address of the service CIDR, 443 -> the API server. */
export function kubernetesService(config: ClusterConfig): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { ...defaultServiceSpec({ ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: config.apiServerPort }] }), clusterIP: numberToIp(config.serviceCIDR.base + 1) },
    status: { loadBalancer: {} },
  }
}

/** Its Endpoints, which the endpoint reconciler keeps (never mirrored: the API server writes the slice itself). */
export function kubernetesEndpoints(config: ClusterConfig): Endpoints {
  const { ip, port } = apiServer(config)
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  }
}

/** Its EndpointSlice, written by the same reconciler. */
export function kubernetesEndpointSlice(config: ClusterConfig): EndpointSlice {
  const { ip, port } = apiServer(config)
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port, protocol: 'TCP' }],
  }
}

/**
 * The API server's kubernetes service controller (pkg/controlplane/controller/kubernetesservice) and its endpoint
 * reconciler: every 10 s it creates default/kubernetes if it is missing and puts its own endpoint back. Upstream polls;
 * here a deletion (or an edit of the endpoints) wakes it for the next 10 s tick, so an idle cluster has no timer.
 */
export const kubernetesServiceController: Controller = {
  name: 'kubernetes-service-controller',
  reconcile(state, ctx) {
    const keys = ctx.take()
    if (keys.length === 0) return state
    if (!keys.includes(TICK)) {
      if (needsWork(state, ctx.config)) ctx.after(KUBERNETES_SERVICE_INTERVAL_MS - (state.now % KUBERNETES_SERVICE_INTERVAL_MS), TICK)
      return state
    }
    return reconcileOwnObjects(state, ctx)
  },
}

function needsWork(state: ClusterState, config: ClusterConfig): boolean {
  return !state.services.has(KEY) || !endpointsCorrect(state, config)
}

/** The reconciler's check: the Endpoints and the slice hold exactly the API server's address and port. */
function endpointsCorrect(state: ClusterState, config: ClusterConfig): boolean {
  const ep = state.endpoints.get(KEY)
  const slice = state.endpointSlices.get(KEY)
  return !!ep && !!slice && deepEqual(ep.subsets, kubernetesEndpoints(config).subsets) &&
    deepEqual(slice.endpoints, kubernetesEndpointSlice(config).endpoints) && deepEqual(slice.ports, kubernetesEndpointSlice(config).ports)
}

function reconcileOwnObjects(state: ClusterState, ctx: ControllerContext): ClusterState {
  const record = (object: string, message: string) => ctx.record({ actor: 'API server', action: 'create', object, message })
  if (!state.services.has(KEY)) {
    const svc = kubernetesService(ctx.config)
    const ip = svc.spec.clusterIP!
    const holder = state.clusterIPs.get(ip)
    if (holder !== undefined) {
      // Nothing to do until that Service goes: its deletion wakes this controller again.
      record('Service default/kubernetes', `Unable to sync kubernetes service: Service "kubernetes" is invalid: spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated (to Service ${holder})`)
    } else {
      const allocated = allocate(state, svc, undefined, ctx.config, ctx.rng.ipam)
      state = ctx.api.create(allocated.state, { ...svc, spec: allocated.spec }).state
      record('Service default/kubernetes', `The API server created its Service default/kubernetes again (${ip}:443), as it checks every ${KUBERNETES_SERVICE_INTERVAL_MS / 1000}s`)
    }
  }
  if (!endpointsCorrect(state, ctx.config)) {
    const ep = state.endpoints.get(KEY)
    const wanted = kubernetesEndpoints(ctx.config)
    state = ep ? ctx.api.update(state, { ...ep, subsets: wanted.subsets }) : ctx.api.create(state, wanted).state
    const slice = state.endpointSlices.get(KEY)
    const want = kubernetesEndpointSlice(ctx.config)
    state = slice ? ctx.api.update(state, { ...slice, endpoints: want.endpoints, ports: want.ports }) : ctx.api.create(state, want).state
    const { ip, port } = apiServer(ctx.config)
    record('EndpointSlice default/kubernetes', `The API server put its own endpoint (${ip}:${port}) back in Endpoints and EndpointSlice default/kubernetes`)
  }
  return state
}
