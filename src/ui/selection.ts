/** An object the user is looking at: picked on the graph, in the event list, or as a related object. */
export interface Selection {
  /** The kind as the API names it: Pod, Node, Service, EndpointSlice, Deployment, ReplicaSet, Namespace, ... */
  readonly kind: string
  readonly namespace?: string
  readonly name: string
}

/** The kinds the graph draws a card for, and the prefix of their card's id. */
const CARDS: Readonly<Record<string, string>> = { Pod: 'pod', Node: 'node', Service: 'svc', EndpointSlice: 'slice' }

/** Which graph card an object is (the inverse of the ids the graph model gives), or undefined for kinds not drawn. */
export function nodeIdOf(sel: Selection): string | undefined {
  const prefix = CARDS[sel.kind]
  return prefix ? `${prefix}:${sel.namespace ? `${sel.namespace}/` : ''}${sel.name}` : undefined
}

/** The object an event is about ("Pod default/web-1", "Node worker-1"), or undefined when it names none. */
export function selectionOf(object: string): Selection | undefined {
  const m = /^([A-Z][A-Za-z]*) (?:([a-z0-9][-a-z0-9]*)\/)?([^\s/]+)$/.exec(object)
  if (!m) return undefined
  const [, kind, namespace, name] = m
  return { kind: kind!, name: name!, ...(namespace ? { namespace } : {}) }
}

/** "Pod default/web-1": how the inspector titles an object, as events name it. */
export const titleOf = (sel: Selection) => `${sel.kind} ${sel.namespace ? `${sel.namespace}/` : ''}${sel.name}`
