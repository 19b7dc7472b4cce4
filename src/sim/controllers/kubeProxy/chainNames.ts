import { sha256Base32Prefix16 } from '../../runtime/hash'

/** ServicePortName.String(): "ns/name:port", or "ns/name" when the port has no name. */
export function servicePortName(namespace: string, name: string, portName: string | undefined): string {
  return `${namespace}/${name}${portName ? `:${portName}` : ''}`
}

/** portProtoHash: the suffix shared by a service port's KUBE-SVC, KUBE-SVL, KUBE-EXT and KUBE-FW chains. */
export function servicePortHash(spn: string, protocol: string): string {
  return sha256Base32Prefix16(spn + protocol.toLowerCase())
}

export const svcChain = (hash: string) => `KUBE-SVC-${hash}`
export const svlChain = (hash: string) => `KUBE-SVL-${hash}`
export const extChain = (hash: string) => `KUBE-EXT-${hash}`
export const fwChain = (hash: string) => `KUBE-FW-${hash}`

/** servicePortEndpointChainName: KUBE-SEP- + base32(sha256(spn + protocol + "IP:port"))[:16]. */
export function sepChain(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${sha256Base32Prefix16(spn + protocol.toLowerCase() + endpoint)}`
}
