import type { KubeObject, ObjectMeta } from './meta'

/** core/v1 Namespace. */
export interface Namespace extends KubeObject {
  readonly apiVersion: 'v1'
  readonly kind: 'Namespace'
  readonly metadata: ObjectMeta
  readonly spec: { readonly finalizers: readonly string[] }
  readonly status: { readonly phase: 'Active' | 'Terminating' }
}
