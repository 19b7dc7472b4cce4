import { BUILTIN_KINDS, type KindInfo } from '../sim/model/kinds'

/** One REST resource the server serves, as discovery describes it and the router finds it. */
export interface ServedResource {
  readonly kind: string
  /** "" for the core group. */
  readonly group: string
  readonly version: string
  readonly plural: string
  readonly singular: string
  readonly shortNames: readonly string[]
  readonly namespaced: boolean
  readonly verbs: readonly string[]
  /** "scale", "log", "exec", "status": served under `<plural>/<name>/<subresource>`. */
  readonly subresources: readonly Subresource[]
}

/** A subresource's own discovery entry (deployments/scale answers as autoscaling/v1 Scale). */
export interface Subresource {
  readonly name: string
  readonly kind: string
  readonly group?: string
  readonly version?: string
  readonly verbs: readonly string[]
}

const ALL_VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']
// Events are read from the story, not stored: they can be listed and watched, not written.
const READ_VERBS = ['get', 'list', 'watch']
const SCALE: Subresource = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] }
const STATUS = (kind: string): Subresource => ({ name: 'status', kind, verbs: ['get'] })

const SUBRESOURCES: Readonly<Record<string, readonly Subresource[]>> = {
  Pod: [STATUS('Pod'), { name: 'log', kind: 'Pod', verbs: ['get'] }, { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] }],
  Deployment: [STATUS('Deployment'), SCALE],
  ReplicaSet: [STATUS('ReplicaSet'), SCALE],
  Service: [STATUS('Service')],
  Node: [STATUS('Node')],
  Namespace: [STATUS('Namespace')],
}

// Kinds that are not objects one can list (Binding is a pod's subresource in all but name).
const UNLISTED = new Set(['Binding'])

function served(k: KindInfo, version: string): ServedResource {
  return {
    kind: k.kind,
    group: k.group,
    version,
    plural: k.plural,
    singular: k.kind.toLowerCase(),
    shortNames: k.shortNames,
    namespaced: k.namespaced,
    verbs: k.kind === 'Event' ? READ_VERBS : ALL_VERBS,
    subresources: SUBRESOURCES[k.kind] ?? [],
  }
}

/**
 * Every built-in kind of the simulated v1.33 API server, at each version it serves. All are served, not only those the
 * engine simulates: `kubectl get ingress` finds none rather than no such resource, and a ConfigMap or a NetworkPolicy
 * can be created (the engine stores what it does not simulate).
 */
export const SERVED_RESOURCES: readonly ServedResource[] = BUILTIN_KINDS.filter((k) => !UNLISTED.has(k.kind)).flatMap((k) => k.versions.map((v) => served(k, v)))

const byPath = new Map(SERVED_RESOURCES.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]))

/** The resource served at /api/v1/<plural> or /apis/<group>/<version>/<plural>, if any. */
export function findResource(group: string, version: string, plural: string): ServedResource | undefined {
  return byPath.get(`${group}/${version}/${plural}`)
}

/** "v1" or "apps/v1": the apiVersion objects of the resource carry. */
export function apiVersionOf(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version
}

/** The group-versions served, core first, each group's preferred (newest) version first. */
export function groupVersions(): { group: string; versions: string[] }[] {
  const out = new Map<string, string[]>()
  for (const r of SERVED_RESOURCES) {
    const versions = out.get(r.group) ?? []
    if (!versions.includes(r.version)) versions.push(r.version)
    out.set(r.group, versions)
  }
  // autoscaling serves v2 and v1: the newer is preferred, as the real API server prefers it.
  return [...out].map(([group, versions]) => ({ group, versions: versions.sort((a, b) => (a < b ? 1 : -1)) }))
}
