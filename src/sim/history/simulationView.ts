import type { ActionResult, SimAction } from '../actions/types'
import type { ClusterConfig } from '../config'
import { failed } from '../commands/results'
import { ClusterReads, type EventSource } from '../reads'
import type { EventFilter, SimEvent } from '../runtime/events'
import { humanDuration } from '../runtime/time'
import type { RunOptions, RunResult } from '../shell/types'
import type { ClusterState } from '../state'
import type { History } from './history'

/**
 * The cluster as it was at one past moment (`sim.at(t)`): the same reads as the simulation (list, get, kubectl's
 * tables, every node's rules, DNS records, the events up to then, read-only commands), computed from the state it had.
 * Nothing here can change it: a command that would is refused, saying how to change the cluster from that moment.
 */
export class SimulationView extends ClusterReads {
  constructor(
    readonly state: ClusterState,
    readonly config: ClusterConfig,
    private readonly history: History,
  ) {
    super()
  }

  protected get eventLog(): EventSource {
    const t = this.state.now
    const history = this.history
    return {
      list: (filter: EventFilter) => history.eventsUntil(t, filter).events,
      recent: (n: number, filter: EventFilter) => (n <= 0 ? [] : history.eventsUntil(t, filter).events.slice(-n)),
      since: (from: number, filter: EventFilter) => history.eventsUntil(t, filter).events.filter((e: SimEvent) => e.time >= from),
      get total() {
        return history.eventsUntil(t, { writes: true }).total
      },
    }
  }

  /** Why nothing is changed here, in kubectl's manner. */
  get refusal(): string {
    return `error: the cluster is shown as it was at ${humanDuration(this.state.now)} of cluster time: nothing can change it there (choose "Continue from here" to change the cluster from that moment)`
  }

  dispatch(action: SimAction): ActionResult {
    const reason = this.refusal
    if (action.type === 'connect') return { ok: false, reason, hops: [], rulesEvaluated: 0 }
    if (action.type === 'resolve') return { rcode: 'SERVFAIL', answers: [], authority: [], queries: [], hops: [], reason, error: reason }
    if (action.type === 'advance' || action.type === 'nextEvent') return { ok: false, time: this.state.now, message: reason }
    return failed([{ path: '', message: reason }])
  }

  /** Read-only commands print as they would have then; one that would change the cluster is refused. */
  override run(line: string, options: RunOptions = {}): RunResult {
    return super.run(line, { ...options, dispatch: (a) => this.dispatch(a) })
  }
}
