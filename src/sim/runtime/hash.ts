import { sha256 } from '@noble/hashes/sha256'

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const encoder = new TextEncoder()

/** RFC 4648 base32 (standard alphabet, upper case, no padding needed for our prefixes). */
export function base32(bytes: Uint8Array): string {
  let out = ''
  let bits = 0
  let value = 0
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]
  return out
}

/** The first 16 characters of base32(sha256(s)): kube-proxy's chain-name suffix (pkg/proxy/iptables, portProtoHash). */
export function sha256Base32Prefix16(s: string): string {
  return base32(sha256(encoder.encode(s))).slice(0, 16)
}

/** FNV-1a, 32 bit, over the UTF-8 bytes of `s`. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5
  for (const byte of encoder.encode(s)) {
    h ^= byte
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/** The alphabet of apimachinery's util/rand: no vowels, no confusable characters. */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/** rand.SafeEncodeString: maps each byte onto SAFE_ALPHABET, so a decimal hash becomes e.g. `7c5ddbdf54`. */
export function safeEncodeString(s: string): string {
  let out = ''
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length]
  return out
}

/** Lower-case hex of sha256(s). */
export function sha256Hex(s: string): string {
  let out = ''
  for (const b of sha256(encoder.encode(s))) out += b.toString(16).padStart(2, '0')
  return out
}
