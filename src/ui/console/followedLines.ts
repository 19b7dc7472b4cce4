/** Ages as kubectl prints them ("9s", "2m3s", "5d"): they change every second without the object changing. */
const AGE = /(?<![\w.:/-])\d+[smhd](?:\d+[smhd])*(?![\w.:/])/g

/**
 * What makes a line new: its words, ages left out. kubectl -w prints an object again when it changes, not as it ages,
 * nor when a wider row elsewhere (a pod ContainerCreating) realigns the columns of a table printed afresh.
 */
const identity = (line: string) => line.replace(AGE, '<age>').trim().replace(/\s+/g, ' ')

/**
 * The lines of `output` a followed command had not printed yet in this run (`kubectl get pods -w` re-run as the cluster
 * changes prints only rows that are new or changed, not rows that only grew older or moved), as text; `printed` remembers them.
 */
export function unseenLines(output: string, printed: Set<string>): string {
  let out = ''
  for (const line of output.split('\n')) {
    const key = identity(line)
    if (line === '' || printed.has(key)) continue
    printed.add(key)
    out += `${line}\n`
  }
  return out
}
