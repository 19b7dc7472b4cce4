import { bool, int64, listOf, named, opaque, string, stringMap, strings, struct, time } from './schema'

/** The Go types of meta/v1 ObjectMeta, LabelSelector and core/v1 ObjectReference (every kind's metadata). */
export const OWNER_REFERENCE = struct('v1.OwnerReference', {
  apiVersion: string, kind: string, name: string, uid: named('types.UID'), controller: bool, blockOwnerDeletion: bool,
})

export const OBJECT_META = struct('v1.ObjectMeta', {
  name: string, generateName: string, namespace: string, selfLink: string, uid: named('types.UID'), resourceVersion: string,
  generation: int64, creationTimestamp: time, deletionTimestamp: time, deletionGracePeriodSeconds: int64,
  labels: stringMap, annotations: stringMap, ownerReferences: listOf(OWNER_REFERENCE), finalizers: strings,
  managedFields: listOf(opaque('v1.ManagedFieldsEntry')),
})

export const LABEL_SELECTOR = struct('v1.LabelSelector', {
  matchLabels: stringMap,
  matchExpressions: listOf(struct('v1.LabelSelectorRequirement', { key: string, operator: named('v1.LabelSelectorOperator'), values: strings })),
})

export const OBJECT_REFERENCE = struct('v1.ObjectReference', {
  kind: string, namespace: string, name: string, uid: named('types.UID'), apiVersion: string, resourceVersion: string, fieldPath: string,
})
