import type { Pod } from '../model/pod'
import type { Controller } from '../runtime/runtime'
import { KIND_TABLES, type ClusterState, type Table } from '../state'
import type { KubeObject } from '../model/meta'
import { deletePodGracefully } from './podDeletion'
import { release } from '../admission/serviceAllocation'
import type { Service } from '../model/service'

/**
 * The namespace controller: a namespace being deleted has everything in it deleted (pods gracefully), and is removed
 * once its last pod is gone.
 */
export const namespaceController: Controller = {
  name: 'namespace-controller',
  reconcile(state, ctx) {
    for (const name of ctx.take()) {
      const ns = state.namespaces.get(name)
      if (!ns || ns.status.phase !== 'Terminating') continue
      for (const kind of ['Deployment', 'ReplicaSet', 'Service', 'EndpointSlice', 'Endpoints'] as const) {
        for (const obj of inNamespace(state, KIND_TABLES[kind], name)) {
          // A Service gives its ClusterIP and NodePorts back, as the API server's registry does on delete.
          if (kind === 'Service') state = release(state, obj as Service)
          state = ctx.api.remove(state, kind, `${name}/${obj.metadata.name}`)
        }
      }
      for (const obj of state.others.valueSeq().toArray()) {
        if (obj.metadata.namespace === name) state = ctx.api.remove(state, obj.kind, `${name}/${obj.metadata.name}`, obj.apiVersion)
      }
      let podsLeft = 0
      for (const key of ctx.index.podsByNamespace.get(name) ?? []) {
        const pod = state.pods.get(key)
        if (!pod) continue
        podsLeft++
        state = deletePodGracefully(state, ctx.api, pod as Pod)
      }
      if (podsLeft === 0) {
        state = ctx.api.remove(state, 'Namespace', name)
        ctx.record({ actor: 'namespace-controller', action: 'delete', object: `Namespace ${name}`, message: 'All content deleted: namespace removed' })
      } else {
        ctx.after(1000, name)
      }
    }
    return state
  },
}

function inNamespace(state: ClusterState, table: (typeof KIND_TABLES)[keyof typeof KIND_TABLES], ns: string): KubeObject[] {
  return (state[table] as Table<KubeObject>).valueSeq().filter((o) => o.metadata.namespace === ns).toArray()
}
