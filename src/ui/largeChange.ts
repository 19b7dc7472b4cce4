/** Beyond these, a change is asked about first: it blocks the page for a while (the engine works in one go). */
const LARGE = { pods: 300, nodes: 50, objects: 300, bytes: 1_000_000 } as const

/** 12345 -> "12,345" */
export const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** The question to ask before scaling `name` from `from` to `to` replicas, or undefined when it is small enough to just do. */
export function scaleQuestion(name: string, from: number, to: number): string | undefined {
  if (!Number.isFinite(to) || to - from <= LARGE.pods) return undefined
  return `Scale ${name} from ${thousands(from)} to ${thousands(to)} replicas? That starts ${thousands(to - from)} pods at once: the page stops answering while the simulator creates them, and the graph then draws the first pods of each Node and counts the rest.`
}

/** About what a manifest holds, read from its text without parsing it (fast even for megabytes). */
export function manifestSize(text: string): { bytes: number; objects: number; nodes: number; replicas: number } {
  const kinds = text.match(/^\s*-?\s*kind:\s*\S+/gm) ?? []
  const nodes = kinds.filter((k) => /kind:\s*["']?Node["']?\s*$/.test(k)).length
  let replicas = 0
  for (const m of text.matchAll(/^\s*replicas:\s*(\d+)/gm)) replicas += Number(m[1])
  return { bytes: text.length, objects: kinds.length, nodes, replicas }
}

/** The question to ask before applying `text`, or undefined when it is small enough to just apply. */
export function applyQuestion(text: string): string | undefined {
  const s = manifestSize(text)
  if (s.bytes <= LARGE.bytes && s.objects <= LARGE.objects && s.nodes <= LARGE.nodes && s.replicas <= LARGE.pods) return undefined
  const size = s.bytes >= 1_000_000 ? `${(s.bytes / 1_000_000).toFixed(1)} MB` : `${thousands(Math.round(s.bytes / 1000))} kB`
  const parts = [`about ${thousands(s.objects)} objects`, ...(s.nodes ? [`${thousands(s.nodes)} of them Nodes`] : []), ...(s.replicas ? [`asking for ${thousands(s.replicas)} replicas in all`] : [])]
  return `Apply this manifest? It is ${size}, with ${parts.join(', ')}. The page stops answering while the simulator takes it in; the graph then draws the first of each group and counts the rest.`
}
