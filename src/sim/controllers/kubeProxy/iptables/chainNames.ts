import { sha256Base32Prefix16 } from '../../../runtime/hash'


/** SHA-256 is the costliest step of writing rules; a name, once hashed, is remembered (bounded, cleared when full). */
const hashes = new Map<string, string>()

function hashed(input: string): string {
  let h = hashes.get(input)
  if (h === undefined) {
    if (hashes.size >= 500_000) hashes.clear()
    hashes.set(input, (h = sha256Base32Prefix16(input)))
  }
  return h
}

/** portProtoHash: the suffix shared by a service port's KUBE-SVC, KUBE-SVL, KUBE-EXT and KUBE-FW chains. */
export function servicePortHash(spn: string, protocol: string): string {
  return hashed(spn + protocol.toLowerCase())
}

export const svcChain = (hash: string) => `KUBE-SVC-${hash}`
export const svlChain = (hash: string) => `KUBE-SVL-${hash}`
export const extChain = (hash: string) => `KUBE-EXT-${hash}`
export const fwChain = (hash: string) => `KUBE-FW-${hash}`

/** servicePortEndpointChainName: KUBE-SEP- + base32(sha256(spn + protocol + "IP:port"))[:16]. */
export function sepChain(spn: string, protocol: string, endpoint: string): string {
  return `KUBE-SEP-${hashed(spn + protocol.toLowerCase() + endpoint)}`
}
