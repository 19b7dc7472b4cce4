import type { ClusterConfig } from './config'
import { coreDnsController } from './controllers/coreDnsController'
import { daemonSetController } from './controllers/daemonSetController'
import { deploymentController } from './controllers/deploymentController'
import { endpointsController } from './controllers/endpointsController'
import { endpointSliceController } from './controllers/endpointSliceController'
import { endpointSliceMirroringController } from './controllers/endpointSliceMirroringController'
import { garbageCollector } from './controllers/garbageCollector'
import { kubelet } from './controllers/kubelet'
import { kubernetesServiceController } from './controllers/kubernetesServiceController'
import { kubeProxyController } from './controllers/kubeProxy/kubeProxyController'
import { namespaceController } from './controllers/namespaceController'
import { nodeLifecycleController } from './controllers/nodeLifecycleController'
import { rootCACertPublisher } from './controllers/rootCACertPublisher'
import { serviceAccountController } from './controllers/serviceAccountController'
import { replicaSetController } from './controllers/replicaSetController'
import { scheduler } from './controllers/scheduler'
import { serviceLoadBalancerController } from './controllers/serviceLoadBalancerController'
import { CONTROLLER_ORDER, MAX_PASSES, Runtime, type Controller, type ControllerContext } from './runtime/runtime'
import type { RngStreamsState } from './runtime/rng'
import type { History } from './history/history'
import { emptyState, type ClusterState } from './state'

const CONTROLLERS: readonly Controller[] = [
  kubernetesServiceController,
  namespaceController,
  serviceAccountController,
  rootCACertPublisher,
  garbageCollector,
  deploymentController,
  replicaSetController,
  daemonSetController,
  nodeLifecycleController,
  scheduler,
  kubelet,
  endpointSliceController,
  endpointsController,
  endpointSliceMirroringController,
  serviceLoadBalancerController,
  coreDnsController,
  kubeProxyController,
]

if (CONTROLLERS.map((c) => c.name).join() !== CONTROLLER_ORDER.join()) throw new Error('controller list out of order')

/** The result of advancing virtual time until nothing is pending. */
export interface SettleResult {
  readonly settled: boolean
  /** Virtual milliseconds at the end. */
  readonly time: number
  readonly message?: string
}

/**
 * The engine: one state value, the runtime around it, and the reconcile loop. Commands change the state through the
 * API, then `reconcile()` runs the controllers to a fixpoint.
 */
export class Engine {
  state: ClusterState = emptyState()
  readonly rt: Runtime
  /** Every moment since it was started, when the simulation keeps its history (`Simulation.keepHistory`). */
  history: History | undefined
  private readonly contexts = new Map<string, ControllerContext>()

  /** `seed` starts a new RNG stream; an RNG state continues a saved one (restoring a snapshot). */
  constructor(seed: number | RngStreamsState, readonly config: ClusterConfig) {
    this.rt = new Runtime(seed, config)
  }

  /** Runs the controllers in their fixed order until a whole pass changes nothing and no work is queued. */
  reconcile(): void {
    this.rt.now = this.state.now
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let changed = false
      for (const c of CONTROLLERS) {
        if (this.rt.queueSize(c.name) === 0) continue
        const next = c.reconcile(this.state, this.context(c))
        if (next !== this.state) {
          changed = true
          this.state = next
        }
      }
      if (!changed && !this.rt.hasQueuedWork()) return
    }
    throw new Error(`controllers did not reach a fixpoint after ${MAX_PASSES} passes at t=${this.state.now}ms: a controller keeps rewriting state (a bug)`)
  }

  private context(c: Controller): ControllerContext {
    let ctx = this.contexts.get(c.name)
    if (!ctx) this.contexts.set(c.name, (ctx = this.rt.contextFor(c.name)))
    return ctx
  }

  /** Moves virtual time forward by `ms`, firing timers in order and reconciling after each instant. */
  advance(ms: number): void {
    const target = this.state.now + Math.max(0, ms)
    this.reconcile()
    for (let at = this.rt.nextTimerAt(); at !== undefined && at <= target; at = this.rt.nextTimerAt()) {
      this.state = { ...this.state, now: Math.max(this.state.now, at) }
      this.rt.now = this.state.now
      this.rt.fireTimersUpTo(at)
      this.reconcile()
      this.history?.note(this.state)
    }
    if (this.state.now !== target) this.state = { ...this.state, now: target }
    this.rt.now = target
  }

  /** Advances until no timer is pending, within `limitMs` of virtual time and `maxSteps` timer instants. */
  settle(limitMs = 3_600_000, maxSteps = 1_000_000): SettleResult {
    this.reconcile()
    const deadline = this.state.now + limitMs
    let steps = 0
    for (let at = this.rt.nextTimerAt(); at !== undefined; at = this.rt.nextTimerAt()) {
      if (at > deadline || steps++ >= maxSteps) {
        return { settled: false, time: this.state.now, message: `still changing after ${Math.round((this.state.now - deadline + limitMs) / 1000)}s of virtual time: next step due at t=${at}ms` }
      }
      this.advance(at - this.state.now)
    }
    return { settled: true, time: this.state.now }
  }
}
