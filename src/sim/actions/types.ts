import type { Manifest } from '../commands/apply'
import type { ConnectOptions, ConnectResult } from '../commands/connect'
import type { ResolveResult } from '../commands/resolve'
import type { CommandResult } from '../commands/results'
import type { QueryType } from '../dns/coreDnsAnswer'
import type { FaultKind } from '../model/fault'
import type { ProxyMode } from '../model/proxyMode'

/**
 * Everything a user (or a lesson, a save, a share link, a fuzz test) can do to a cluster, as plain data: what
 * `Simulation.dispatch` runs, what a save records and replays. Each has its file here, with its check and its run.
 */
export type SimAction =
  | { readonly type: 'apply'; readonly manifest: Manifest }
  | { readonly type: 'create'; readonly manifest: Manifest }
  | { readonly type: 'patch'; readonly kind: string; readonly namespace?: string; readonly name: string; readonly patch: Readonly<Record<string, unknown>> }
  | { readonly type: 'delete'; readonly kind: string; readonly namespace?: string; readonly name: string }
  | { readonly type: 'scale'; readonly namespace: string; readonly name: string; readonly replicas: number }
  | { readonly type: 'setImage'; readonly namespace: string; readonly name: string; readonly container: string; readonly image: string }
  | { readonly type: 'rolloutUndo'; readonly namespace: string; readonly name: string }
  | { readonly type: 'advance'; readonly ms: number }
  | { readonly type: 'nextEvent' }
  // A request or a lookup changes conntrack and draws from the seeded RNG, so they are actions like any other.
  | { readonly type: 'connect'; readonly from: string; readonly target: string; readonly options?: ConnectOptions }
  | { readonly type: 'resolve'; readonly pod: string; readonly name: string; readonly queryType?: QueryType }
  // Faults on purpose: `target` is a node, "namespace/pod", or "nodeA,nodeB" for a partition.
  | { readonly type: 'fault'; readonly fault: FaultKind; readonly target: string }
  | { readonly type: 'heal'; readonly fault: FaultKind; readonly target: string }
  // kube-proxy's --proxy-mode, switched on a running cluster (kube-proxy restarts in it on every node).
  | { readonly type: 'setProxyMode'; readonly mode: ProxyMode }

export type ActionType = SimAction['type']
export type ActionOf<T extends ActionType> = Extract<SimAction, { readonly type: T }>

/** What `advance` and `nextEvent` return: where the clock is, and why it did not move when it did not. */
export interface AdvanceResult {
  readonly ok: boolean
  /** Virtual milliseconds at the end. */
  readonly time: number
  readonly message?: string
}

export type ActionResult = CommandResult | ConnectResult | ResolveResult | AdvanceResult

/** The simulation as the actions see it (the Simulation class; an interface so that actions do not import it). */
export interface ActionHost {
  apply(manifest: Manifest): CommandResult
  create(manifest: Manifest): CommandResult
  patch(kind: string, namespace: string | undefined, name: string, patch: object): CommandResult
  delete(kind: string, namespace: string | undefined, name: string): CommandResult
  scale(namespace: string, deployment: string, replicas: number): CommandResult
  setImage(namespace: string, deployment: string, container: string, image: string): CommandResult
  rolloutUndo(namespace: string, deployment: string): CommandResult
  advance(ms: number): AdvanceResult
  nextEvent(): AdvanceResult
  connect(from: string, target: string, options?: ConnectOptions): ConnectResult
  resolve(pod: string, name: string, type?: QueryType): ResolveResult
  fault(fault: FaultKind, target: string): CommandResult
  heal(fault: FaultKind, target: string): CommandResult
  setProxyMode(mode: ProxyMode): CommandResult
}

export interface ActionDefinition<T extends ActionType> {
  readonly type: T
  /** Why `raw` (read from a save or a link) is not an action of this type, naming the field; undefined when it is. */
  check(raw: Readonly<Record<string, unknown>>): string | undefined
  run(host: ActionHost, action: ActionOf<T>): ActionResult
  /** In a few words, for messages and the lesson log: "scale default/web to 5". */
  describe(action: ActionOf<T>): string
  /**
   * Which runs a recorded scenario keeps: the accepted ones (a refused apply changed nothing), all (a request changes
   * conntrack and the RNG whatever its outcome), or none (time: every recorded action carries the time it ran at).
   */
  readonly recorded: 'accepted' | 'always' | 'never'
}
