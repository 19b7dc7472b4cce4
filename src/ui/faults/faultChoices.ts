import { faultKey, isControlPlane, type ClusterState, type FaultKind, type SimAction } from '../../sim'
import { badgeText } from './faultLabels'

/** What a Faults menu is about: a Node, or a Pod. */
export type FaultTarget = { readonly kind: 'node'; readonly name: string } | { readonly kind: 'pod'; readonly namespace: string; readonly name: string }

/** A fault or heal action, as the store dispatches it. */
export type FaultAction = Extract<SimAction, { type: 'fault' | 'heal' }>

/** One entry of a Faults menu: an action, a sub-menu of choices, or neither with the reason it cannot be chosen. */
export interface FaultChoice {
  /** Unique within its menu. */
  readonly id: string
  readonly label: string
  readonly action?: FaultAction
  /** Why it cannot be chosen here, in plain words (the item is shown, disabled, with this reason). */
  readonly disabled?: string
  readonly choices?: readonly FaultChoice[]
}

type Cluster = Pick<ClusterState, 'nodes' | 'pods' | 'faults'>

const partitionTarget = (a: string, b: string) => (a < b ? `${a},${b}` : `${b},${a}`)

/** One fault: break it when it is not active, else heal it (named as its badge names it). */
function breakOrHeal(state: Cluster, fault: FaultKind, target: string, label: string, node?: string): FaultChoice {
  const active = state.faults.has(faultKey(fault, target))
  return active
    ? { id: `heal:${fault}:${target}`, label: `Heal: ${badgeText({ fault, target }, node)}`, action: { type: 'heal', fault, target } }
    : { id: `fault:${fault}:${target}`, label, action: { type: 'fault', fault, target } }
}

/**
 * The choices of a Faults menu, read from the cluster as it is: for a Node, stop it, stall its kube-proxy, cut the
 * network to another node; for a Pod, fail its readiness probe, crash its container. A fault active there is offered
 * as "Heal: …" instead. What the cluster would refuse is offered disabled, with the reason.
 */
export function faultChoices(state: Cluster, target: FaultTarget): FaultChoice[] {
  if (target.kind === 'node') {
    const node = state.nodes.get(target.name)
    if (!node) return []
    const name = target.name
    const down = breakOrHeal(state, 'node-down', name, 'Stop the node (kubelet down, cut off)')
    const choices: FaultChoice[] = [
      isControlPlane(node) && down.action?.type === 'fault' ? { id: down.id, label: down.label, disabled: 'The control plane runs the API server, etcd and the controllers: it cannot go down here (pick a worker)' } : down,
      breakOrHeal(state, 'kube-proxy-stalled', name, 'Stall kube-proxy'),
    ]
    const others = [...state.nodes.keys()].filter((n) => n !== name).sort()
    const cut = others.filter((n) => state.faults.has(faultKey('partition', partitionTarget(name, n))))
    const open = others.filter((n) => !cut.includes(n))
    for (const n of cut) choices.push(breakOrHeal(state, 'partition', partitionTarget(name, n), '', name))
    if (open.length) {
      choices.push({ id: 'partition', label: 'Cut the network to…', choices: open.map((n) => ({ id: `fault:partition:${n}`, label: n, action: { type: 'fault', fault: 'partition', target: partitionTarget(name, n) } })) })
    } else if (!others.length) {
      choices.push({ id: 'partition', label: 'Cut the network to…', disabled: 'There is no other node to cut it off from' })
    }
    return choices
  }
  const key = `${target.namespace}/${target.name}`
  const pod = state.pods.get(key)
  if (!pod) return []
  const readiness = breakOrHeal(state, 'readiness-failing', key, 'Fail its readiness probe')
  const probed = pod.spec.containers.some((c) => c.readinessProbe)
  return [
    !probed && readiness.action?.type === 'fault' ? { id: readiness.id, label: readiness.label, disabled: 'It has no readiness probe: the kubelet counts it ready while its containers run' } : readiness,
    breakOrHeal(state, 'container-crash', key, 'Crash its container'),
  ]
}
