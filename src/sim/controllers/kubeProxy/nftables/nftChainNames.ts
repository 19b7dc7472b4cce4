import { sha256Base32Prefix16 } from '../../../runtime/hash'

/** knftables.NameLengthMax (256) less the longest prefix kube-proxy puts in front (16): chainNameBaseLengthMax. */
const BASE_LENGTH_MAX = 256 - 16

/** Hashing is the costliest step of naming; a name, once hashed, is remembered (bounded, cleared when full). */
const bases = new Map<string, string>()

/**
 * hashAndTruncate: the first 8 characters of base32(sha256(name)), a dash, the name; cut to 240 characters with "..."
 * (which no name of ours reaches). The hash tells apart endpoint chains that differ in one digit at a glance.
 */
function hashAndTruncate(name: string): string {
  let base = bases.get(name)
  if (base === undefined) {
    if (bases.size >= 500_000) bases.clear()
    base = `${sha256Base32Prefix16(name).slice(0, 8)}-${name}`
    if (base.length > BASE_LENGTH_MAX) base = `${base.slice(0, BASE_LENGTH_MAX - 3)}...`
    bases.set(name, base)
  }
  return base
}

/** servicePortChainNameBase: "HASH-ns/name/protocol/portName", e.g. "ULMVA6XW-ns1/svc1/tcp/p80". */
export function servicePortChainBase(namespace: string, name: string, protocol: string, portName: string | undefined): string {
  return hashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName ?? ''}`)
}

/** servicePortEndpointChainNameBase: "HASH-ns/name/protocol/portName__IP/port" (an IPv6 address's colons become dots). */
export function endpointChainBase(namespace: string, name: string, protocol: string, portName: string | undefined, ip: string, port: number): string {
  return hashAndTruncate(`${namespace}/${name}/${protocol.toLowerCase()}/${portName ?? ''}__${ip.replaceAll(':', '.')}/${port}`)
}

/** The chains and sets of one service port: `service-` (Cluster policy), `local-`, `external-`, `firewall-`. */
export const clusterPolicyChain = (base: string) => `service-${base}`
export const localPolicyChain = (base: string) => `local-${base}`
export const externalChain = (base: string) => `external-${base}`
export const firewallChain = (base: string) => `firewall-${base}`
/** Per endpoint: its DNAT chain and, with ClientIP affinity, the set of clients it has served. */
export const endpointChain = (base: string) => `endpoint-${base}`
export const affinitySet = (base: string) => `affinity-${base}`
