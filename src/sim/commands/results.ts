/** An error an apply, delete or scale reports: kubectl's wording, the field it is about, and where in the YAML. */
export interface CommandError {
  /** "Service default/web", when the error is about one object. */
  readonly object?: string
  /** The field path ("spec.ports[0].port"), or "" for the whole input. */
  readonly path: string
  readonly message: string
  /** 1-based line in the YAML that was applied, when known. */
  readonly line?: number
}

/** One object a command changed, with kubectl's one-line summary ("service/web created"). */
export interface CommandOutcome {
  readonly kind: string
  readonly namespace?: string
  readonly name: string
  readonly result: 'created' | 'configured' | 'unchanged' | 'deleted' | 'scaled'
  /** False for kinds stored but not simulated (ServiceAccount, ConfigMap, ...). */
  readonly simulated: boolean
  readonly message: string
}

/** What apply, delete and scale return: all or nothing, so `ok: false` means the cluster did not change. */
export interface CommandResult {
  readonly ok: boolean
  readonly errors: CommandError[]
  readonly applied: CommandOutcome[]
}

export const failed = (errors: CommandError[]): CommandResult => ({ ok: false, errors, applied: [] })

/** etcd's key for an object, as the API server stores it (nodes still live under "minions"). */
export function etcdKey(kind: string, namespace: string | undefined, name: string): string {
  const resource: Record<string, string> = {
    Service: 'services/specs', Node: 'minions', Pod: 'pods', Deployment: 'deployments', ReplicaSet: 'replicasets',
    EndpointSlice: 'endpointslices', Endpoints: 'services/endpoints', Namespace: 'namespaces',
  }
  const r = resource[kind] ?? `${kind.toLowerCase()}s`
  return `/registry/${r}/${namespace ? `${namespace}/` : ''}${name}`
}
