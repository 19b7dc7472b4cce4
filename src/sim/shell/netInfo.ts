import { fnv32a } from '../runtime/hash'

/** A locally administered MAC for an interface, fixed by its address (the kernel draws one at random per veth). */
export function interfaceMac(ip: string): string {
  const h = fnv32a(ip)
  const h2 = fnv32a(`${ip}/mac`)
  const bytes = [0x0a | ((h >>> 24) & 0xf0), (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, (h2 >>> 8) & 0xff, h2 & 0xff]
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':')
}

/** A 64-hex id fixed by its seed: the container runtime draws container, sandbox and exec ids at random. */
export const runtimeId = (seed: string) => Array.from({ length: 8 }, (_, i) => fnv32a(`${seed}#${i}`).toString(16).padStart(8, '0')).join('')
