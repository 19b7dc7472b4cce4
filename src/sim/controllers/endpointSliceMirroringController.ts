import { MANAGED_BY_LABEL, SERVICE_NAME_LABEL, type Endpoint, type EndpointSlice, type Endpoints } from '../model/endpointSlice'
import { hasSelector } from '../model/service'
import type { Controller } from '../runtime/runtime'
import type { ClusterState } from '../state'

const MIRRORING = 'endpointslicemirroring-controller.k8s.io'
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror'
/** --mirroring-max-endpoints-per-subset. */
const MAX_PER_SUBSET = 1000

/**
 * The EndpointSlice mirroring controller (pkg/controller/endpointslicemirroring): an Endpoints object written by hand
 * for a Service without a selector is mirrored into EndpointSlices, one per subset, so kube-proxy and CoreDNS (which
 * read only slices) see it. Endpoints labelled skip-mirror (default/kubernetes) are left alone.
 */
export const endpointSliceMirroringController: Controller = {
  name: 'endpointslicemirroring-controller',
  reconcile(state, ctx) {
    for (const key of ctx.take()) {
      const ep = state.endpoints.get(key)
      const svc = state.services.get(key)
      const mirror = ep && svc && !hasSelector(svc) && svc.spec.type !== 'ExternalName' && ep.metadata.labels?.[SKIP_MIRROR] !== 'true'
      const desired = mirror ? slicesFor(ep) : []
      const existing: EndpointSlice[] = []
      for (const sliceKey of ctx.index.slicesByService.get(key) ?? []) {
        const s = state.endpointSlices.get(sliceKey)
        if (s?.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING) existing.push(s)
      }
      state = apply(state, ctx, key, desired, existing)
    }
    return state
  },
}

type Body = Pick<EndpointSlice, 'endpoints' | 'ports'> & { labels: Record<string, string>; owner: Endpoints }

function slicesFor(ep: Endpoints): Body[] {
  const labels = { ...ep.metadata.labels, [SERVICE_NAME_LABEL]: ep.metadata.name, [MANAGED_BY_LABEL]: MIRRORING }
  return (ep.subsets ?? []).map((subset) => {
    // Upstream mirrors each address family into its own slices; this cluster is IPv4 single-stack, and its
    // kube-proxy and CoreDNS read only IPv4 slices, so the IPv6 addresses have nowhere to go.
    const endpoints: Endpoint[] = [
      ...(subset.addresses ?? []).map((a) => ({ a, ready: true })),
      ...(subset.notReadyAddresses ?? []).map((a) => ({ a, ready: false })),
    ]
      .filter(({ a }) => !a.ip.includes(':'))
      .slice(0, MAX_PER_SUBSET)
      .map(({ a, ready }) => ({
        addresses: [a.ip],
        conditions: { ready },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      }))
    const ports = (subset.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }))
    return { endpoints, ports, labels, owner: ep }
  })
}

function apply(state: ClusterState, ctx: Parameters<Controller['reconcile']>[1], key: string, desired: Body[], existing: EndpointSlice[]): ClusterState {
  const [ns] = key.split('/')
  desired.forEach((body, i) => {
    const old = existing[i]
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Endpoints', name: body.owner.metadata.name, uid: body.owner.metadata.uid!, controller: true, blockOwnerDeletion: true }]
    if (old) {
      state = ctx.api.update(state, { ...old, metadata: { ...old.metadata, labels: body.labels, ownerReferences }, endpoints: body.endpoints, ports: body.ports })
      return
    }
    const created = ctx.api.create(state, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: '', generateName: `${body.owner.metadata.name}-`, namespace: ns!, labels: body.labels, ownerReferences },
      addressType: 'IPv4', endpoints: body.endpoints, ports: body.ports,
    } as EndpointSlice)
    state = created.state
    ctx.record({ actor: 'endpointslicemirroring-controller', action: 'create', object: `EndpointSlice ${ns}/${created.object.metadata.name}`, message: `Mirrored Endpoints ${key} (${body.endpoints?.length ?? 0} addresses) for a Service without a selector` })
  })
  for (const extra of existing.slice(desired.length)) state = ctx.api.remove(state, 'EndpointSlice', `${ns}/${extra.metadata.name}`)
  return state
}
