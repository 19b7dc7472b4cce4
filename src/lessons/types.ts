import type { Manifest, ProxyMode, SimAction, Simulation } from '../sim'

/** What a step's condition, narration and highlights read: the cluster, and what was done since the step began. */
export interface LessonContext {
  readonly sim: Simulation
  /** The actions recorded since the step began (the student's own and "Do it for me"'s), oldest first. */
  readonly actions: readonly SimAction[]
  /** The command lines typed in the console since the step began, oldest first, with the shell they ran in. */
  readonly commands: readonly TypedCommand[]
}

/** A line typed in the console: on the student's machine, or in a pod's or a node's shell. */
export interface TypedCommand {
  readonly line: string
  readonly pod?: string
  readonly node?: string
}

/**
 * A graph element to point at: cards are found by kind and name (`default/web`, `worker-1`, `API server`), or by a
 * name prefix (`default/web-` for web's pods); `kube-proxy` is the kube-proxy of the named node (drawn on its Node). The elements get `data-highlighted="true"`.
 */
export type Highlight =
  | { readonly kind: 'service' | 'slice' | 'pod' | 'node' | 'component' | 'external' | 'kube-proxy'; readonly name: string }
  | { readonly kind: 'service' | 'slice' | 'pod' | 'node'; readonly prefix: string }

/** Panels a step can open beside its narration: tool output as a real cluster prints it, read from the simulation. */
export interface Exhibit {
  /** What it is, as a terminal's title would say: `etcdctl get /registry/services/specs/default/web`. */
  readonly title: string
  readonly text: string
}

export interface LessonStep {
  readonly title: string
  /** What happens, why, and what it is called on a real cluster: plain words, one or more paragraphs. */
  readonly narration: (ctx: LessonContext) => readonly string[]
  /** What "Do it for me" dispatches, in order. */
  readonly action?: (ctx: LessonContext) => readonly SimAction[]
  /**
   * After the action, "Do it for me" moves the clock to the next event, and the next, until `done` holds (bounded):
   * so a step whose story is "CoreDNS catches up" is seen to happen, not skipped.
   */
  readonly done: (ctx: LessonContext) => boolean
  readonly highlight?: (ctx: LessonContext) => readonly Highlight[]
  readonly exhibit?: (ctx: LessonContext) => Exhibit | undefined
  /** What the student is asked to do by hand (shown until the step is done). */
  readonly hint?: string
}

/** A task the student does unaided at the end of a lesson, checked from the state. */
export interface LessonTask {
  readonly title: string
  readonly hint: string
  /** undefined: not done yet; otherwise the feedback (ok says whether it is right). */
  readonly check: (ctx: LessonContext) => { readonly ok: boolean; readonly feedback: string } | undefined
}

export interface Lesson {
  /** In links: ?lesson=<id>. */
  readonly id: string
  readonly title: string
  readonly summary: string
  /** The starting cluster: created from seed and workers, kube-proxy in `proxyMode` (iptables when absent), the manifest applied and settled. */
  readonly start: { readonly seed: number; readonly workers: number; readonly proxyMode?: ProxyMode; readonly manifest: Manifest }
  readonly steps: readonly LessonStep[]
  readonly tasks: readonly LessonTask[]
}
