import type { NodeProxyRules } from '../controllers/kubeProxy/proxyRules'
import type { ActionResult, SimAction } from '../actions/types'
import type { ClusterConfig } from '../config'
import type { KubeObject } from '../model/meta'
import type { EventFilter, SimEvent } from '../runtime/events'
import type { ClusterState } from '../state'

/** Where a command line runs: the student's own machine (kubectl), inside a pod's container, or on a node. */
export interface RunOptions {
  /** What the command reads on its standard input (`kubectl apply -f -`); a here-document in the line wins. */
  readonly stdin?: string
  /** Run in a shell on this node (its iptables, conntrack, crictl). */
  readonly node?: string
  /** Run inside this pod's container ("ns/name", or "name" in default), as `kubectl exec POD -- sh` would. */
  readonly pod?: string
  /**
   * How commands that change the cluster send their actions (default: the simulation's own dispatch). The app passes
   * its store's, so that what the student types is recorded, replayed and shared like a click.
   */
  readonly dispatch?: (action: SimAction) => ActionResult
  /**
   * A following command run again (see RunResult.follows): the `resumeAfter` it returned last time, so that
   * `kubectl get -w` prints only what changed since, as its watch would.
   */
  readonly after?: string
  /** Files in the working directory of the student's machine (`kubectl apply -f web.yaml`, `cat web.yaml`), by name. */
  readonly files?: Readonly<Record<string, string>>
}

/** What a command line printed, and how it ended, as a terminal shows it. */
export interface RunResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  /**
   * The command would go on running on a real machine (`kubectl get -w`, `rollout status` of a rollout under way): a
   * terminal runs it again as the cluster changes and prints what is new, until it no longer follows or Ctrl-C.
   */
  readonly follows?: boolean
  /** Where a following command's watch stands (a resourceVersion): pass it back as `after` when running it again. */
  readonly resumeAfter?: string
  /** stderr was written before stdout (curl -v's trace comes before the page), so a terminal shows it first. */
  readonly stderrFirst?: boolean
  /** `kubectl exec -it POD -- sh` and the like: the terminal opens an interactive shell there. */
  readonly session?: { readonly pod?: string; readonly node?: string }
}

/** Output helpers: every command returns one of these. */
export const ok = (stdout: string): RunResult => ({ exitCode: 0, stdout, stderr: '' })
export const fail = (stderr: string, exitCode = 1, stdout = ''): RunResult => ({ exitCode, stdout, stderr: stderr.endsWith('\n') || stderr === '' ? stderr : `${stderr}\n` })

/** The simulation as the shell and kubectl see it (the Simulation class; an interface so that they do not import it). */
export interface ShellHost {
  readonly state: ClusterState
  readonly now: number
  readonly config: ClusterConfig
  list(kind: string, namespace?: string): KubeObject[]
  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined
  events(filter?: EventFilter): SimEvent[]
  /** kubectl exec's error for a pod whose container cannot be entered; undefined when it runs. */
  containerProblem(pod: string): string | undefined
  env(pod: string): Record<string, string> | undefined
  resolvConf(pod: string): string | undefined
  kubeProxyRules(node: string): string | undefined
  iptablesSave(node: string): string | undefined
  /** What kube-proxy wrote on the node, in its mode (IPVS's servers and ipsets, the nftables table). */
  proxyRules(node: string): NodeProxyRules | undefined
  dispatch(action: SimAction): ActionResult
}

/** What every command is handed: the simulation, its input, and how to send actions. */
export interface CommandContext {
  readonly host: ShellHost
  readonly stdin?: string
  readonly dispatch: (action: SimAction) => ActionResult
  readonly after?: string
  readonly files: Readonly<Record<string, string>>
}
