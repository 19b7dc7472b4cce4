import { OBJECT_META, OBJECT_REFERENCE } from './metaSchema'
import { bool, int32, kindSchema, listOf, named, string, stringMap, strings, struct } from './schema'

/** The Go types of discovery/v1 EndpointSlice and core/v1 Endpoints, for the API server's decoder. */
const PROTOCOL = named('v1.Protocol')

const ENDPOINT = struct(
  'v1.Endpoint',
  {
    addresses: strings,
    conditions: struct('v1.EndpointConditions', { ready: bool, serving: bool, terminating: bool }),
    hostname: string, targetRef: OBJECT_REFERENCE, nodeName: string, zone: string,
    hints: struct('v1.EndpointHints', { forZones: listOf(struct('v1.ForZone', { name: string })), forNodes: listOf(struct('v1.ForNode', { name: string })) }),
    deprecatedTopology: stringMap,
  },
  // A non-pointer struct: Go always has it, and writes `conditions: {}` back when none were given.
  { conditions: {} },
)

export const ENDPOINT_SLICE = kindSchema(
  'v1.EndpointSlice',
  OBJECT_META,
  {
    addressType: named('v1.AddressType'),
    endpoints: listOf(ENDPOINT),
    ports: listOf(struct('v1.EndpointPort', { name: string, protocol: PROTOCOL, port: int32, appProtocol: string })),
  },
  // Neither list is omitempty: a slice without them reads back as null.
  { endpoints: null, ports: null },
)

const ENDPOINT_ADDRESS = struct('v1.EndpointAddress', { ip: string, hostname: string, nodeName: string, targetRef: OBJECT_REFERENCE })

export const ENDPOINTS = kindSchema('v1.Endpoints', OBJECT_META, {
  subsets: listOf(struct('v1.EndpointSubset', {
    addresses: listOf(ENDPOINT_ADDRESS),
    notReadyAddresses: listOf(ENDPOINT_ADDRESS),
    ports: listOf(struct('v1.EndpointPort', { name: string, port: int32, protocol: PROTOCOL, appProtocol: string })),
  })),
})
