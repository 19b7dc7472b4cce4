/**
 * A name cut to fit `width` (in whatever unit `measure` gives) in its middle, never at its start or end: a pod's
 * name starts with its Deployment's and ends with what tells it from its siblings, and both must stay readable.
 * For `deployment-hash-suffix` the hash goes first, letter by letter ("web-65…-7vfnr"), then whole ("web…-7vfnr");
 * only a Deployment name too long for the card alone is cut itself. A name that fits is returned whole.
 */
export function fitName(name: string, width: number, measure: (text: string) => number): string {
  if (measure(name) <= width) return name
  const parts = name.split('-')
  const tail = parts.length > 1 ? `-${parts.at(-1)}` : name.slice(-4)
  const fits = (text: string) => measure(text) <= width
  if (parts.length > 2) {
    const deployment = parts.slice(0, -2).join('-')
    const hash = parts.at(-2)!
    for (let n = hash.length - 1; n > 0; n--) if (fits(`${deployment}-${hash.slice(0, n)}…${tail}`)) return `${deployment}-${hash.slice(0, n)}…${tail}`
    if (fits(`${deployment}…${tail}`)) return `${deployment}…${tail}`
  }
  const head = name.slice(0, name.length - tail.length)
  for (let n = head.length - 1; n > 0; n--) if (fits(`${head.slice(0, n)}…${tail}`)) return `${head.slice(0, n)}…${tail}`
  return `${head.slice(0, 1)}…${tail}`
}
