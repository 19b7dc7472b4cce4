import { FAULT_TARGETS, FAULT_TITLES, type Fault, type FaultKind } from '../../sim'

/** The faults a card can carry, in the order its badges list them: what stops the most first. */
const BADGE_ORDER: readonly FaultKind[] = ['node-down', 'partition', 'kube-proxy-stalled', 'container-crash', 'readiness-failing']

/** What a card's badge says of one fault, seen from `node` for a partition (the other end is named). */
export function badgeText(f: Pick<Fault, 'fault' | 'target'>, node?: string): string {
  switch (f.fault) {
    case 'node-down':
      return 'Node down'
    case 'kube-proxy-stalled':
      return 'kube-proxy stalled'
    case 'readiness-failing':
      return 'Readiness failing'
    case 'container-crash':
      return 'Crashing'
    case 'partition': {
      const [a, b] = f.target.split(',')
      return `Partitioned from ${a === node ? b : a}`
    }
  }
}

/**
 * The badges of every card a fault is on, by graph id (`node:<name>`, `pod:<namespace>/<name>`): a partition badges
 * both its nodes. Cards without a fault are absent, so their data stays as it was.
 */
export function faultBadgesById(faults: Iterable<Fault>): Map<string, string[]> {
  const sorted = [...faults].sort((a, b) => BADGE_ORDER.indexOf(a.fault) - BADGE_ORDER.indexOf(b.fault) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
  const out = new Map<string, string[]>()
  const add = (id: string, text: string) => {
    const list = out.get(id)
    if (list) list.push(text)
    else out.set(id, [text])
  }
  for (const f of sorted) {
    if (FAULT_TARGETS[f.fault] === 'pod') add(`pod:${f.target}`, badgeText(f))
    else for (const node of f.target.split(',')) add(`node:${node}`, badgeText(f, node))
  }
  return out
}

/** One row of the list of active faults. */
export interface FaultRow {
  readonly key: string
  readonly fault: FaultKind
  /** The fault's raw target, as the heal action takes it. */
  readonly target: string
  /** What broke, in words ("Node down (kubelet stopped, cut off)"). */
  readonly title: string
  /** Where: "worker-1", "default/web-x", "worker-1 ↔ worker-2". */
  readonly where: string
  /** Virtual ms at which it began. */
  readonly since: number
}

/** The active faults, oldest first (then by key, so the same faults always list alike). */
export function faultRows(faults: Iterable<[string, Fault]>): FaultRow[] {
  return [...faults]
    .map(([key, f]) => ({ key, fault: f.fault, target: f.target, title: FAULT_TITLES[f.fault], where: f.fault === 'partition' ? f.target.split(',').join(' ↔ ') : f.target, since: f.since }))
    .sort((a, b) => a.since - b.since || (a.key < b.key ? -1 : 1))
}
