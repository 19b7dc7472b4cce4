import type { Simulation } from '../simulation'
import type { RunOptions } from '../shell/types'

/** Runs command lines and writes them down as a terminal shows them: prompt and line, output, and a failure's exit code. */
export function transcript(sim: Simulation, lines: readonly string[], options: RunOptions & { readonly pause?: number } = {}): string {
  const prompt = options.pod ? `root@${options.pod.split('/').pop()}:/# ` : options.node ? `root@${options.node}:~# ` : '$ '
  return lines
    .map((line) => {
      // A person takes a moment between commands: the cluster moves on meanwhile.
      if (options.pause) sim.advance(options.pause)
      const r = sim.run(line, options)
      return `${prompt}${line}\n${r.stderrFirst ? r.stderr + r.stdout : r.stdout + r.stderr}${r.exitCode ? `[exit ${r.exitCode}]\n` : ''}`
    })
    .join('\n')
}
