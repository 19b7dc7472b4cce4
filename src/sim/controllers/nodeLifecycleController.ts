import type { Controller } from '../runtime/runtime'

/** The node lifecycle controller (kube-controller-manager): watches heartbeats, marks nodes and their pods, taints. */
export const nodeLifecycleController: Controller = {
  name: 'node-lifecycle-controller',
  reconcile(state, ctx) {
    ctx.take()
    return state
  },
}
