import type { KubeObject } from '../model/meta'
import type { Controller } from '../runtime/runtime'
import { serviceAccountOf } from '../admission/serviceAccount'

/** A ServiceAccount as the serviceaccount controller creates it (no token Secret since Kubernetes 1.24). */
export function serviceAccount(namespace: string, name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } }
}

/**
 * The serviceaccount controller (pkg/controller/serviceaccount): every active namespace has a ServiceAccount named
 * `default`, created when the namespace is and again whenever it is deleted.
 */
export const serviceAccountController: Controller = {
  name: 'serviceaccount-controller',
  reconcile(state, ctx) {
    for (const ns of ctx.take()) {
      if (state.namespaces.get(ns)?.status.phase !== 'Active' || serviceAccountOf(state, ns, 'default')) continue
      const created = ctx.api.create(state, serviceAccount(ns, 'default'))
      state = created.state
      ctx.record({ actor: 'serviceaccount-controller', action: 'create', object: `ServiceAccount ${ns}/default`, message: `Created ServiceAccount default in namespace ${ns}` })
    }
    return state
  },
}
