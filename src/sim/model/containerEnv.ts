/** What a container's environment is made of: the pod's declared variables and the service links. */
export interface ContainerEnv {
  readonly declared: Readonly<Record<string, string>>
  /** Shared by every pod of the namespace that started while the same Services existed. */
  readonly services: Readonly<Record<string, string>>
}
