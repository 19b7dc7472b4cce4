import { OBJECT_META } from './metaSchema'
import { bool, kindSchema, listOf, named, opaque, string, strings, struct, time } from './schema'

/** The Go types of core/v1 Node and Namespace, for the API server's decoder. */
export const NODE = kindSchema('v1.Node', OBJECT_META, {
  spec: struct('v1.NodeSpec', {
    podCIDR: string, podCIDRs: strings, providerID: string, unschedulable: bool,
    taints: listOf(struct('v1.Taint', { key: string, value: string, effect: named('v1.TaintEffect'), timeAdded: time })),
    configSource: opaque('v1.NodeConfigSource'), externalID: string,
  }),
  status: opaque('v1.NodeStatus'),
})

export const NAMESPACE = kindSchema('v1.Namespace', OBJECT_META, {
  spec: struct('v1.NamespaceSpec', { finalizers: listOf(named('v1.FinalizerName')) }),
  status: opaque('v1.NamespaceStatus'),
})
