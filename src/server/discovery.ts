import { KUBERNETES_VERSION } from '../sim/bootstrap'
import { apiVersionOf, groupVersions, SERVED_RESOURCES } from './resources'

const [major, minor] = KUBERNETES_VERSION.slice(1).split('.')

/** GET /version: what kubeadm's v1.33 API server says of itself. */
export const VERSION_INFO = {
  major,
  minor,
  emulationMajor: major,
  emulationMinor: minor,
  minCompatibilityMajor: major,
  minCompatibilityMinor: String(Number(minor) - 1),
  gitVersion: KUBERNETES_VERSION,
  gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828',
  gitTreeState: 'clean',
  buildDate: '2025-05-15T08:19:08Z',
  goVersion: 'go1.24.2',
  compiler: 'gc',
  platform: 'linux/amd64',
}

// What `kubectl get all` lists: the kinds in the "all" category.
const IN_ALL = new Set(['Pod', 'Service', 'ReplicationController', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet', 'Job', 'CronJob', 'HorizontalPodAutoscaler'])

// Where clients are told the server listens; kubectl only checks that the list is there.
const ADDRESSES = [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }]

/**
 * GET /api: the legacy APIVersions. kubectl asks for aggregated discovery (apidiscovery.k8s.io/v2) first; this plain
 * answer makes it fall back to one request per group-version, which is all this server implements.
 */
export function apiVersions(): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: ADDRESSES }
}

/** GET /apis: every named group with its versions, the preferred one first. */
export function apiGroupList(): object {
  const groups = groupVersions()
    .filter((g) => g.group !== '')
    .map(({ group, versions }) => {
      const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }))
      return { name: group, versions: gvs, preferredVersion: gvs[0] }
    })
  return { kind: 'APIGroupList', apiVersion: 'v1', groups }
}

/** GET /apis/<group>: one APIGroup, or undefined when the group is not served. */
export function apiGroup(group: string): object | undefined {
  const g = groupVersions().find((x) => x.group === group && group !== '')
  if (!g) return undefined
  const gvs = g.versions.map((version) => ({ groupVersion: `${group}/${version}`, version }))
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions: gvs, preferredVersion: gvs[0] }
}

/**
 * GET /api/v1 or /apis/<group>/<version>: the APIResourceList kubectl maps kinds and short names from, subresources
 * included (deployments/scale for kubectl scale, pods/log, pods/exec). Undefined when the group-version is not served.
 */
export function apiResourceList(group: string, version: string): object | undefined {
  const resources = SERVED_RESOURCES.filter((r) => r.group === group && r.version === version)
  if (resources.length === 0) return undefined
  const out: object[] = []
  for (const r of resources) {
    out.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(IN_ALL.has(r.kind) ? { categories: ['all'] } : {}),
      storageVersionHash: storageVersionHash(`${r.group}/${r.version}/${r.kind}`),
    })
    for (const s of r.subresources) {
      out.push({ name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, ...(s.group ? { group: s.group, version: s.version } : {}), kind: s.kind, verbs: s.verbs })
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: out }
}

/** An 11-character stand-in for the storage version hash: stable per kind, which is all clients compare. */
function storageVersionHash(id: string): string {
  let h = 2166136261
  for (const c of id) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0
  return Buffer.from(`${h.toString(16)}${id.length}`).toString('base64').slice(0, 11)
}
