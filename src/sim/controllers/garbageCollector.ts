import type { Pod } from '../model/pod'
import type { Controller } from '../runtime/runtime'
import { deletePodGracefully } from './podDeletion'

/**
 * The garbage collector, in background-propagation mode: when an owner is gone, its dependents are deleted (pods
 * gracefully); their own dependents follow in turn. Objects with several owners are not modelled: the first owner to
 * go takes them along.
 */
export const garbageCollector: Controller = {
  name: 'garbage-collector',
  reconcile(state, ctx) {
    for (const uid of ctx.take()) {
      for (const dep of ctx.index.dependentsOf(uid)) {
        const bar = dep.indexOf('|')
        const kind = dep.slice(0, bar)
        const key = dep.slice(bar + 1)
        const obj = ctx.api.lookup(state, kind, key)
        if (!obj) continue
        ctx.record({ actor: 'garbage-collector', action: 'delete', object: `${kind} ${key}`, message: `Owner is gone: deleting ${kind} ${key}` })
        state = kind === 'Pod' ? deletePodGracefully(state, ctx.api, obj as Pod) : ctx.api.remove(state, kind, key)
      }
    }
    return state
  },
}
